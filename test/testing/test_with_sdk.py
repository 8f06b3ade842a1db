"""LocalServer through the real SDK: the four operations, and every fault as the SDK reports it."""

import http.client
import json
import subprocess
import sys
from typing import Any, Dict, Iterator, List

import pydantic
import pytest

import tachyon_sdk
from tachyon_sdk.testing import DEFAULT_OPERATOR_ID, LocalServer

OP = DEFAULT_OPERATOR_ID
PROMPT = "Tell me a short story"
MESSAGES = [{"role": "user", "content": PROMPT}]


@pytest.fixture
def api_client(server: LocalServer) -> Iterator[tachyon_sdk.ApiClient]:
    with server.api_client() as client:
        yield client


@pytest.fixture
def chat(api_client: tachyon_sdk.ApiClient) -> tachyon_sdk.ChatApi:
    return tachyon_sdk.ChatApi(api_client)


@pytest.fixture
def deployments(api_client: tachyon_sdk.ApiClient) -> tachyon_sdk.DeploymentsApi:
    return tachyon_sdk.DeploymentsApi(api_client)


def assert_no_extra_fields(value: Any) -> None:
    """Every field the server sent is one the spec declares (the models keep unknown ones in ``model_extra``)."""
    if isinstance(value, pydantic.BaseModel):
        assert not value.model_extra, f"{type(value).__name__} got undeclared fields {value.model_extra}"
        for name in type(value).model_fields:
            assert_no_extra_fields(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            assert_no_extra_fields(item)


def raw_events(server: LocalServer, path: str, body: Dict[str, Any], token: str) -> List[str]:
    """The data of each event of a stream, read with http.client (what the SDK decodes)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"x-operator-id": OP, "Authorization": "Bearer " + token, "Content-Type": "application/json"}
        conn.request("POST", path, json.dumps(body), headers)
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    return [block[len("data: ") :] for block in text.split("\n\n") if block.startswith("data: ")]


# -- the four operations -------------------------------------------------------------------------------


def test_chat_completion(chat: tachyon_sdk.ChatApi) -> None:
    info = chat.chat_completion_with_http_info(OP, "Bearer t", {"messages": MESSAGES, "model": "m"})
    response = info.data
    assert isinstance(response, tachyon_sdk.ChatCompletionResponse)
    assert response.choices[0].message.content == PROMPT
    assert response.model == "m"
    assert response.usage is not None and response.usage.completion_tokens == 5
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.ChatCompletionResponse.from_json(info.raw_data))


def test_chat_completion_stream(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.ChatCompletionChunkResponse) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == PROMPT
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert server.last_request is not None and server.last_request.body["stream"] is True
    for data in raw_events(server, "/v1/llms/chat/completions", {"messages": MESSAGES, "stream": True}, "t"):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.ChatCompletionChunkResponse.from_json(data))


def test_chat_completion_stream_flag_and_usage(chat: tachyon_sdk.ChatApi) -> None:
    request = tachyon_sdk.ChatCompletionRequest(
        messages=MESSAGES, stream=True, stream_options=tachyon_sdk.StreamOptions(include_usage=True)
    )
    stream = chat.chat_completion(OP, "Bearer t", request)
    assert isinstance(stream, tachyon_sdk.Stream)
    with stream:
        chunks = list(stream)
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == chunks[-1].usage.prompt_tokens + 5
    assert all(c.usage is None for c in chunks[:-1])


def test_chat_completion_on_chatroom(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    info = chat.chat_completion_on_chatroom_with_http_info("room 7", OP, "Bearer t", {"messages": MESSAGES})
    assert isinstance(info.data, tachyon_sdk.ChatCompletionWithChatroomResponse)
    assert info.data.chatroom_id == "room 7"
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.ChatCompletionWithChatroomResponse.from_json(info.raw_data))
    with chat.chat_completion_on_chatroom_stream("room 7", OP, "Bearer t", {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.ChatCompletionWithChatroomStreamResponse) for c in chunks)
    assert {c.chatroom_id for c in chunks} == {"room 7"}
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == PROMPT
    path = "/v1/llms/chatrooms/r/chat/completions"
    for data in raw_events(server, path, {"messages": MESSAGES, "stream": True}, "t"):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.ChatCompletionWithChatroomStreamResponse.from_json(data))


def test_get_chat_completions_from_deployment(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    body = {"messages": MESSAGES, "temperature": 0.7, "max_new_tokens": 500}
    info = deployments.get_chat_completions_from_deployment_with_http_info("proj", "dep", OP, body)
    assert isinstance(info.data, tachyon_sdk.GetChatCompletionsFromDeploymentResponseBody)
    assert info.data.message.content == PROMPT and info.data.deployment_id == "dep"
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.GetChatCompletionsFromDeploymentResponseBody.from_json(info.raw_data))
    with deployments.get_chat_completions_from_deployment_stream("proj", "dep", OP, {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.GetChatCompletionsFromDeploymentChunk) for c in chunks)
    assert "".join(c.delta.content or "" for c in chunks) == PROMPT
    assert chunks[-1].usage is not None
    path = "/v1/projects/proj/deployments/dep/chat/completions"
    for data in raw_events(server, path, {"messages": MESSAGES, "streaming": True}, server.api_key):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.GetChatCompletionsFromDeploymentChunk.from_json(data))


def test_get_completions_from_deployment(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    info = deployments.get_completions_from_deployment_with_http_info("proj", "dep", OP, {"prompt": PROMPT})
    assert isinstance(info.data, tachyon_sdk.GetCompletionsFromDeploymentResponseBody)
    assert info.data.text == PROMPT
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.GetCompletionsFromDeploymentResponseBody.from_json(info.raw_data))
    stream = deployments.get_completions_from_deployment("proj", "dep", OP, {"prompt": PROMPT, "streaming": True})
    assert isinstance(stream, tachyon_sdk.Stream)
    with stream:
        texts = [c.text for c in stream]
    assert "".join(texts) == PROMPT
    path = "/v1/projects/proj/deployments/dep/completions"
    for data in raw_events(server, path, {"prompt": PROMPT, "streaming": True}, server.api_key):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.GetCompletionsFromDeploymentChunk.from_json(data))


def test_the_sdk_sends_what_the_server_records(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    deployments.get_completions_from_deployment("p", "d", "tn_123", {"prompt": "x", "top_k": 5})
    request = server.last_request
    assert request is not None
    assert request.operation == "getCompletionsFromDeployment"
    assert request.headers["x-operator-id"] == "tn_123"
    assert request.headers["Authorization"] == "Bearer ***"  # filled from Configuration.access_token
    assert request.body == {"prompt": "x", "top_k": 5}


# -- errors as the SDK sees them -----------------------------------------------------------------------


def test_wrong_key_is_unauthorized_with_api_error(server: LocalServer) -> None:
    with server.api_client(access_token="wrong") as client:
        with pytest.raises(tachyon_sdk.UnauthorizedException) as info:
            tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment("p", "d", OP, {"prompt": "x"})
    assert isinstance(info.value.data, tachyon_sdk.APIError)
    assert info.value.data.error.type == "authentication_error"
    assert "wrong" not in str(info.value)


def test_missing_deployment_is_not_found(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    server.add_missing_deployment("proj", "gone")
    with pytest.raises(tachyon_sdk.NotFoundException) as info:
        deployments.get_chat_completions_from_deployment("proj", "gone", OP, {"messages": MESSAGES})
    assert isinstance(info.value.data, tachyon_sdk.APIErrorNotFound)
    assert "gone" in info.value.data.message


def test_server_side_validation_is_unprocessable_entity(server: LocalServer) -> None:
    # Client-side validation would stop the body before it is sent; turn it off to reach the server.
    with server.api_client(client_side_validation=False) as client:
        with pytest.raises(tachyon_sdk.UnprocessableEntityException) as info:
            tachyon_sdk.ChatApi(client).chat_completion(OP, "Bearer t", {"messages": MESSAGES, "temperature": 5})
    assert isinstance(info.value.data, tachyon_sdk.HTTPValidationError)
    assert info.value.data.detail is not None
    assert info.value.data.detail[0].loc == ["body", "temperature"]


def test_error_bodies_match_the_error_models(server: LocalServer, client: Any) -> None:
    answers = {
        "APIErrorInvalidInput": client.post("/v1/llms/chat/completions", {"messages": MESSAGES}, x_operator_id=None),
        "APIError": client.post("/v1/llms/chat/completions", {"messages": MESSAGES}, Authorization=None),
        "HTTPValidationError": client.post("/v1/llms/chat/completions", {"messages": []}),
        "APIErrorNotFound": client.post("/v1/none", {}),
    }
    for name, answer in answers.items():
        model = getattr(tachyon_sdk, name).from_json(answer.body)
        assert_no_extra_fields(model)


# -- fault injection as the SDK sees it ----------------------------------------------------------------


def test_fail_next_429_is_too_many_requests(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.fail_next(429, retry_after=0)
    with pytest.raises(tachyon_sdk.TooManyRequestsException) as info:
        chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}, _retries=0)
    assert info.value.status == 429
    assert isinstance(info.value.data, tachyon_sdk.APIError)
    assert info.value.headers is not None and info.value.headers["Retry-After"] == "0"


def test_the_sdk_retries_past_a_single_failure(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.fail_next(503, retry_after=0)
    response = chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES})
    assert isinstance(response, tachyon_sdk.ChatCompletionResponse)
    assert [r.operation for r in server.requests] == ["chat_completion", "chat_completion"]


def test_fail_next_500_is_service_exception(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    server.fail_next(500, retry_after=0, times=3)
    with pytest.raises(tachyon_sdk.ServiceException):
        deployments.get_completions_from_deployment("p", "d", OP, {"prompt": "x"})
    assert len(server.requests) == 3  # the first try and two retries


def test_reset_next_is_a_connection_error(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.reset_next()
    with pytest.raises(tachyon_sdk.ApiConnectionError):
        chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}, _retries=0)
    assert isinstance(chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}), tachyon_sdk.ChatCompletionResponse)


def test_delay_next_is_a_timeout(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.delay_next(30)
    with pytest.raises(tachyon_sdk.ApiTimeoutError):
        chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}, _request_timeout=0.2, _retries=0)


def test_cut_stream_is_a_stream_error(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.cut_stream_after(3)
    received: List[Any] = []
    with pytest.raises(tachyon_sdk.StreamError) as info:
        with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
            for chunk in stream:
                received.append(chunk)
    assert len(received) == 3
    assert info.value.chunks_received == 3


def test_graceful_cut_is_a_stream_error_too(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    server.cut_stream_after(2, graceful=True)
    with pytest.raises(tachyon_sdk.StreamError):
        with deployments.get_completions_from_deployment_stream("p", "d", OP, {"prompt": PROMPT}) as stream:
            list(stream)


def test_error_event_is_an_api_exception(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.error_event_after(2, "model overloaded", type="overloaded_error")
    received: List[Any] = []
    with pytest.raises(tachyon_sdk.ApiException) as info:
        with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
            for chunk in stream:
                received.append(chunk)
    assert len(received) == 2
    assert isinstance(info.value.data, tachyon_sdk.APIError)
    assert info.value.data.error.message == "model overloaded"


def test_an_abandoned_stream_leaves_the_server_usable(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.set_reply("a b c d e f g h")
    with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
        next(stream)
    assert isinstance(chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}), tachyon_sdk.ChatCompletionResponse)


def test_local_server_is_not_imported_by_the_sdk(child_env: Any) -> None:
    code = (
        "import sys, tachyon_sdk; tachyon_sdk.ChatApi; tachyon_sdk.DeploymentsApi; tachyon_sdk.ChatCompletionRequest;"
        " print('tachyon_sdk.testing' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=child_env())
    assert result.stdout.strip() == "False", result.stderr


def test_error_event_with_a_status_code(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.error_event_after(0, "slow down", type="rate_limit_error", code=429)
    with pytest.raises(tachyon_sdk.TooManyRequestsException) as info:
        with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
            list(stream)
    assert info.value.data.error.code == 429
