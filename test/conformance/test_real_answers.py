"""Non-streamed answers as the real services send them, and the credentials each API sends.

Served byte for byte from ``test/fixtures/real/`` on 127.0.0.1, read through ``ChatApi`` and ``DeploymentsApi``:
the ``chat.completion`` the Tachyon server sends and the chunk shape its document declares give the same text;
the chatroom answer has ``created`` null and no ``chatroom_id``; Emissary answers ``{id, response}``.
"""

import json
from typing import Any, Callable, Dict

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import UnauthorizedException
from tachyon_sdk.helpers import answer_text
from tachyon_sdk.models.api_error_unauthorized import APIErrorUnauthorized
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.get_chat_completions_from_deployment_response_body import (
    GetChatCompletionsFromDeploymentResponseBody,
)
from tachyon_sdk.models.get_completions_from_deployment_response_body import GetCompletionsFromDeploymentResponseBody

from ..conftest import ClientKit, ScriptedServer
from ._real import (
    API_KEY,
    AUTHORIZATION,
    CHAT_BODY,
    CHATROOM,
    DEPLOYMENT,
    DEPLOYMENT_CHAT_BODY,
    DEPLOYMENT_COMPLETION_BODY,
    JSON,
    OPERATOR,
    PROJECT,
    fixture,
    fixture_json,
)

MakeClient = Callable[..., ClientKit]


def serve(http_server: ScriptedServer, name: str) -> bytes:
    data = fixture(name)
    http_server.reply(200, body=data, headers=JSON)
    return data


# --- chat: both shapes of the answer ------------------------------------------------------------------------


def test_chat_completion_with_message(http_server: ScriptedServer, make_client: MakeClient) -> None:
    data = serve(http_server, "chat_completion.json")

    info = tachyon_sdk.ChatApi(make_client().client).chat_completion_with_http_info(OPERATOR, AUTHORIZATION, CHAT_BODY)

    answer = info.data
    assert isinstance(answer, ChatCompletionResponse)
    assert info.raw_data == data
    [choice] = answer.choices
    assert choice.message is not None and choice.delta is None
    assert (choice.message.role, choice.message.content, choice.message.tool_calls) == (
        "assistant",
        "The capital of France is Paris.",
        None,
    )
    assert (choice.finish_reason, choice.logprobs) == ("stop", None)
    assert answer.usage is not None and (answer.usage.total_tokens, answer.usage.total_cost) == (22, 0.000042)
    assert answer.usage.cache_read_input_tokens is None
    assert answer_text(answer) == "The capital of France is Paris."
    assert answer.to_dict() == json.loads(data)  # nothing lost, explicit nulls included
    request = http_server.requests[0]
    assert request.json() == CHAT_BODY  # nothing unset is sent, no stream flag either
    assert request.header("Accept") == "application/json"


@pytest.mark.parametrize("operation", ["chat_completion", "chat_completion_on_chatroom"])
def test_the_chunk_shape_non_streamed_gives_the_same_text(
    http_server: ScriptedServer, make_client: MakeClient, operation: str
) -> None:
    serve(http_server, "chat_completion.json")
    data = serve(http_server, "chat_completion_chunk_shape.json")
    api = tachyon_sdk.ChatApi(make_client().client)
    path = () if operation == "chat_completion" else (CHATROOM,)
    arguments = (*path, OPERATOR, AUTHORIZATION, CHAT_BODY)

    whole = getattr(api, operation)(*arguments)
    chunk_shaped = getattr(api, operation)(*arguments)

    expected_type = ChatCompletionResponse if operation == "chat_completion" else ChatCompletionWithChatroomResponse
    assert type(whole) is type(chunk_shaped) is expected_type
    [choice] = chunk_shaped.choices
    assert choice.message is None and choice.delta is not None
    assert (choice.delta.role, choice.delta.tool_calls, choice.finish_reason) == ("assistant", None, "stop")
    assert chunk_shaped.object == "chat.completion.chunk"
    assert answer_text(chunk_shaped) == answer_text(whole) == "The capital of France is Paris."
    assert chunk_shaped.to_dict() == json.loads(data)


