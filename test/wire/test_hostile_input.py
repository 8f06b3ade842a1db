"""Hostile input through the generated API methods of both tags: encoded in place, or refused before sending."""

from typing import Any, Callable, Dict, Type

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import ApiTypeError, ApiValueError

from ..conftest import ClientKit, ScriptedServer
from ._tachyon import CHAT_REQUEST, CHATROOM_JSON, DEPLOYMENT_CHAT_JSON, DEPLOYMENT_CHAT_REQUEST

MakeClient = Callable[..., ClientKit]

SEGMENTS = [
    ("a/b", "a%2Fb"),
    ("a?b", "a%3Fb"),
    ("a#b", "a%23b"),
    ("100%", "100%25"),
    ("%2e%2e", "%252e%252e"),
    ("a b", "a%20b"),
    ("\u65e5\u672c\u00e9", "%E6%97%A5%E6%9C%AC%C3%A9"),
    ("{deployment_id}", "%7Bdeployment_id%7D"),
    ("...", "..."),
]


@pytest.mark.parametrize(("value", "wire"), SEGMENTS)
def test_chatroom_id_is_encoded_inside_its_segment(
    http_server: ScriptedServer, make_client: MakeClient, value: str, wire: str
) -> None:
    http_server.reply(200, json=CHATROOM_JSON)
    api = tachyon_sdk.ChatApi(make_client().client)

    api.chat_completion_on_chatroom(value, "tn_1", "Bearer sk-1", CHAT_REQUEST)

    assert http_server.requests[0].path == f"/v1/llms/chatrooms/{wire}/chat/completions"


@pytest.mark.parametrize(("value", "wire"), SEGMENTS)
def test_deployment_path_parameters_are_encoded_inside_their_segments(
    http_server: ScriptedServer, make_client: MakeClient, value: str, wire: str
) -> None:
    http_server.reply(200, json=DEPLOYMENT_CHAT_JSON)
    api = tachyon_sdk.DeploymentsApi(make_client().client)

    api.get_chat_completions_from_deployment(value, value, DEPLOYMENT_CHAT_REQUEST)

    assert http_server.requests[0].path == f"/v1/projects/{wire}/deployments/{wire}/chat/completions"


def chat(client: Any, **overrides: Any) -> Any:
    arguments: Dict[str, Any] = {
        "x_operator_id": "tn_1",
        "authorization": "Bearer sk-1",
        "chat_completion_request": CHAT_REQUEST,
    }
    arguments.update(overrides)
    return tachyon_sdk.ChatApi(client).chat_completion(**arguments)


def chatroom(client: Any, chatroom_id: Any = "room-1", **overrides: Any) -> Any:
    arguments: Dict[str, Any] = {
        "x_operator_id": "tn_1",
        "authorization": "Bearer sk-1",
        "chat_completion_request": CHAT_REQUEST,
    }
    arguments.update(overrides)
    return tachyon_sdk.ChatApi(client).chat_completion_on_chatroom_stream(chatroom_id, **arguments)


def deployment(client: Any, project_id: Any = "p1", deployment_id: Any = "d1", **overrides: Any) -> Any:
    arguments: Dict[str, Any] = {"get_chat_completions_from_deployment_request_body": DEPLOYMENT_CHAT_REQUEST}
    arguments.update(overrides)
    return tachyon_sdk.DeploymentsApi(client).get_chat_completions_from_deployment(
        project_id, deployment_id, **arguments
    )


def completion(client: Any, **overrides: Any) -> Any:
    arguments: Dict[str, Any] = {"get_completions_from_deployment_request_body": {"prompt": "p"}}
    arguments.update(overrides)
    return tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment_with_http_info("p1", "d1", **arguments)


