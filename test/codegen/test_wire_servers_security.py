"""Servers and security over the wire (``specs/servers_security.yaml``): server templates with variables
chosen by ``Configuration.server_index``/``server_variables`` and ``_host_index``, per-operation servers,
and http bearer/basic, api keys in header/query/cookie, oauth2 and openIdConnect (bearer tokens)."""

import base64
import importlib
from types import ModuleType
from typing import Any, Iterator

import pytest

from tachyon_sdk.exceptions import ApiValueError
from test.codegen._clients import Generated
from test.conftest import ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    http_server.default_reply(204)
    yield importlib.import_module(generated.package("servers"))


def _api(module: ModuleType, configuration: Any) -> Any:
    return module.AuthApi(module.ApiClient(configuration))


def test_server_index_and_variables_pick_the_spec_server(client: ModuleType, http_server: ScriptedServer) -> None:
    port = str(http_server.port)
    configuration = client.Configuration(server_variables={"host": "127.0.0.1", "port": port, "base": "v2"})
    assert configuration.server_index == 0
    assert configuration.host == f"http://127.0.0.1:{port}/v2"
    api = _api(client, configuration)

    api.public()
    api.public(_host_index=1)  # the second server, its own variable filled from server_variables
    configuration.server_index = 1
    api.public()

    assert [request.path for request in http_server.requests] == ["/v2/public", "/alt/public", "/alt/public"]
    assert [s["url"] for s in configuration.get_host_settings()] == [
        "http://{host}:{port}/{base}",
        "http://127.0.0.1:{port}/alt",
    ]


def test_a_server_variable_outside_its_enum_is_refused(client: ModuleType, http_server: ScriptedServer) -> None:
    configuration = client.Configuration(server_variables={"port": str(http_server.port), "base": "v3"})

    with pytest.raises(ApiValueError, match="'base' must be one of \\['v1', 'v2'\\]"):
        _api(client, configuration).public()
    assert http_server.requests == []


def test_per_operation_servers(client: ModuleType, http_server: ScriptedServer) -> None:
    port = str(http_server.port)
    configuration = client.Configuration(host="http://127.0.0.1:1", server_variables={"port": port})
    configuration.server_operation_variables = {"elsewhere": {"port": port}}
    api = _api(client, configuration)

    api.elsewhere()
    api.elsewhere(_host_index=1)
    configuration.server_operation_index = {"elsewhere": 1}
    api.elsewhere()

    assert [request.path for request in http_server.requests] == ["/op/elsewhere", "/op2/elsewhere", "/op2/elsewhere"]
    configuration.ignore_operation_servers = True
    assert api._elsewhere_request(None, None, None, None).url == "http://127.0.0.1:1/elsewhere"


def test_every_security_scheme_sends_its_credential(client: ModuleType, http_server: ScriptedServer) -> None:
    configuration = client.Configuration(
        host=http_server.url,
        access_token="tok-123",
        username="ann",
        password="p:w",
        api_key={"headerKey": "hk", "queryKey": "q k", "cookieKey": "ck;1"},
        api_key_prefix={"headerKey": "Key"},
    )
    api = _api(client, configuration)

    for call in (
        api.with_bearer,
        api.with_basic,
        api.with_header_key,
        api.with_query_key,
        api.with_cookie_key,
        api.with_oauth,
        api.with_open_id_connect,
        api.public,
    ):
        call()

    bearer, basic, header, query, cookie, oauth, oidc, public = http_server.requests
    assert bearer.header("Authorization") == "Bearer tok-123"
    assert basic.header("Authorization") == "Basic " + base64.b64encode(b"ann:p:w").decode()
    assert header.header("X-Api-Key") == "Key hk" and header.header("Authorization") is None
    assert query.path == "/key/query?api_key=q%20k"
    assert cookie.header("Cookie") == "sid=ck%3B1"
    assert oauth.header("Authorization") == "Bearer tok-123" and oidc.header("Authorization") == "Bearer tok-123"
    assert public.header("Authorization") is None and public.header("Cookie") is None


def test_docs_show_how_to_configure_each_scheme(generated: Generated) -> None:
    docs = (generated.outputs["servers"] / "docs" / "AuthApi.md").read_text(encoding="utf-8")
    assert "# Configure OAuth2 access token for authorization: oauth" in docs
    assert "# Configure HTTP basic authorization: basic" in docs
    assert 'configuration.api_key["cookieKey"] = os.environ["API_KEY"]' in docs
