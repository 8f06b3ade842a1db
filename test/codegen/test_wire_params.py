"""Parameters on the wire (``specs/params.yaml``): path, query, header and cookie parameters in every
style, checked as the scripted server on 127.0.0.1 received them (raw request target and headers)."""

import datetime
import importlib
from types import ModuleType
from typing import Iterator

import pytest

from tachyon_sdk.exceptions import ApiTypeError, ApiValueError
from test.codegen._clients import Generated
from test.conftest import ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("params"))


def _api(module: ModuleType, http_server: ScriptedServer, **client_options: str) -> object:
    api_client = module.ApiClient(module.Configuration(host=http_server.url), **client_options)
    return module.ParamsApi(api_client)


def test_path_parameters_string_enum_and_integer(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"seen": "ok"})
    api = _api(client, http_server)

    echo = api.get_item("a/b c", client.Kind.E_BOOK, 3)

    assert isinstance(echo, client.Echo) and echo.seen == "ok"
    [request] = http_server.requests
    assert request.method == "GET"
    assert request.path == "/items/a%2Fb%20c/e-book/3"
    assert request.header("Accept") == "application/json"


def test_path_parameters_are_checked_before_sending(client: ModuleType, http_server: ScriptedServer) -> None:
    api = _api(client, http_server)

    with pytest.raises(ApiValueError, match="page"):
        api.get_item("x", "book", 0)  # minimum: 1
    with pytest.raises(ApiTypeError, match="page"):
        api.get_item("x", "book", [3])
    with pytest.raises(ApiValueError, match="must not be empty"):
        api.get_item("", "book", 1)
    assert http_server.requests == []


def test_query_styles_headers_and_cookies(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"seen": "ok"})
    api = _api(client, http_server, cookie="team=blue")

    api.search(
        "caf\u00e9 & more",
        "trace-1",
        tags=["x", "y z"],
        ids=[1, 2, 3],
        words=["a", "b"],
        flags=["p", "q"],
        filter={"color": "red", "size": "L"},
        page_size=10,
        sort_by="created",
        since=datetime.date(2024, 2, 3),
        exact=False,
        where={"a": 1},
        x_flags=["f1", "f2"],
        session="s 1;x",
        prefs=["u", "v"],
    )

    [request] = http_server.requests
    assert request.path == (
        "/search?q=caf%C3%A9%20%26%20more"
        "&tags=x&tags=y%20z"  # form, exploded (the default)
        "&ids=1,2,3"  # form, explode: false
        "&words=a%20b"  # spaceDelimited
        "&flags=p%7Cq"  # pipeDelimited
        "&filter%5Bcolor%5D=red&filter%5Bsize%5D=L"  # deepObject
        "&page%5Bsize%5D=10"  # a name that is no identifier
        "&sort-by=created&since=2024-02-03&exact=false"
        "&where=%7B%22a%22%3A1%7D"  # content: application/json
    )
    assert request.header("X-Trace-Id") == "trace-1"
    assert request.header("X-Flags") == "f1,f2"
    assert request.header("Cookie") == "team=blue; session=s%201%3Bx; prefs=u,v"


def test_optional_parameters_left_out_are_not_sent(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={})
    api = _api(client, http_server)

    api.search("q", "t")

    [request] = http_server.requests
    assert request.path == "/search?q=q"  # limit's default (20) is the server's to apply
    assert request.header("Cookie") is None and request.header("X-Flags") is None


def test_default_is_documented_not_sent(client: ModuleType) -> None:
    doc = client.ParamsApi.search.__doc__
    assert ":param limit: Page size (optional; the server's default is 20)" in doc


def test_path_label_and_matrix_styles_and_object_queries(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(204)
    api = _api(client, http_server)

    result = api.path_styles(["a", "b"], ["c", "d"], point={"x": 1, "y": 2}, color=client.PathStylesColor(r=3, g=4))

    assert result is None
    assert http_server.requests[0].path == "/styles/.a,b/;matrix=c;matrix=d?point=x,1,y,2&r=3&g=4"


def test_a_parameter_named_like_its_type(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json="2024-02-04")
    api = _api(client, http_server)

    assert api.today(datetime.date(2024, 2, 3)) == datetime.date(2024, 2, 4)
    assert http_server.requests[0].path == "/today?date=2024-02-03"
