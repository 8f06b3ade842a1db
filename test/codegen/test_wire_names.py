"""Awkward names over the wire (``specs/names.yaml``): keywords, builtins and runtime names as schemas,
properties and parameters; dashes and spaces; names colliding after snake_case; an operation without
``operationId`` under two tags; operations without tags in ``DefaultApi``."""

import importlib
import inspect
import json
from types import ModuleType
from typing import Iterator

import pytest

from test.codegen._clients import Generated
from test.conftest import ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("names"))


def _client(module: ModuleType, http_server: ScriptedServer) -> object:
    return module.ApiClient(module.Configuration(host=http_server.url))


def test_an_operation_with_two_tags_is_a_method_of_both_classes(
    client: ModuleType, http_server: ScriptedServer
) -> None:
    http_server.default_reply(200, json={"from": "x", "type": "sea lion", "List": "l", "2nd": True, "my field": 1})
    api_client = _client(client, http_server)

    from_pets = client.PetsApi(api_client).get_pets_pet_id(5)
    from_store = client.StoreApi(api_client).get_pets_pet_id(6)

    assert [request.path for request in http_server.requests] == ["/pets/5", "/pets/6"]
    for model in (from_pets, from_store):
        assert isinstance(model, client.Model)
        assert model.from_ == "x" and model.type is client.Type.SEA_LION and model.list == "l"
        assert model.field_2nd is True and model.my_field == 1


def test_keyword_and_builtin_parameters_and_colliding_names(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json=[{"fooBar": "a", "foo_bar": "b", "self": "s", "model_config": "m"}])
    api = client.PetsApi(_client(client, http_server))

    [model] = api.list_pets(from_="f", self_="me", str_="text", type="dog", x_request_id="q", x_request_id_2="h")

    [request] = http_server.requests
    assert request.path == "/pets?x_request_id=q&from=f&self=me&str=text&type=dog"
    assert request.header("X-Request-ID") == "h"
    assert (model.foo_bar, model.foo_bar_2, model.self, model.model_config_) == ("a", "b", "s", "m")
    assert model.to_dict() == {"fooBar": "a", "foo_bar": "b", "self": "s", "model_config": "m"}


def test_second_operation_colliding_after_snake_case_gets_a_number(
    client: ModuleType, http_server: ScriptedServer
) -> None:
    http_server.reply(204)
    api = client.PetsApi(_client(client, http_server))

    api.list_pets_2(client.From(class_="c", json_="j"))

    [request] = http_server.requests
    assert request.method == "POST" and json.loads(request.body) == {"class": "c", "json": "j"}
    assert list(inspect.signature(api.list_pets_2).parameters)[0] == "from_"


def test_untagged_operations_runtime_names_and_method_variants(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"code": 3})
    http_server.reply(200, json={"items": [{"a": "x"}]})
    api = client.DefaultApi(_client(client, http_server))

    answer = api.class_()
    listed = api.ping_stream()  # ping does not stream: its _stream variant's name is free

    assert type(answer) is client.ApiResponse2 and answer.code == 3
    assert client.ApiResponse.__module__ == "tachyon_sdk.api_response"  # the runtime's name is not shadowed
    assert isinstance(listed, client.List) and isinstance(listed.items[0], client.MySchema)
    assert client.MySchema2.model_fields.keys() == {"b"}
    assert hasattr(api, "ping") and hasattr(api, "ping_with_http_info") and not hasattr(api, "ping_stream_2")
    assert [request.path for request in http_server.requests] == ["/classes", "/ping/stream"]
