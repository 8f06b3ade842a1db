"""LocalServer through the real SDK: the four operations, and every fault as the SDK reports it."""

import http.client
import json
import subprocess
import sys
from typing import Any, Dict, Iterator, List

import pydantic
import pytest

import tachyon_sdk
from tachyon_sdk.helpers import answer_text, collect_chat_completion, text_deltas
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


def raw_events(server: LocalServer, path: str, body: Dict[str, Any]) -> List[str]:
    """The data of each event of a stream, read with http.client (what the SDK decodes)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        headers = {"Content-Type": "application/json"}
        if "/projects/" in path:
            headers["X-API-Key"] = server.api_key
        else:
            headers.update({"x-operator-id": OP, "Authorization": "Bearer t"})
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
    assert response.choices[0].message is not None and response.choices[0].message.content == PROMPT
    assert answer_text(response) == PROMPT
    assert response.model == "m"
    assert response.usage is not None and response.usage.completion_tokens == 5
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.ChatCompletionResponse.from_json(info.raw_data))


def test_chat_completion_stream(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.ChatCompletionChunkResponse) for c in chunks)
    assert "".join(text_deltas(chunks)) == PROMPT
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert [c.choices[0].finish_reason for c in chunks[:-1]] == [None] * (len(chunks) - 1)
    assert server.last_request is not None and server.last_request.body["stream"] is True
    completion = collect_chat_completion(chunks)
    assert answer_text(completion) == PROMPT
    for data in raw_events(server, "/v1/llms/chat/completions", {"messages": MESSAGES, "stream": True}):
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
    assert info.data.chatroom_id is None and info.data.created is None  # as the real server sends it
    assert answer_text(info.data) == PROMPT
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.ChatCompletionWithChatroomResponse.from_json(info.raw_data))
    with chat.chat_completion_on_chatroom_stream("room 7", OP, "Bearer t", {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.ChatCompletionWithChatroomStreamResponse) for c in chunks)
    assert {(c.created, c.chatroom_id) for c in chunks} == {(None, None)}
    assert "".join(text_deltas(chunks)) == PROMPT
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert server.requests[-1].path == "/v1/llms/chatrooms/room%207/chat/completions"
    path = "/v1/llms/chatrooms/r/chat/completions"
    for data in raw_events(server, path, {"messages": MESSAGES, "stream": True}):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.ChatCompletionWithChatroomStreamResponse.from_json(data))


def test_chatroom_agent_events_are_skipped_by_iteration_and_given_by_events(
    server: LocalServer, chat: tachyon_sdk.ChatApi
) -> None:
    server.agent_events = True
    with chat.chat_completion_on_chatroom_stream("r", OP, "Bearer t", {"messages": MESSAGES}) as stream:
        assert list(stream) == []
        assert stream.events_skipped == 5
    with chat.chat_completion_on_chatroom_stream("r", OP, "Bearer t", {"messages": MESSAGES}) as stream:
        events = list(stream.events())
    assert [e.event for e in events] == ["say"] * 5
    assert "".join(json.loads(e.data)["text"] for e in events) == PROMPT


def test_get_chat_completions_from_deployment(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    body = {"messages": MESSAGES, "temperature": 0.7, "max_new_tokens": 500}
    info = deployments.get_chat_completions_from_deployment_with_http_info("proj", "dep", body)
    assert isinstance(info.data, tachyon_sdk.GetChatCompletionsFromDeploymentResponseBody)
    assert info.data.response == PROMPT and info.data.id
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.GetChatCompletionsFromDeploymentResponseBody.from_json(info.raw_data))
    with deployments.get_chat_completions_from_deployment_stream("proj", "dep", {"messages": MESSAGES}) as stream:
        chunks = list(stream)
    assert all(isinstance(c, tachyon_sdk.GetChatCompletionsFromDeploymentChunk) for c in chunks)
    assert "".join(c.response or "" for c in chunks) == PROMPT
    assert "".join(text_deltas(chunks)) == PROMPT
    path = "/v1/projects/proj/deployments/dep/chat/completions"
    for data in raw_events(server, path, {"messages": MESSAGES, "streaming": True}):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.GetChatCompletionsFromDeploymentChunk.from_json(data))


def test_get_completions_from_deployment(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    info = deployments.get_completions_from_deployment_with_http_info("proj", "dep", {"prompt": PROMPT})
    assert isinstance(info.data, tachyon_sdk.GetCompletionsFromDeploymentResponseBody)
    assert info.data.response == PROMPT
    assert info.raw_data is not None
    assert_no_extra_fields(tachyon_sdk.GetCompletionsFromDeploymentResponseBody.from_json(info.raw_data))
    stream = deployments.get_completions_from_deployment("proj", "dep", {"prompt": PROMPT, "streaming": True})
    assert isinstance(stream, tachyon_sdk.Stream)
    with stream:
        texts = [c.response for c in stream]
    assert "".join(t or "" for t in texts) == PROMPT
    path = "/v1/projects/proj/deployments/dep/completions"
    for data in raw_events(server, path, {"prompt": PROMPT, "streaming": True}):
        if data != "[DONE]":
            assert_no_extra_fields(tachyon_sdk.GetCompletionsFromDeploymentChunk.from_json(data))


def test_the_sdk_sends_what_the_server_records(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    deployments.get_completions_from_deployment("p", "d", {"prompt": "x", "top_k": 5})
    request = server.last_request
    assert request is not None
    assert request.operation == "getCompletionsFromDeployment"
    assert request.headers["X-API-Key"] == "***"  # filled from Configuration.api_key["api_key"], masked
    assert "Authorization" not in request.headers and "x-operator-id" not in request.headers
    assert request.body == {"prompt": "x", "top_k": 5}


# -- errors as the SDK sees them -----------------------------------------------------------------------


def test_wrong_api_key_is_unauthorized_with_its_model(server: LocalServer) -> None:
    with server.api_client(api_key={"api_key": "not-the-server-key"}) as client:
        with pytest.raises(tachyon_sdk.UnauthorizedException) as info:
            tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment("p", "d", {"prompt": "x"})
    assert isinstance(info.value.data, tachyon_sdk.APIErrorUnauthorized)
    assert (info.value.data.status, info.value.data.error) == (401, "Unauthorized")
    assert "not-the-server-key" not in str(info.value)


def test_chat_without_bearer_is_unauthorized_with_the_server_text(chat: tachyon_sdk.ChatApi) -> None:
    with pytest.raises(tachyon_sdk.UnauthorizedException) as info:
        chat.chat_completion(OP, "Token t", {"messages": MESSAGES})
    assert isinstance(info.value.data, tachyon_sdk.ErrorResponse)
    assert info.value.server_message is not None and info.value.server_message.startswith("Unauthorized: malformed")
    assert str(info.value).splitlines()[0].startswith("(401) Unauthorized: Unauthorized: malformed Authorization")


def test_missing_deployment_is_not_found(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    server.add_missing_deployment("proj", "gone")
    with pytest.raises(tachyon_sdk.NotFoundException) as info:
        deployments.get_chat_completions_from_deployment("proj", "gone", {"messages": MESSAGES})
    assert isinstance(info.value.data, tachyon_sdk.APIErrorNotFound)
    assert info.value.data.code == "object_not_found"
    assert info.value.data.error is not None and "gone" in info.value.data.error


@pytest.mark.parametrize(
    ("body", "klass", "text"),
    [
        ({"messages": MESSAGES, "temperature": 5}, tachyon_sdk.UnprocessableEntityException, "temperature: invalid value"),
        ({"messages": MESSAGES, "n": 11}, tachyon_sdk.UnprocessableEntityException, "n: invalid value: integer `11`"),
        ({"messages": [{"content": "no role"}]}, tachyon_sdk.UnprocessableEntityException, "missing field `role`"),
    ],
)  # fmt: skip
def test_server_side_rejections_are_plain_text_in_the_exception(
    server: LocalServer, body: Dict[str, Any], klass: Any, text: str
) -> None:
    # Client-side validation would stop the body before it is sent; turn it off to reach the server.
    with server.api_client(client_side_validation=False) as client:
        with pytest.raises(klass) as info:
            tachyon_sdk.ChatApi(client).chat_completion(OP, "Bearer t", body)
    assert info.value.data is None  # plain text fits no model
    assert info.value.body is not None and info.value.body.startswith("Failed to deserialize the JSON body")
    assert info.value.server_message is not None and text in info.value.server_message
    assert text in str(info.value).splitlines()[0]


def test_a_form_body_is_415_with_the_frameworks_text(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    with pytest.raises(tachyon_sdk.ApiException) as info:
        chat.chat_completion(
            OP, "Bearer t", {"messages": MESSAGES}, _content_type="application/x-www-form-urlencoded", _retries=0
        )
    assert info.value.status == 415 and info.value.data is None
    assert info.value.server_message == "Expected request with `Content-Type: application/json`"
    assert server.last_request is not None
    assert server.last_request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_error_bodies_match_the_error_models(server: LocalServer, client: Any) -> None:
    answers = {
        "ErrorResponse": client.post("/v1/llms/chat/completions", {"messages": MESSAGES}, x_operator_id=None),
        "APIErrorUnauthorized": client.post(
            "/v1/projects/p/deployments/d/completions", {"prompt": "p"}, x_api_key=None
        ),
        "APIErrorInvalidInput": client.post("/v1/projects/p/deployments/d/completions", {}),
        "APIErrorNotFound": client.post("/v1/projects/p/unknown", {}),
    }
    for name, answer in answers.items():
        model = getattr(tachyon_sdk, name).from_json(answer.body)
        assert_no_extra_fields(model)
        assert model.error


# -- fault injection as the SDK sees it ----------------------------------------------------------------


def test_fail_next_429_is_too_many_requests(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.fail_next(429, retry_after=0)
    with pytest.raises(tachyon_sdk.TooManyRequestsException) as info:
        chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES}, _retries=0)
    assert info.value.status == 429
    assert isinstance(info.value.data, tachyon_sdk.ErrorResponse)
    assert info.value.data.error == "TooManyRequests: Rate limit exceeded; retry later"
    assert info.value.headers is not None and info.value.headers["Retry-After"] == "0"


@pytest.mark.parametrize("stream", [False, True])
def test_fail_next_402_is_payment_required(server: LocalServer, chat: tachyon_sdk.ChatApi, stream: bool) -> None:
    server.fail_next(402)
    with pytest.raises(tachyon_sdk.PaymentRequiredException) as info:
        chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES, "stream": stream})
    assert info.value.status == 402
    assert info.value.server_message == "PaymentRequired: Insufficient credits: the operator has no credits left"
    assert len(server.requests) == 1  # 402 is not retried


def test_the_sdk_retries_past_a_single_failure(server: LocalServer, chat: tachyon_sdk.ChatApi) -> None:
    server.fail_next(503, retry_after=0)
    response = chat.chat_completion(OP, "Bearer t", {"messages": MESSAGES})
    assert isinstance(response, tachyon_sdk.ChatCompletionResponse)
    assert [r.operation for r in server.requests] == ["chat_completion", "chat_completion"]


def test_fail_next_500_is_service_exception(server: LocalServer, deployments: tachyon_sdk.DeploymentsApi) -> None:
    server.fail_next(500, retry_after=0, times=3)
    with pytest.raises(tachyon_sdk.ServiceException) as info:
        deployments.get_completions_from_deployment("p", "d", {"prompt": "x"})
    assert info.value.server_message == "Injected failure: HTTP 500"
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
        with deployments.get_completions_from_deployment_stream("p", "d", {"prompt": PROMPT}) as stream:
            list(stream)


def test_error_event_is_an_api_exception_after_the_chunks_before_it(
    server: LocalServer, chat: tachyon_sdk.ChatApi
) -> None:
    server.error_event_after(2, "model overloaded")
    received: List[Any] = []
    with pytest.raises(tachyon_sdk.ApiException) as info:
        with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
            for chunk in stream:
                received.append(chunk)
    assert len(received) == 2
    assert info.value.status == 200  # the HTTP status of the stream
    assert isinstance(info.value.data, tachyon_sdk.ErrorResponse)
    assert info.value.data.error == "InternalServerError: model overloaded"
    assert info.value.server_message == "InternalServerError: model overloaded"


def test_deployment_error_event_carries_its_status(
    server: LocalServer, deployments: tachyon_sdk.DeploymentsApi
) -> None:
    server.error_event_after(1, "deployment crashed", status=503)
    with pytest.raises(tachyon_sdk.ServiceException) as info:
        with deployments.get_completions_from_deployment_stream("p", "d", {"prompt": PROMPT}) as stream:
            list(stream)
    assert info.value.status == 503
    assert info.value.server_message == "deployment crashed"


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
    server.error_event_after(0, body={"code": 429, "message": "slow down"})
    with pytest.raises(tachyon_sdk.TooManyRequestsException) as info:
        with chat.chat_completion_stream(OP, "Bearer t", {"messages": MESSAGES}) as stream:
            list(stream)
    assert info.value.data is not None and info.value.data.code == 429
    assert info.value.server_message == "slow down"
