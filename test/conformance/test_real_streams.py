"""Streams as the real services send them, served byte for byte on 127.0.0.1 and read through ``ChatApi`` and
``DeploymentsApi`` as a user does: explicit nulls, the chatroom's chunk shape, tool calls of both kinds, an
error event after chunks, named agent events, and a stream of nothing but ``data: [DONE]``."""

import json
from typing import Any, Callable, Dict, List

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import ApiException
from tachyon_sdk.helpers import answer_text, collect_chat_completion, text_deltas
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import ChatCompletionWithChatroomStreamResponse
from tachyon_sdk.models.error_response import ErrorResponse
from tachyon_sdk.models.get_chat_completions_from_deployment_chunk import GetChatCompletionsFromDeploymentChunk
from tachyon_sdk.models.get_completions_from_deployment_chunk import GetCompletionsFromDeploymentChunk

from ..conftest import ClientKit, ScriptedServer
from ._real import (
    API_KEY,
    AUTHORIZATION,
    CHAT_BODY,
    CHATROOM,
    DEPLOYMENT,
    DEPLOYMENT_CHAT_BODY,
    DEPLOYMENT_COMPLETION_BODY,
    OPERATOR,
    PROJECT,
    SSE,
    event_data,
    fixture,
    pieces,
)

MakeClient = Callable[..., ClientKit]


@pytest.fixture
def kit(make_client: MakeClient) -> ClientKit:
    """A client with a pool of one connection: a stream that did not give its connection back blocks the next."""
    return make_client(api_key={"api_key": API_KEY}, connection_pool_maxsize=1, retries=0, pool_timeout=5.0)


def serve(http_server: ScriptedServer, name: str) -> bytes:
    """Queue the fixture ``name`` as a chunked event-stream answer, one HTTP chunk per event."""
    data = fixture(name)
    http_server.reply(200, body=pieces(data), headers=SSE)
    return data


def chat(kit: ClientKit) -> tachyon_sdk.ChatApi:
    return tachyon_sdk.ChatApi(kit.client)


# --- chat_completion: explicit nulls ------------------------------------------------------------------------


def test_chat_stream_with_explicit_nulls(http_server: ScriptedServer, kit: ClientKit) -> None:
    data = serve(http_server, "chat_stream.sse")

    with chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        chunks = list(stream)

    assert [type(chunk) for chunk in chunks] == [ChatCompletionChunkResponse] * 5
    assert [chunk.to_dict() for chunk in chunks] == [json.loads(text) for text in event_data(data)[:-1]]
    middle = chunks[1].choices[0]
    assert (middle.delta.role, middle.delta.tool_calls, middle.logprobs, middle.finish_reason) == (None,) * 4
    assert middle.delta.content == "Hello"
    assert [chunk.choices[0].finish_reason for chunk in chunks] == [None, None, None, None, "stop"]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert stream.chunks_received == 5 and stream.events_skipped == 0
    request = http_server.requests[0]
    assert request.path == "/v1/llms/chat/completions"
    assert request.json() == {**CHAT_BODY, "stream": True}


def test_chat_stream_folds_into_the_answer(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chat_stream.sse")
    serve(http_server, "chat_stream.sse")

    with chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        deltas = list(text_deltas(stream))
    completion = collect_chat_completion(chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY))

    assert deltas == ["Hello", ", world", "!"]
    assert isinstance(completion, ChatCompletionResponse)
    assert completion.to_dict() == {
        "id": "chatcmpl-7f3a9c1e",
        "object": "chat.completion",
        "created": 1733420000,
        "model": "anthropic/claude-3-5-haiku",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "Hello, world!"}, "finish_reason": "stop"}
        ],
    }
    assert answer_text(completion) == "".join(deltas)
    assert http_server.connection_count == 1  # each stream gave its connection back at [DONE]


# --- chat_completion_on_chatroom: no created, no chatroom_id, finish_reason only at the end ------------------


def test_chatroom_stream_without_created_chatroom_id_or_finish_reason_until_the_last_chunk(
    http_server: ScriptedServer, kit: ClientKit
) -> None:
    data = serve(http_server, "chatroom_stream.sse")
    serve(http_server, "chatroom_stream.sse")

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        chunks = list(stream)
    completion = collect_chat_completion(
        chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)
    )

    assert [type(chunk) for chunk in chunks] == [ChatCompletionWithChatroomStreamResponse] * 4
    assert [chunk.to_dict() for chunk in chunks] == [json.loads(text) for text in event_data(data)[:-1]]
    assert {(chunk.created, chunk.chatroom_id) for chunk in chunks} == {(None, None)}
    assert [chunk.choices[0].finish_reason for chunk in chunks] == [None, None, None, "stop"]
    last = chunks[-1].choices[0].delta
    assert (last.role, last.content, last.tool_calls) == (None, None, None)  # delta {}
    assert isinstance(completion, ChatCompletionWithChatroomResponse)
    assert completion.to_dict() == {
        "id": "chatcmpl-room-4b21d0",
        "object": "chat.completion",
        "created": None,
        "model": "anthropic/claude-3-5-haiku",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour !"}, "finish_reason": "stop"}],
    }
    assert http_server.requests[0].path == f"/v1/llms/chatrooms/{CHATROOM}/chat/completions"