def test_chatroom_answer_with_created_null_and_no_chatroom_id(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    data = serve(http_server, "chatroom_completion.json")

    answer = tachyon_sdk.ChatApi(make_client().client).chat_completion_on_chatroom(
        CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY
    )

    assert isinstance(answer, ChatCompletionWithChatroomResponse)
    assert (answer.created, answer.chatroom_id) == (None, None)
    assert answer_text(answer) == "Bonjour !"
    assert answer.to_dict() == json.loads(data)
    assert "chatroom_id" not in answer.to_dict()  # absent stays absent
    assert http_server.requests[0].path == f"/v1/llms/chatrooms/{CHATROOM}/chat/completions"


# --- deployments: {id, response} ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "body", "model", "extra"),
    [
        ("deployment_chat.json", "get_chat_completions_from_deployment", DEPLOYMENT_CHAT_BODY,
         GetChatCompletionsFromDeploymentResponseBody, {"model": "Llama-3.2-1B-Instruct", "latency_ms": 412}),
        ("deployment_completion.json", "get_completions_from_deployment", DEPLOYMENT_COMPLETION_BODY,
         GetCompletionsFromDeploymentResponseBody, {}),
    ],
    ids=["chat", "completion"],
)  # fmt: skip
def test_deployment_answer_of_id_and_response_keeps_unknown_fields(
    http_server: ScriptedServer,
    make_client: MakeClient,
    name: str,
    method: str,
    body: Dict[str, Any],
    model: Any,
    extra: Dict[str, Any],
) -> None:
    data = serve(http_server, name)
    api = tachyon_sdk.DeploymentsApi(make_client(api_key={"api_key": API_KEY}).client)

    answer = getattr(api, method)(PROJECT, DEPLOYMENT, body)

    expected = fixture_json(name)
    assert type(answer) is model
    assert (answer.id, answer.response) == (expected["id"], expected["response"])
    assert answer_text(answer) == expected["response"]
    assert (answer.model_extra or {}) == extra
    assert answer.to_dict() == json.loads(data)
    assert http_server.requests[0].json() == body


# --- credentials: X-API-Key for Deployments, the explicit headers for Chat -------------------------------------


def test_deployments_send_the_api_key_header_and_no_authorization(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    serve(http_server, "deployment_chat.json")
    serve(http_server, "deployment_completion.json")
    kit = make_client(api_key={"api_key": API_KEY}, access_token="sk-configured-but-unused")
    api = tachyon_sdk.DeploymentsApi(kit.client)

    api.get_chat_completions_from_deployment(PROJECT, DEPLOYMENT, DEPLOYMENT_CHAT_BODY)
    api.get_completions_from_deployment(PROJECT, DEPLOYMENT, DEPLOYMENT_COMPLETION_BODY)

    for request in http_server.requests:
        assert request.header("X-API-Key") == API_KEY
        assert request.header("Authorization") is None
        assert request.header("x-operator-id") is None
    assert [name.lower() for name, _ in http_server.requests[0].headers].count("x-api-key") == 1


def test_chat_sends_its_explicit_headers_and_no_api_key(http_server: ScriptedServer, make_client: MakeClient) -> None:
    serve(http_server, "chat_completion.json")
    serve(http_server, "chatroom_completion.json")
    kit = make_client(api_key={"api_key": API_KEY}, access_token="sk-configured-but-unused")
    api = tachyon_sdk.ChatApi(kit.client)

    api.chat_completion(OPERATOR, AUTHORIZATION, CHAT_BODY)
    api.chat_completion_on_chatroom(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)

    for request in http_server.requests:
        assert request.header("Authorization") == AUTHORIZATION
        assert request.header("x-operator-id") == OPERATOR
        assert request.header("X-API-Key") is None


def test_deployments_without_a_configured_key_send_none_and_read_the_401(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(401, body=fixture("errors/emissary_401.json"), headers=JSON)
    api = tachyon_sdk.DeploymentsApi(make_client(access_token="sk-not-for-emissary", retries=0).client)

    with pytest.raises(UnauthorizedException) as caught:
        api.get_completions_from_deployment(PROJECT, DEPLOYMENT, DEPLOYMENT_COMPLETION_BODY)

    request = http_server.requests[0]
    assert (request.header("X-API-Key"), request.header("Authorization")) == (None, None)
    assert isinstance(caught.value.data, APIErrorUnauthorized) and caught.value.data.status == 401
