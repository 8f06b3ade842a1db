"""Clients of other people's APIs (``specs/public/``, licences in its README): each imports, passes
``mypy --strict`` and ruff (``test_generated_clients.py``), and calls a local server correctly for a few
representative operations."""

import importlib
import json
from types import ModuleType
from typing import Any, Iterator

import pytest

from tachyon_sdk.exceptions import ApiValueError, NotFoundException
from test.codegen._clients import Generated
from test.codegen._support import ROOT
from test.conftest import ScriptedServer


@pytest.fixture
def modules(generated: Generated, http_server: ScriptedServer) -> Iterator[Any]:
    yield lambda key: importlib.import_module(generated.package(key))


def _client(module: ModuleType, http_server: ScriptedServer, **options: Any) -> Any:
    return module.ApiClient(module.Configuration(host=http_server.url, retries=0, **options))


def test_oai_petstore_expanded(modules: Any, http_server: ScriptedServer) -> None:
    petstore = modules("petstore_expanded")
    http_server.reply(200, json=[{"id": 1, "name": "Rex", "tag": "dog"}])
    http_server.reply(200, json={"id": 2, "name": "Tom"})
    http_server.reply(404, json={"code": 404, "message": "no pet 9"})
    api = petstore.DefaultApi(_client(petstore, http_server))

    pets = api.find_pets(tags=["dog", "cat"], limit=10)
    added = api.add_pet(petstore.NewPet(name="Tom"))
    with pytest.raises(NotFoundException) as missing:
        api.find_pet_by_id(9)  # operationId "find pet by id"

    assert isinstance(pets[0], petstore.Pet) and pets[0].tag == "dog"
    assert isinstance(added, petstore.Pet) and added.id == 2
    assert isinstance(missing.value.data, petstore.Error) and missing.value.data.message == "no pet 9"
    find, add, get = http_server.requests
    assert find.path == "/pets?tags=dog&tags=cat&limit=10"
    assert add.method == "POST" and json.loads(add.body) == {"name": "Tom"}
    assert get.path == "/pets/9"


def test_oai_uspto(modules: Any, http_server: ScriptedServer) -> None:
    uspto = modules("uspto")
    http_server.reply(200, json={"total": 1, "apis": [{"apiKey": "oa_citations", "apiVersionNumber": "v1"}]})
    http_server.reply(200, json=[{"patent": {"id": "1"}}])
    api_client = _client(uspto, http_server)

    data_sets = uspto.MetadataApi(api_client).list_data_sets()
    records = uspto.SearchApi(api_client).perform_search(
        "v1", "oa_citations", perform_search_request={"criteria": "title:rocket", "rows": 2}
    )

    assert isinstance(data_sets, uspto.DataSetList) and data_sets.apis[0].api_key == "oa_citations"
    assert records == [{"patent": {"id": "1"}}]
    listing, search = http_server.requests
    assert listing.path == "/"
    assert search.path == "/oa_citations/v1/records"
    assert search.header("Content-Type") == "application/x-www-form-urlencoded"
    assert search.body == b"criteria=title%3Arocket&rows=2"
    configuration = uspto.Configuration(server_variables={"scheme": "http"})
    assert configuration.host == "http://developer.uspto.gov/ds-api"


def test_oai_api_with_examples(modules: Any, http_server: ScriptedServer) -> None:
    examples = modules("api_with_examples")
    http_server.reply(200, json={"versions": [{"id": "v2.0", "status": "CURRENT"}]})
    http_server.reply(203, json={"version": {"id": "v2.0"}})
    api = examples.DefaultApi(_client(examples, http_server))

    versions = api.list_versionsv2()
    details = api.get_version_detailsv2_with_http_info()

    assert versions == {"versions": [{"id": "v2.0", "status": "CURRENT"}]}
    assert details.status_code == 203 and details.data == {"version": {"id": "v2.0"}}
    assert [request.path for request in http_server.requests] == ["/", "/v2"]


def test_swagger_petstore(modules: Any, http_server: ScriptedServer) -> None:
    petstore = modules("swagger_petstore")
    http_server.reply(200, json={"id": 10, "name": "doggie", "photoUrls": [], "status": "sold"})
    http_server.reply(200, json={"code": 200, "type": "ok", "message": "uploaded 3 bytes"})
    http_server.reply(200, json={"sold": 2, "lost": 1})
    http_server.reply(200, json="logged in", headers={"X-Rate-Limit": "99"})
    http_server.reply(200, json={"username": "ann"})
    api_client = _client(petstore, http_server, access_token="oauth-token", api_key={"api_key": "k-1"})

    pet = petstore.PetApi(api_client).add_pet(petstore.Pet(name="doggie", photo_urls=[], status="sold"))
    uploaded = petstore.PetApi(api_client).upload_file(10, additional_metadata="front", body=b"\x89PN")
    inventory = petstore.StoreApi(api_client).get_inventory()
    login = petstore.UserApi(api_client).login_user_with_http_info(username="ann", password="pw")
    user = petstore.UserApi(api_client).create_user(
        user={"username": "ann"}, _content_type="application/x-www-form-urlencoded"
    )

    assert isinstance(pet, petstore.Pet) and pet.status == "sold"
    assert isinstance(uploaded, petstore.ApiResponse2) and uploaded.message == "uploaded 3 bytes"
    assert inventory == {"sold": 2, "lost": 1}
    assert login.data == "logged in" and login.headers["X-Rate-Limit"] == "99"
    assert isinstance(user, petstore.User) and user.username == "ann"  # the only response is "default"
    add, upload, stock, log_in, create = http_server.requests
    assert add.header("Authorization") == "Bearer oauth-token"
    assert json.loads(add.body) == {"name": "doggie", "photoUrls": [], "status": "sold"}
    assert upload.path == "/pet/10/uploadImage?additionalMetadata=front"
    assert upload.header("Content-Type") == "application/octet-stream" and upload.body == b"\x89PN"
    assert stock.header("api_key") == "k-1"
    assert log_in.path == "/user/login?username=ann&password=pw"
    assert create.body == b"username=ann"


def test_swagger_petstore_relative_server_needs_a_host(modules: Any) -> None:
    petstore = modules("swagger_petstore")
    api = petstore.StoreApi(petstore.ApiClient(petstore.Configuration()))

    with pytest.raises(ApiValueError, match="Invalid host '/v3'"):
        api.get_inventory()


def test_public_specs_have_their_licence_noted() -> None:
    readme = (ROOT / "test/codegen/specs/public/README.md").read_text(encoding="utf-8")
    for name in ("petstore-expanded.yaml", "uspto.yaml", "api-with-examples.yaml", "swagger-petstore.yaml"):
        assert (ROOT / "test/codegen/specs/public" / name).is_file()
        assert f"`{name}`" in readme
    assert readme.count("Apache-2.0") >= 4