# --- tool calls: OpenAI fragments and Tachyon tool events ---------------------------------------------------


def test_openai_tool_call_fragments_are_merged_by_index(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chat_stream_tool_calls.sse")
    serve(http_server, "chat_stream_tool_calls.sse")

    with chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        fragments = [call for chunk in stream for call in chunk.choices[0].delta.tool_calls or []]
    completion = collect_chat_completion(chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY))

    assert [(fragment.index, fragment.id) for fragment in fragments] == [
        (0, "call_w1"),
        (0, None),
        (0, None),
        (1, "call_t2"),
    ]
    [choice] = completion.choices
    assert choice.finish_reason == "tool_calls"
    assert choice.message is not None and choice.message.content is None
    assert [call.to_dict() for call in choice.message.tool_calls or []] == [
        {"id": "call_w1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}},
        {"id": "call_t2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
    ]
    assert answer_text(completion) == ""


def test_tachyon_tool_events_are_read_and_folded(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chatroom_stream_tool_events.sse")
    serve(http_server, "chatroom_stream_tool_events.sse")

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        events = [call for chunk in stream for call in chunk.choices[0].delta.tool_calls or []]
    completion = collect_chat_completion(
        chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)
    )

    assert [(event.tool_id, event.tool_name, event.is_client_tool, event.index) for event in events] == [
        ("tool_01HX3", "web_search", False, None),
        ("tool_01HX4", "open_calendar", True, None),
    ]
    [choice] = completion.choices
    assert choice.message is not None and choice.message.content == "Found two results."
    assert [call.to_dict() for call in choice.message.tool_calls or []] == [
        {"id": "tool_01HX3", "type": "function", "function": {"name": "web_search", "arguments": ""}},
        {"id": "tool_01HX4", "type": "function", "function": {"name": "open_calendar", "arguments": ""}},
    ]


# --- the chatroom's error event -----------------------------------------------------------------------------


def test_chatroom_error_event_raises_after_the_chunks_before_it(http_server: ScriptedServer, kit: ClientKit) -> None:
    data = serve(http_server, "chatroom_stream_error_event.sse")
    serve(http_server, "chatroom_stream.sse")  # the next call: the pool's only connection must be free
    delivered: List[Any] = []

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        with pytest.raises(ApiException) as caught:
            for chunk in stream:
                delivered.append(chunk)
        assert list(stream) == []

    assert "".join(answer_text(chunk) for chunk in delivered) == "Let me check"
    error = caught.value
    text = "InternalServerError: the model provider returned an error"
    assert type(error) is ApiException and error.status == 200  # HTTP said 200; the event carries no status
    assert error.server_message == text
    assert str(error).splitlines()[0] == f"(200) error event in stream: {text}"
    assert isinstance(error.data, ErrorResponse) and error.data.error == text
    assert error.body == event_data(data)[-1]
    assert error.headers is not None and error.headers["X-Request-Id"] == "req-conformance"
    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        assert "".join(text_deltas(stream)) == "Bonjour !"


def test_collect_raises_the_error_event_and_frees_the_connection(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chatroom_stream_error_event.sse")
    serve(http_server, "done_only.sse")

    with pytest.raises(ApiException, match="InternalServerError: the model provider returned an error"):
        collect_chat_completion(
            chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)
        )

    assert list(chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY)) == []


def test_events_raises_the_error_event_after_the_events_before_it(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chatroom_stream_error_event.sse")
    seen: List[str] = []

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        with pytest.raises(ApiException) as caught:
            for event in stream.events():
                seen.append(event.event)

    assert seen == ["message", "message"]
    assert caught.value.server_message == "InternalServerError: the model provider returned an error"


# --- named agent events -------------------------------------------------------------------------------------


def test_iteration_skips_agent_events_and_done_ends_cleanly(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chatroom_agent_events.sse")
    serve(http_server, "chatroom_agent_only.sse")

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        chunks = list(stream)
    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as only:
        nothing = list(only)

    assert "".join(answer_text(chunk) for chunk in chunks) == "Here is the answer."
    assert (stream.chunks_received, stream.events_skipped) == (2, 4)  # say, ping, say, ping (a comment is no event)
    assert nothing == [] and (only.chunks_received, only.events_skipped) == (0, 3)
    assert http_server.connection_count == 1  # `done` ended each stream and gave its connection back


def test_events_yields_every_named_event_and_done_ends_it(http_server: ScriptedServer, kit: ClientKit) -> None:
    serve(http_server, "chatroom_agent_events.sse")
    serve(http_server, "chatroom_agent_only.sse")

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        mixed = list(stream.events())
    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as only:
        agent = list(only.events())

    assert [event.event for event in mixed] == ["say", "ping", "message", "message", "say", "ping"]
    assert json.loads(mixed[0].data) == {"text": "Searching the web for recent results..."}
    chunk = ChatCompletionWithChatroomStreamResponse.from_json(mixed[2].data)  # chunks come raw, as their data
    assert answer_text(chunk) == "Here is"
    assert stream.chunks_received == 2
    assert [(event.event, json.loads(event.data)) for event in agent] == [
        ("say", {"text": "Let me look that up."}),
        ("ping", {}),
        ("say", {"text": "The meeting is at 10:00."}),
    ]
    assert http_server.connection_count == 1


def test_a_bare_done_event_without_data_ends_the_stream(http_server: ScriptedServer, kit: ClientKit) -> None:
    # The SSE standard drops an event with no data line; the stream keeps a named one so that a bare
    # `event: done` ends it cleanly instead of reading as a cut body.
    http_server.reply(200, body=[b'event: say\ndata: {"text":"Hi"}\n\n', b"event: done\n\n"], headers=SSE)

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        events = list(stream.events())

    assert [(event.event, event.data) for event in events] == [("say", '{"text":"Hi"}')]
    assert http_server.connection_count == 1


def test_a_named_event_whose_data_has_an_error_key_is_not_an_error(http_server: ScriptedServer, kit: ClientKit) -> None:
    # Only an `error` event, or a chunk (an unnamed event) carrying a top-level "error", raises.
    body = [b'event: tool_result\ndata: {"error":"not found","tool":"search"}\n\n', b"data: [DONE]\n\n"]
    http_server.reply(200, body=body, headers=SSE)

    with chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        chunks = list(stream)

    assert chunks == [] and stream.events_skipped == 1


# --- a stream of nothing but [DONE] -------------------------------------------------------------------------


def test_a_stream_of_only_done_is_an_empty_answer(http_server: ScriptedServer, kit: ClientKit) -> None:
    for _ in range(4):
        serve(http_server, "done_only.sse")

    with chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
        chunks = list(stream)
    completion = collect_chat_completion(chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY))
    room = collect_chat_completion(
        chat(kit).chat_completion_on_chatroom_stream(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)
    )
    deltas = list(text_deltas(chat(kit).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY)))

    assert chunks == [] and (stream.chunks_received, stream.events_skipped) == (0, 0)
    assert type(completion) is ChatCompletionResponse and type(room) is ChatCompletionWithChatroomResponse
    empty = {"id": "", "object": "chat.completion", "model": "", "choices": []}
    assert completion.to_dict() == room.to_dict() == empty
    assert answer_text(completion) == answer_text(room) == ""
    assert deltas == []
    assert http_server.connection_count == 1


# --- deployments: {id, response} chunks, our convention ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body", "chunk_type", "path"),
    [
        ("get_chat_completions_from_deployment_stream", DEPLOYMENT_CHAT_BODY, GetChatCompletionsFromDeploymentChunk,
         "chat/completions"),
        ("get_completions_from_deployment_stream", DEPLOYMENT_COMPLETION_BODY, GetCompletionsFromDeploymentChunk,
         "completions"),
    ],
    ids=["chat", "completion"],
)  # fmt: skip
def test_deployment_stream_of_id_and_response(
    http_server: ScriptedServer, kit: ClientKit, method: str, body: Dict[str, Any], chunk_type: Any, path: str
) -> None:
    serve(http_server, "deployment_chat_stream.sse")

    with getattr(tachyon_sdk.DeploymentsApi(kit.client), method)(PROJECT, DEPLOYMENT, body) as stream:
        chunks = list(stream)

    assert [type(chunk) for chunk in chunks] == [chunk_type] * 3
    assert {chunk.id for chunk in chunks} == {"completion-5d1c"}
    assert "".join(text_deltas(chunks)) == "The capital of France is Paris."
    request = http_server.requests[0]
    assert request.path == f"/v1/projects/{PROJECT}/deployments/{DEPLOYMENT}/{path}"
    assert request.json() == {**body, "streaming": True}
    assert (request.header("X-API-Key"), request.header("Authorization")) == (API_KEY, None)