Call = Callable[[Any], Any]
REFUSED = [
    # path parameters that would leave their segment
    (lambda c: chatroom(c, ""), ApiValueError, "`chatroom_id`"),
    (lambda c: chatroom(c, "."), ApiValueError, "`chatroom_id`"),
    (lambda c: chatroom(c, ".."), ApiValueError, "`chatroom_id`"),
    (lambda c: deployment(c, project_id=""), ApiValueError, "`project_id`"),
    (lambda c: deployment(c, project_id=".."), ApiValueError, "`project_id`"),
    (lambda c: deployment(c, deployment_id="."), ApiValueError, "`deployment_id`"),
    (lambda c: deployment(c, deployment_id=".."), ApiValueError, "`deployment_id`"),
    # CR, LF, NUL in header parameters
    (lambda c: chat(c, authorization="Bearer sk-1\r\nX-Injected: 1"), ApiValueError, "`authorization`"),
    (lambda c: chat(c, authorization="Bearer sk-1\n"), ApiValueError, "CR, LF or NUL"),
    (lambda c: chat(c, authorization="Bearer sk\x00-1"), ApiValueError, "CR, LF or NUL"),
    (lambda c: chat(c, x_operator_id="tn_1\rX: 1"), ApiValueError, "`x_operator_id`"),
    (lambda c: chatroom(c, x_operator_id="tn_1\n"), ApiValueError, "`x_operator_id`"),
    (lambda c: chatroom(c, authorization="Bearer x\r\n\r\nGET / HTTP/1.1"), ApiValueError, "`authorization`"),
    (lambda c: chatroom(c, x_operator_id="tn\x001"), ApiValueError, "`x_operator_id`"),
    (lambda c: chat(c, authorization="Bearer \u2603"), ApiValueError, "Latin-1"),
    # CR, LF, NUL in _headers values and names
    (lambda c: chat(c, _headers={"X-Trace": "a\r\nX-Injected: 1"}), ApiValueError, "`X-Trace`"),
    (lambda c: chat(c, _headers={"Authorization": "Bearer x\ny"}), ApiValueError, "`Authorization`"),
    (lambda c: deployment(c, _headers={"X-Trace": "a\x00b"}), ApiValueError, "CR, LF or NUL"),
    (lambda c: deployment(c, _headers={"X-Evil\r\nX-Injected": "1"}), ApiValueError, "Invalid header name"),
    (lambda c: completion(c, _headers={"X-Evil\n": "1"}), ApiValueError, "Invalid header name"),
    (lambda c: chatroom(c, _headers={"X-Evil\x00": "1"}), ApiValueError, "Invalid header name"),
    (lambda c: chat(c, _headers={"X-Evil: 1\r\nX": "1"}), ApiValueError, "Invalid header name"),
    (lambda c: chat(c, _headers={"": "1"}), ApiValueError, "Invalid header name"),
    (lambda c: chat(c, _headers={1: "1"}), ApiValueError, "Invalid header name"),
    (lambda c: chat(c, _headers={"X-Number": 1}), ApiTypeError, "must be str"),
    (lambda c: chat(c, _headers=[("X-Trace", "1")]), ApiTypeError, "_headers must be a mapping"),
    # credentials given per call
    (lambda c: deployment(c, _request_auth={"in": "header", "key": "X-API-Key", "value": "ak-1\r\nX-Injected: 1"}), ApiValueError, "credential `X-API-Key`"),
    (lambda c: completion(c, _request_auth={"in": "header", "key": "X-API-Key", "value": "ak\x00-1"}), ApiValueError, "credential `X-API-Key`"),
    (lambda c: deployment(c, _request_auth={"in": "header", "key": "X-API\rKey", "value": "ak-1"}), ApiValueError, "Invalid header name"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "message"), REFUSED)
def test_refused_before_anything_is_sent(
    http_server: ScriptedServer, make_client: MakeClient, call: Call, error: Type[Exception], message: str
) -> None:
    client = make_client().client

    with pytest.raises(error) as caught:
        call(client)

    assert type(caught.value) is error
    assert message in str(caught.value)
    assert http_server.requests == []
    assert http_server.connection_count == 0


def test_a_configured_api_key_with_a_line_break_is_refused(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    client = make_client(api_key={"api_key": "ak-config\r\nX-Injected: 1"}).client

    with pytest.raises(ApiValueError, match="credential `X-API-Key`"):
        deployment(client)

    assert http_server.requests == []
    assert http_server.connection_count == 0


def test_a_default_header_with_a_line_break_is_refused(http_server: ScriptedServer, make_client: MakeClient) -> None:
    client = make_client().client
    client.set_default_header("X-Team", "blue\nX-Injected: 1")

    with pytest.raises(ApiValueError, match="header `X-Team`"):
        chat(client)

    assert http_server.requests == []
