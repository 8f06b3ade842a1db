"""Schema features over the wire (``specs/schemas.yaml``, OpenAPI 3.1): ``$ref`` chains and a
self-referencing tree, ``allOf``, discriminated and plain unions, 3.1 ``null`` type lists, maps, arrays of
arrays, open enums, ``const``, dates, inline objects, ``readOnly``/``writeOnly``, deprecated fields and a
deprecated operation."""

import datetime
import importlib
import json
import typing
import warnings
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

from tachyon_sdk.exceptions import ApiDecodeError, ApiValidationError, ApiValueError
from test.codegen._clients import Generated
from test.conftest import ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("schemas"))


def _api(module: ModuleType, http_server: ScriptedServer) -> object:
    return module.SchemasApi(module.ApiClient(module.Configuration(host=http_server.url)))


EVERYTHING = {
    "id": 7,
    "created": "2024-02-03T04:05:06Z",
    "kind": "everything",
    "version": 2,
    "day": "2024-02-03",
    "nickname": None,
    "score": None,
    "labels": {"a": "b"},
    "anything": {"x": [1, {"y": None}]},
    "matrix": [[1, 2], [], [3]],
    "color": "blue",
    "level": 9,
    "position": {"x": 1.5, "y": -2.0},
    "pet": {"petType": "doggo", "name": "Rex", "good": True},
    "pets": [{"petType": "cat", "name": "Tom", "lives": 9}, {"petType": "Dog", "name": "Fido"}],
    "maybe_pet": None,
    "shape": {"side": 2.0},
    "tree": {"name": "root", "children": [{"name": "leaf", "parent": {"name": "root"}}]},
    "later": "kept",
}


def test_everything_round_trips_through_the_server(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json=EVERYTHING)
    api = _api(client, http_server)
    sent = client.Everything(
        kind="everything", secret="s3", day=datetime.date(2024, 2, 3), pet={"petType": "cat", "name": "Tom"}
    )

    got = api.echo_everything(sent)

    assert json.loads(http_server.requests[0].body) == {
        "kind": "everything",
        "secret": "s3",
        "day": "2024-02-03",
        "pet": {"petType": "cat", "name": "Tom"},
    }
    assert got.to_dict() == EVERYTHING  # unknown values and fields kept, nothing added
    assert got.created == datetime.datetime(2024, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)
    assert got.day == datetime.date(2024, 2, 3)
    assert isinstance(got.pet, client.Dog) and got.pet.good is True  # mapping "doggo" -> Dog
    assert [type(pet).__name__ for pet in got.pets] == ["Cat", "Dog"]  # by mapping, then by schema name
    assert isinstance(got.shape, client.Square)
    assert isinstance(got.tree, client.Tree) and isinstance(got.tree.children[0].parent, client.Tree)
    assert isinstance(got.position, client.EverythingPosition)
    assert got.color == "blue" and got.color.is_known is False and got.level == 9 and got.level.is_known is False
    assert client.EverythingColor("red") is client.EverythingColor.RED
    assert got.secret is None and got.id == 7  # writeOnly not sent back; readOnly not required to send


def test_discriminator_rejects_an_unknown_kind_before_sending(client: ModuleType, http_server: ScriptedServer) -> None:
    api = _api(client, http_server)

    with pytest.raises(ApiValueError, match="petType"):
        api.echo_everything({"kind": "everything", "secret": "s", "pet": {"petType": "bird", "name": "Tweety"}})
    with pytest.raises(ApiValueError, match="kind"):
        api.echo_everything({"kind": "something", "secret": "s"})  # const
    assert http_server.requests == []


def test_discriminated_union_in_a_response(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json=[{"petType": "cat", "name": "a"}, {"petType": "doggo", "name": "b"}])
    http_server.reply(200, json=[{"petType": "parrot", "name": "c"}])
    api = _api(client, http_server)

    pets = api.list_pets()

    assert [type(pet).__name__ for pet in pets] == ["Cat", "Dog"]
    with pytest.raises(ApiDecodeError, match="petType"):
        api.list_pets()


def test_ref_chain_is_the_same_class(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"name": "a", "children": [{"name": "b", "children": []}]})
    api = _api(client, http_server)

    tree = api.get_tree()

    assert client.TreeAlias is client.Tree and client.TreeAlias2 is client.Tree
    assert isinstance(tree, client.Tree) and tree.children[0].name == "b"


def test_types_of_the_generated_model(client: ModuleType) -> None:
    hints = typing.get_type_hints(client.Everything)
    assert hints["kind"] == typing.Literal["everything"]
    assert hints["version"] == typing.Optional[typing.Literal[2]]
    assert hints["matrix"] == typing.Optional[typing.List[typing.List[int]]]
    assert hints["labels"] == typing.Optional[typing.Dict[str, str]]
    assert hints["anything"] == typing.Optional[typing.Dict[str, typing.Any]]
    fields = client.Everything.model_fields
    assert not fields["id"].is_required() and not fields["secret"].is_required() and fields["kind"].is_required()
    assert fields["old"].description == "Deprecated. Use size."
    with pytest.raises(ApiValidationError):
        client.Everything.from_dict({"kind": "everything", "score": -1})


def test_docs_mark_read_only_write_only_deprecated_and_defaults(generated: Generated) -> None:
    docs = (generated.outputs["schemas"] / "docs" / "Everything.md").read_text(encoding="utf-8")
    rows = {line.split("|")[0].strip(): line for line in docs.splitlines() if line.startswith("**")}
    assert "[readonly]" in rows["**id**"]
    assert "[writeonly]" in rows["**secret**"]
    assert "[deprecated]" in rows["**old**"]
    assert "[default to 10]" in rows["**size**"]


def test_a_deprecated_operation_warns_the_caller(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.default_reply(204)
    api = _api(client, http_server)

    with pytest.warns(DeprecationWarning, match="`legacy_call` is deprecated") as caught:
        api.legacy_call()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        api.legacy_call_with_http_info()

    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert len(http_server.requests) == 2
    assert "Deprecated: calling it emits a ``DeprecationWarning``." in client.SchemasApi.legacy_call.__doc__
    docs = Path(client.__file__).parents[1] / "docs" / "SchemasApi.md"
    assert "**Deprecated.**" in docs.read_text(encoding="utf-8")
