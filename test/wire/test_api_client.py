"""ApiClient over real sockets: what goes on the wire, how answers decode, which exception each status raises."""

import gzip
import json
import threading
from typing import Any, Callable, Dict, List, Type

import pytest
from pydantic import Field, TypeAdapter
from typing_extensions import Annotated

from tachyon_sdk._constants import SDK_VERSION
from tachyon_sdk._operation import AuthSpec, Operation, Param
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ApiException,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ResponseTooLargeError,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from tachyon_sdk.rest import RESTResponse

from ..conftest import (
    ECHO,
    ECHO_BODY,
    STATUS,
    ApiErrorModel,
    ClientKit,
    EchoRequest,
    EchoResponse,
    InvalidInputModel,
    Message,
    RawConnection,
    RawServer,
    Role,
    ScriptedServer,
    ValidationErrorModel,
    echo,
)

MakeClient = Callable[..., ClientKit]


def test_request_on_the_wire_and_decoded_answer(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r1", "text": "hello", "added_later": [1]}, headers={"X-Request-Id": "q1"})
    kit = make_client()

    response = echo(kit.client, "room-1", {"messages": [{"role": "user", "content": "Hi"}], "from": "me"}, limit=5)

    [request] = http_server.requests
    assert request.method == "POST"
    assert request.path == "/v1/rooms/room-1/echo?limit=5"
    assert request.header("x-operator-id") == "tn_1"
    assert request.header("Authorization") == "Bearer sk-test-token-0001"
    assert request.header("Content-Type") == "application/json"
    assert request.header("Accept") == "application/json"
    assert request.header("User-Agent") == f"tachyon-sdk-python/{SDK_VERSION}"
    assert request.json() == {"messages": [{"role": "user", "content": "Hi"}], "from": "me"}
    assert isinstance(response, ApiResponse)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "q1"
    assert response.data == EchoResponse.from_dict({"id": "r1", "text": "hello", "added_later": [1]})
    assert response.data.to_dict() == {"id": "r1", "text": "hello", "added_later": [1]}
    assert response.raw_data == b'{"id": "r1", "text": "hello", "added_later": [1]}'


def test_model_body_is_sent_with_only_the_fields_set(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r1"})
    body = EchoRequest(messages=[Message(role=Role.SYSTEM)], temperature=0.5)

    echo(make_client().client, body=body)

    assert http_server.requests[0].json() == {"messages": [{"role": "system"}], "temperature": 0.5}


@pytest.mark.parametrize(
    ("status", "klass", "body", "data"),
    [
        (400, BadRequestException, {"detail": "bad"}, InvalidInputModel(detail="bad")),
        (401, UnauthorizedException, {"error": {"message": "who"}}, ApiErrorModel.from_dict({"error": {"message": "who"}})),
        (403, ForbiddenException, {"error": {"message": "no"}}, ApiErrorModel.from_dict({"error": {"message": "no"}})),
        (404, NotFoundException, {"error": {"message": "gone", "code": 7}}, ApiErrorModel.from_dict({"error": {"message": "gone", "code": 7}})),
        (409, ConflictException, {"error": {"message": "clash"}}, ApiErrorModel.from_dict({"error": {"message": "clash"}})),
        (422, UnprocessableEntityException, {"detail": [{"loc": ["body", "messages"], "msg": "required", "type": "missing"}]},
         ValidationErrorModel.from_dict({"detail": [{"loc": ["body", "messages"], "msg": "required", "type": "missing"}]})),
        (429, TooManyRequestsException, {"error": {"message": "slow"}}, ApiErrorModel.from_dict({"error": {"message": "slow"}})),
        (500, ServiceException, {"error": {"message": "oops"}}, ApiErrorModel.from_dict({"error": {"message": "oops"}})),
        (503, ServiceException, {"error": {"message": "busy"}}, ApiErrorModel.from_dict({"error": {"message": "busy"}})),
        (418, ApiException, {"error": {"message": "tea"}}, ApiErrorModel.from_dict({"error": {"message": "tea"}})),
    ],
)  # fmt: skip
def test_each_error_status_raises_its_class_with_everything_the_server_sent(
    http_server: ScriptedServer, make_client: MakeClient, status: int, klass: Type[ApiException], body: Any, data: Any
) -> None:
    http_server.reply(status, json=body, headers={"X-Request-Id": "req-9"})

    with pytest.raises(ApiException) as caught:
        echo(make_client().client, retries=0)

    error = caught.value
    assert type(error) is klass
    assert error.status == status
    assert error.reason
    assert error.headers is not None and error.headers["X-Request-Id"] == "req-9"
    assert error.body is not None and json.loads(error.body) == body
    assert error.data == data


def test_problem_json_error_body_is_parsed(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(404, body=b'{"error": {"message": "m"}}', headers={"Content-Type": "application/problem+json"})

    with pytest.raises(NotFoundException) as caught:
        echo(make_client().client)

    assert caught.value.data == ApiErrorModel.from_dict({"error": {"message": "m"}})


def test_html_502_gives_a_service_exception_with_the_text_and_no_data(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    http_server.reply(502, body=html, headers={"Content-Type": "text/html"})

    with pytest.raises(ServiceException) as caught:
        echo(make_client().client, retries=0)

    assert caught.value.status == 502
    assert caught.value.body == html.decode()
    assert caught.value.data is None
    assert caught.value.server_message == "502 Bad Gateway"  # the page's heading, not its first line
    assert str(caught.value).splitlines()[0] == "(502) Bad Gateway: 502 Bad Gateway"


def test_error_json_not_matching_the_model_gives_data_none(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(400, json={"unexpected": True})

    with pytest.raises(BadRequestException) as caught:
        echo(make_client().client)

    assert caught.value.data is None
    assert caught.value.body == '{"unexpected": true}'


def test_malformed_json_200_raises_decode_error(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, body=b'{"id": "r1", ', headers={"Content-Type": "application/json", "X-Request-Id": "q2"})

    with pytest.raises(ApiDecodeError) as caught:
        echo(make_client().client)

    error = caught.value
    assert error.status == 200
    assert error.body == '{"id": "r1", '
    assert error.headers is not None and error.headers["X-Request-Id"] == "q2"
    assert error.__cause__ is not None
    assert len(http_server.requests) == 1


def test_json_200_not_matching_the_model_raises_decode_error_naming_the_field(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(200, json={"text": "no id"})

    with pytest.raises(ApiDecodeError, match="EchoResponse: id: Field required"):
        echo(make_client().client)


def test_html_200_raises_decode_error(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, body=b"<html>login</html>", headers={"Content-Type": "text/html"})

    with pytest.raises(ApiDecodeError):
        echo(make_client().client)


def test_json_without_content_type_is_decoded(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, body=b'{"id": "r3"}')

    assert echo(make_client().client).data == EchoResponse(id="r3")


def test_gzip_body_is_decoded(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(
        200,
        body=gzip.compress(b'{"id": "gz"}'),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )

    assert echo(make_client().client).data == EchoResponse(id="gz")


NO_CONTENT = Operation(
    operation_id="ping", method="DELETE", path="/ping", params=(), body=None, responses={"204": None}
)
TEXT = Operation(
    operation_id="text",
    method="GET",
    path="/text",
    params=(),
    body=None,
    responses={"200": str},
    accepts=("text/plain",),
)


def test_no_content_gives_none(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(204)
    client = make_client().client

    response = client.execute(client.param_serialize(NO_CONTENT, (), None))

    assert (response.status_code, response.data, response.raw_data) == (204, None, b"")
    assert http_server.requests[0].method == "DELETE"


def test_text_answer_is_decoded_with_its_charset(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, body="caf\u00e9".encode("latin-1"), headers={"Content-Type": "text/plain; charset=latin-1"})
    client = make_client().client

    response = client.execute(client.param_serialize(TEXT, (), None))

    assert response.data == "caf\u00e9"
    assert http_server.requests[0].header("Accept") == "text/plain"


# --- input validation: nothing reaches the server --------------------------------------------------


def _echo_call(**overrides: Any) -> Callable[[ApiClient], Any]:
    return lambda client: echo(client, **overrides)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (_echo_call(x_operator_id=None), ApiValueError, "Missing the required parameter `x_operator_id` when calling `create_echo`"),
        (_echo_call(room_id=None), ApiValueError, "`room_id`"),
        (_echo_call(x_operator_id=12), ApiTypeError, "`x_operator_id` of `create_echo`: expected str, got int"),
        (_echo_call(limit=True), ApiTypeError, "`limit`"),
        (_echo_call(limit="5"), ApiTypeError, "`limit`"),
        (_echo_call(body={"messages": [{"role": 5}]}), ApiValueError, "echo_request.messages.0.role"),
        (_echo_call(body={"messages": [{"role": "user"}], "temperature": 3}), ApiValueError, "echo_request.temperature"),
        (_echo_call(body={"temperature": 1}), ApiValueError, "echo_request.messages: Field required"),
        (_echo_call(body=["not", "a", "dict"]), ApiTypeError, "`echo_request` must be a EchoRequest or a dict, got list"),
        (_echo_call(body=Message(role=Role.USER)), ApiTypeError, "got Message"),
        (_echo_call(room_id=""), ApiValueError, "`room_id`"),
        (_echo_call(room_id="."), ApiValueError, "`room_id`"),
        (_echo_call(room_id=".."), ApiValueError, "`room_id`"),
        (_echo_call(x_operator_id="tn\r\nX-Injected: 1"), ApiValueError, "`x_operator_id`"),
        (_echo_call(x_operator_id="tn\n1"), ApiValueError, "CR, LF or NUL"),
        (_echo_call(x_operator_id="tn\x001"), ApiValueError, "CR, LF or NUL"),
        (_echo_call(x_operator_id="t\u00e9\u4e2d"), ApiValueError, "Latin-1"),
        (_echo_call(authorization="Bearer x\r\nX-Injected: 1"), ApiValueError, "`authorization`"),
        (_echo_call(headers={"X-Extra": "a\rb"}), ApiValueError, "header `X-Extra`"),
        (_echo_call(headers={"X-Bad\r\nName": "v"}), ApiValueError, "Invalid header name"),
        (_echo_call(request_auth={"in": "header", "key": "Authorization", "value": "Bearer a\nb"}), ApiValueError, "credential"),
        (_echo_call(request_auth={"in": "header"}), ApiValueError, "_request_auth"),
        (_echo_call(timeout="soon"), ApiTypeError, "_request_timeout"),
        (_echo_call(timeout=-1), ApiValueError, "_request_timeout"),
        (_echo_call(retries="2"), ApiTypeError, "_retries"),
        (_echo_call(retries=-2), ApiValueError, "_retries"),
        (_echo_call(host_index=5), ApiValueError, "Invalid index 5"),
        (lambda client: client.param_serialize(ECHO, ("room",), ECHO_BODY), ApiTypeError, "takes 4 parameters, got 1"),
        (lambda client: client.param_serialize(STATUS, ("tn_1",), {"x": 1}), ApiTypeError, "takes no request body"),
        (lambda client: client.param_serialize(ECHO, ("r", None, "tn_1", "a"), None), ApiValueError, "`echo_request`"),
    ],
)  # fmt: skip
def test_invalid_input_raises_before_anything_is_sent(
    http_server: ScriptedServer,
    make_client: MakeClient,
    call: Callable[[ApiClient], Any],
    error: Type[Exception],
    message: str,
) -> None:
    client = make_client().client

    with pytest.raises(error) as caught:
        call(client)

    assert message in str(caught.value)
    assert http_server.requests == []
    assert http_server.connection_count == 0


CONSTRAINED = Operation(
    operation_id="constrained",
    method="GET",
    path="/constrained",
    params=(
        Param(
            name="x-operator-id",
            location="header",
            python_name="x_operator_id",
            required=True,
            type=TypeAdapter(Annotated[str, Field(min_length=1)]),
        ),
    ),  # fmt: skip
    body=None,
    responses={"200": EchoResponse},
)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("", ApiValueError, "Invalid value for parameter `x_operator_id` of `constrained`: String should have at least 1 character"),
        (12, ApiTypeError, "Invalid type for parameter `x_operator_id` of `constrained`: Input should be a valid string"),
    ],
)  # fmt: skip
def test_parameter_checked_by_a_type_adapter(
    http_server: ScriptedServer, make_client: MakeClient, value: Any, error: Type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        make_client().client.param_serialize(CONSTRAINED, (value,), None)

    assert str(caught.value) == message
    assert http_server.requests == []


def test_header_injection_through_the_configuration_is_refused(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    kit = make_client(access_token="tok\r\nX-Injected: yes")

    with pytest.raises(ApiValueError, match="credential `Authorization`"):
        kit.client.param_serialize(STATUS, ("tn_1",), None)
    kit.client.set_default_header("X-Default", "a\nb")
    with pytest.raises(ApiValueError, match="header `X-Default`"):
        echo(kit.client)
    assert http_server.requests == []


def test_invalid_host_is_refused(make_client: MakeClient) -> None:
    with pytest.raises(ApiValueError, match="http:// or https://"):
        echo(make_client(host="ftp://127.0.0.1").client)


def test_validation_can_be_switched_off_but_not_the_safety_checks(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(200, json={"id": "r"})
    client = make_client(client_side_validation=False).client

    echo(client, x_operator_id=12, body={"messages": [{"role": 5}], "extra": True})

    assert http_server.requests[0].header("x-operator-id") == "12"
    assert http_server.requests[0].json() == {"messages": [{"role": 5}], "extra": True}
    with pytest.raises(ApiValueError):
        echo(client, room_id="..")
    with pytest.raises(ApiValueError):
        echo(client, x_operator_id="a\r\nb")


# --- URLs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("room_id", "wire"),
    [
        ("a/b", "a%2Fb"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("100%", "100%25"),
        ("a b", "a%20b"),
        ("\u65e5\u672c", "%E6%97%A5%E6%9C%AC"),
        ("..a", "..a"),
        ("a;b=c&d", "a%3Bb%3Dc%26d"),
        (7, "7"),
    ],
)
def test_path_parameters_are_percent_encoded_inside_their_segment(
    http_server: ScriptedServer, make_client: MakeClient, room_id: str, wire: str
) -> None:
    http_server.reply(200, json={"id": "r"})
    client = make_client(client_side_validation=isinstance(room_id, str)).client

    echo(client, room_id=room_id)

    assert http_server.requests[0].path == f"/v1/rooms/{wire}/echo"


def test_safe_chars_for_path_param(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r"})
    client = make_client(safe_chars_for_path_param="/").client

    echo(client, room_id="a/b")

    assert http_server.requests[0].path == "/v1/rooms/a/b/echo"
    with pytest.raises(ApiValueError, match="segments"):
        echo(client, room_id="a/../b")


LIST_QUERY = Operation(
    operation_id="search",
    method="GET",
    path="/search",
    params=(
        Param(name="tag", location="query", python_name="tag", required=False, type=object),
        Param(name="q", location="query", python_name="q", required=False, type=str),
        Param(name="flag", location="query", python_name="flag", required=False, type=bool),
        Param(name="session", location="cookie", python_name="session", required=False, type=str),
    ),
    body=None,
    responses={"200": EchoResponse},
)


def test_query_and_cookie_parameters(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r"})
    client = ApiClient(Configuration(host=http_server.url + "/base/"), cookie="a=1")

    with client:
        client.execute(client.param_serialize(LIST_QUERY, (["x", "y z"], "caf\u00e9 & more", False, "s1"), None))

    [request] = http_server.requests
    assert request.path == "/base/search?tag=x&tag=y%20z&q=caf%C3%A9%20%26%20more&flag=false"
    assert request.header("Cookie") == "a=1; session=s1"


# --- headers and credentials --------------------------------------------------------------------------


def test_bearer_credentials_from_the_configuration(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(200, json={"id": "r"})
    kit = make_client(access_token="tok-from-config")

    kit.client.execute(kit.client.param_serialize(STATUS, ("tn_1",), None))
    kit.client.execute(kit.client.param_serialize(STATUS, ("tn_1",), None, request_auth={"in": "header", "key": "Authorization", "value": "Bearer per-call", "type": "bearer"}))  # fmt: skip
    kit.client.execute(
        kit.client.param_serialize(STATUS, ("tn_1",), None, headers={"authorization": "Bearer via-headers"})
    )

    assert [request.header("Authorization") for request in http_server.requests] == [
        "Bearer tok-from-config",
        "Bearer per-call",
        "Bearer via-headers",
    ]
    assert http_server.requests[0].method == "GET"
    assert http_server.requests[0].body == b""


def test_no_credentials_no_authorization_header(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r"})
    client = make_client().client

    client.execute(client.param_serialize(STATUS, ("tn_1",), None))

    assert http_server.requests[0].header("Authorization") is None


API_KEY_QUERY = Operation(
    operation_id="keyed",
    method="GET",
    path="/keyed",
    params=(),
    body=None,
    responses={"200": EchoResponse},
    auth=(
        AuthSpec(name="queryKey", kind="apiKey", scheme=None, location="query", key="api_key"),
        AuthSpec(name="headerKey", kind="apiKey", scheme=None, location="header", key="X-Api-Key"),
        AuthSpec(name="cookieKey", kind="apiKey", scheme=None, location="cookie", key="ck"),
    ),
)


def test_api_keys_in_query_header_and_cookie(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "r"})
    kit = make_client(
        api_key={"queryKey": "q/key", "headerKey": "h-key", "cookieKey": "c-key"}, api_key_prefix={"headerKey": "Key"}
    )

    kit.client.execute(kit.client.param_serialize(API_KEY_QUERY, (), None))

    [request] = http_server.requests
    assert request.path == "/keyed?api_key=q%2Fkey"
    assert request.header("X-Api-Key") == "Key h-key"
    assert request.header("Cookie") == "ck=c-key"


def test_default_headers_user_agent_and_overrides(http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"id": "r"})
    with ApiClient(Configuration(host=http_server.url), header_name="X-Team", header_value="blue") as client:
        client.user_agent = "my-app/2"
        client.set_default_header("X-Env", "test")
        echo(client, headers={"X-Env": "override", "accept": "application/json"})

    [request] = http_server.requests
    assert request.header("X-Team") == "blue"
    assert request.header("User-Agent") == "my-app/2"
    assert request.header("X-Env") == "override"
    assert [name for name, _ in request.headers].count("accept") + [name for name, _ in request.headers].count(
        "Accept"
    ) == 1


def test_stream_request_sets_the_flag_on_a_copy_and_asks_for_events(make_client: MakeClient) -> None:
    body = EchoRequest(messages=[Message(role=Role.USER)])
    client = make_client().client

    streamed = client.param_serialize(ECHO, ("r", None, "tn_1", "a"), body, stream=True)
    plain = client.param_serialize(ECHO, ("r", None, "tn_1", "a"), body)
    from_dict = client.param_serialize(ECHO, ("r", None, "tn_1", "a"), {**ECHO_BODY, "stream": True})

    assert streamed.stream and from_dict.stream and not plain.stream
    assert streamed.headers["Accept"] == "text/event-stream"
    assert plain.headers["Accept"] == "application/json"
    assert json.loads(streamed.body or b"") == {"messages": [{"role": "user"}], "stream": True}
    assert body.stream is None and "stream" not in body.model_fields_set


def test_prepared_request_repr_masks_credentials(make_client: MakeClient) -> None:
    client = make_client().client

    text = repr(client.param_serialize(ECHO, ("r", None, "tn_1", "Bearer sk-repr-secret-1"), ECHO_BODY))

    assert "sk-repr-secret-1" not in text
    assert "'Authorization': 'Bearer ***'" in text


def test_stream_request_answered_with_json_is_decoded(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, json={"id": "plain"})

    response = echo(make_client().client, stream=True)

    assert response.data == EchoResponse(id="plain")
    assert http_server.requests[0].json()["stream"] is True


# --- raw responses, sizes, lifecycle ------------------------------------------------------------------


def test_execute_raw_returns_the_unread_response_whatever_the_status(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(404, body=b"not here", headers={"Content-Type": "text/plain"})
    client = make_client().client

    with client.execute_raw(client.param_serialize(STATUS, ("tn_1",), None), retries=0) as raw:
        assert isinstance(raw, RESTResponse)
        assert raw.status == 404
        assert raw.getheader("content-type") == "text/plain"
        assert raw.read() == b"not here"
        assert raw.data == b"not here"


def test_body_over_the_limit_raises_and_frees_the_connection(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    big = json.dumps({"id": "x" * 300_000}).encode()
    http_server.reply(200, body=big, headers={"Content-Type": "application/json"})  # too large by Content-Length
    pieces = [big[start : start + 50_000] for start in range(0, len(big), 50_000)]
    http_server.reply(200, body=pieces, headers={"Content-Type": "application/json"})  # chunked: found while reading
    http_server.reply(200, json={"id": "small"})
    client = make_client(max_response_bytes=100_000, connection_pool_maxsize=1).client

    with pytest.raises(ResponseTooLargeError) as by_length:
        echo(client)
    with pytest.raises(ResponseTooLargeError) as by_reading:
        echo(client)
    small = echo(client)

    assert by_length.value.limit == by_reading.value.limit == 100_000
    assert by_length.value.status == 200
    assert small.data == EchoResponse(id="small")
    assert http_server.connection_count == 3  # each oversized answer was cut off: its connection closed


def test_leaving_the_context_closes_the_connections(
    raw_server: Callable[[Callable[[RawConnection], None]], RawServer],
) -> None:
    closed = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.read_request()
        conn.send(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"id": "k"}')
        if conn.read_request() is None:  # the client closed its end
            closed.set()

    server = raw_server(handler)
    with ApiClient(Configuration(host=server.url)) as client:
        assert echo(client).data == EchoResponse(id="k")
        assert not closed.is_set()

    assert closed.wait(5)
    assert len(client.rest_client.pool_manager.pools) == 0


def test_default_client() -> None:
    mine = ApiClient(Configuration(host="http://127.0.0.1:1"))
    try:
        ApiClient.set_default(mine)
        assert ApiClient.get_default() is mine
    finally:
        ApiClient.set_default(None)
        mine.close()
    fresh = ApiClient.get_default()
    assert fresh is not mine
    ApiClient.set_default(None)
    fresh.close()


# --- one client, many threads -------------------------------------------------------------------------

THREADS = 16
CALLS_PER_THREAD = 500


def test_one_client_shared_by_many_threads(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(200, json={"id": "t"})
    client = make_client(connection_pool_maxsize=4).client
    errors: List[BaseException] = []
    results: Dict[int, int] = {}
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        start.wait(5)
        ok = 0
        try:
            for _ in range(CALLS_PER_THREAD):
                if echo(client, room_id=f"room-{index}").data.id == "t":
                    ok += 1
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)
        results[index] = ok

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert sum(results.values()) == THREADS * CALLS_PER_THREAD
    assert len(http_server.requests) == THREADS * CALLS_PER_THREAD
    assert 1 <= http_server.connection_count <= 4
    assert {request.path for request in http_server.requests} == {f"/v1/rooms/room-{n}/echo" for n in range(THREADS)}


def test_every_call_has_the_default_timeout_unless_told_otherwise() -> None:
    from tachyon_sdk._constants import DEFAULT_TIMEOUT
    from tachyon_sdk._types import USE_DEFAULT
    from tachyon_sdk.rest import urllib3_timeout

    with ApiClient(Configuration(host="http://127.0.0.1:1")) as client:
        default = urllib3_timeout(client._resolve_timeout(USE_DEFAULT))
        assert client._resolve_timeout(USE_DEFAULT) == DEFAULT_TIMEOUT
        assert (default.connect_timeout, default.read_timeout) == (5.0, 600.0)
        assert client._resolve_timeout(None) is None
        assert client._resolve_timeout(7) == 7.0
        assert client._resolve_timeout((1, None)) == (1.0, None)
