"""``tachyon_sdk.helpers`` on real streams: the generated API over sockets on 127.0.0.1."""

import threading
from typing import Any, Callable, Dict, List

import pytest

from tachyon_sdk.api.chat_api import ChatApi
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.exceptions import ApiException, StreamError
from tachyon_sdk.helpers import collect_chat_completion, text_deltas
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse

from ..conftest import MAX_WAIT, ClientKit, RawConnection, RawServer, ScriptedServer
from .test_streaming_api import (
    API_KEY,
    AUTH,
    CASES,
    CHAT,
    CHATROOM,
    DONE,
    HEAD_CHUNKED,
    IDS,
    OPERATOR,
    SSE,
    Case,
    chat_chunk,
    chatroom_chunk,
    http_chunk,
    sse,
)

MakeClient = Callable[..., ClientKit]
USAGE = {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}


def choice(index: int, finish: Any = None, **delta: Any) -> Dict[str, Any]:
    return {"index": index, "delta": delta, "finish_reason": finish}


@pytest.fixture
def client(make_client: MakeClient) -> ApiClient:
    return make_client(api_key={"api_key": API_KEY}, connection_pool_maxsize=1).client


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_text_deltas_of_every_streamed_operation(http_server: ScriptedServer, client: ApiClient, case: Case) -> None:
    if case in (CHAT, CHATROOM):
        opening = case.chunk(None, choices=[choice(0, role="assistant")])
        closing = case.chunk(None, choices=[choice(0, finish="stop")])
    else:
        opening, closing = case.chunk(None), case.chunk("")
    http_server.reply(
        200,
        body=[sse(opening, case.chunk("Hello")), sse(case.chunk(", "), case.chunk("world")), sse(closing) + DONE],
        headers=SSE,
    )

    with case.call(client, "_stream") as stream:
        deltas = list(text_deltas(stream))

    assert deltas == ["Hello", ", ", "world"]


def test_text_deltas_yield_before_the_server_sends_the_next_chunk(
    raw_server: Callable[..., RawServer], make_client: MakeClient
) -> None:
    caller_has_first = threading.Event()
    server_waited: List[bool] = []

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is None:
            return
        conn.send(
            HEAD_CHUNKED + http_chunk(sse(chat_chunk(None, choices=[choice(0, role="assistant")]), chat_chunk("Hi")))
        )
        server_waited.append(caller_has_first.wait(MAX_WAIT))
        conn.send(http_chunk(sse(chat_chunk(" you")) + DONE) + b"0\r\n\r\n")

    api = ChatApi(make_client(host=raw_server(handler).url).client)
    with api.chat_completion_stream(OPERATOR, AUTH, CHAT.body) as stream:
        deltas = text_deltas(stream)
        assert next(deltas) == "Hi"
        caller_has_first.set()
        assert list(deltas) == [" you"]
    assert server_waited == [True]


def test_collect_chat_completion_over_the_wire(http_server: ScriptedServer, client: ApiClient) -> None:
    tool_start = {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": "weather", "arguments": '{"city"'},
    }
    tool_end = {"index": 0, "function": {"arguments": ': "Oslo"}'}}
    http_server.reply(
        200,
        body=[
            sse(chat_chunk(None, choices=[choice(0, role="assistant", content=""), choice(1, role="assistant")])),
            sse(chat_chunk(None, choices=[choice(0, content="Let me check"), choice(1, tool_calls=[tool_start])])),
            sse(chat_chunk(None, choices=[choice(1, tool_calls=[tool_end])]),
                chat_chunk(None, choices=[choice(0, content=".", finish="stop"), choice(1, finish="tool_calls")])),
            sse(chat_chunk(None, choices=[], usage=USAGE)) + DONE,
        ],
        headers=SSE,
    )  # fmt: skip
    http_server.reply(200, body=[sse(chat_chunk("again")) + DONE], headers=SSE)

    completion = collect_chat_completion(
        ChatApi(client).chat_completion_stream(
            OPERATOR, AUTH, {**CHAT.body, "n": 2, "stream_options": {"include_usage": True}}
        )
    )

    assert isinstance(completion, ChatCompletionResponse)
    assert completion.to_dict() == {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "tachyon-test",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "Let me check."}, "finish_reason": "stop"},
            {
                "index": 1,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "weather", "arguments": '{"city": "Oslo"}'},
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            },
        ],
        "usage": USAGE,
    }
    # the fold read the stream to [DONE]: the only connection of the pool serves the next call
    assert list(text_deltas(ChatApi(client).chat_completion_stream(OPERATOR, AUTH, CHAT.body))) == ["again"]
    assert http_server.connection_count == 1


def test_collect_chatroom_stream_gives_the_chatroom_answer(http_server: ScriptedServer, client: ApiClient) -> None:
    """The real chatroom stream: no created, no chatroom_id, finish_reason only on the last chunk (delta {})."""
    last = chatroom_chunk(None, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])
    http_server.reply(
        200,
        body=[sse(chatroom_chunk("Bon"), chatroom_chunk("jour")), sse(last) + DONE],
        headers=SSE,
    )

    completion = collect_chat_completion(
        ChatApi(client).chat_completion_on_chatroom_stream("room-1", OPERATOR, AUTH, CHATROOM.body)
    )

    assert isinstance(completion, ChatCompletionWithChatroomResponse)
    assert completion.to_dict() == {
        "id": "chatcmpl-room-1",
        "object": "chat.completion",
        "created": None,
        "model": "tachyon-test",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour"}, "finish_reason": "stop"}],
    }


@pytest.mark.parametrize(
    ("ending", "exc_type"),
    [(b'event: error\ndata: {"error":{"message":"overloaded"}}\n\n', ApiException), (b"", StreamError)],
    ids=["error_event", "cut_before_done"],
)
def test_collect_raises_what_the_stream_raises_and_frees_the_connection(
    http_server: ScriptedServer, client: ApiClient, ending: bytes, exc_type: type
) -> None:
    pieces = [sse(chat_chunk("partial")), *([ending] if ending else [])]
    http_server.reply(200, body=pieces, headers=SSE)  # a well-formed chunked body without [DONE]
    http_server.reply(200, body=[sse(chat_chunk("next")) + DONE], headers=SSE)

    with pytest.raises(exc_type):
        collect_chat_completion(ChatApi(client).chat_completion_stream(OPERATOR, AUTH, CHAT.body))

    with ChatApi(client).chat_completion_stream(OPERATOR, AUTH, CHAT.body) as stream:  # the pool of one is free again
        assert list(text_deltas(stream)) == ["next"]
