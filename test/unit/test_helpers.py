"""``tachyon_sdk.helpers`` as pure functions of chunks: no sockets, chunks built from wire dicts."""

from typing import Any, Dict, Iterator, List, Optional

import pytest

from tachyon_sdk.exceptions import StreamError
from tachyon_sdk.helpers import answer_text, collect_chat_completion, text_deltas
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import ChatCompletionWithChatroomStreamResponse
from tachyon_sdk.models.get_chat_completions_from_deployment_chunk import GetChatCompletionsFromDeploymentChunk
from tachyon_sdk.models.get_chat_completions_from_deployment_response_body import (
    GetChatCompletionsFromDeploymentResponseBody,
)
from tachyon_sdk.models.get_completions_from_deployment_chunk import GetCompletionsFromDeploymentChunk

USAGE = {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}


def chat(*choices: Dict[str, Any], **fields: Any) -> ChatCompletionChunkResponse:
    data: Dict[str, Any] = {
        "id": "chatcmpl-7",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "tachyon-test",
        "choices": list(choices),
    }
    data.update(fields)
    return ChatCompletionChunkResponse.from_dict(data)


def choice(index: int = 0, finish: Optional[str] = None, **delta: Any) -> Dict[str, Any]:
    return {"index": index, "delta": delta, "finish_reason": finish}


def room(*choices: Dict[str, Any], **fields: Any) -> ChatCompletionWithChatroomStreamResponse:
    """A chatroom chunk as the real server sends it: no ``created``, no ``chatroom_id`` (``fields`` add them)."""
    return ChatCompletionWithChatroomStreamResponse.from_dict(
        {"id": "chatcmpl-8", "object": "chat.completion.chunk", "model": "tachyon-test", "choices": list(choices),
         **fields}
    )  # fmt: skip


class Source:
    """An iterable of chunks that records what was taken from it and whether it was closed."""

    def __init__(self, chunks: List[Any], error: Optional[BaseException] = None) -> None:
        self.chunks = chunks
        self.error = error
        self.taken = 0
        self.closed = 0

    def __iter__(self) -> Iterator[Any]:
        for chunk in self.chunks:
            self.taken += 1
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed += 1


# --- text_deltas ----------------------------------------------------------------------------------


def test_text_deltas_of_a_chat_stream_skip_chunks_without_text() -> None:
    chunks = [
        chat(choice(role="assistant")),
        chat(choice(content="Hel")),
        chat(choice(content="")),
        chat(choice(tool_calls=[{"index": 0, "id": "call_1", "type": "function", "function": {"name": "f"}}])),
        chat(choice(content="lo")),
        chat(choice(finish="stop")),
        chat(usage=USAGE),  # the include_usage chunk: no choices
    ]

    assert list(text_deltas(chunks)) == ["Hel", "lo"]


def test_text_deltas_of_several_choices_in_order_or_of_one_choice() -> None:
    chunks = [
        chat(choice(0, content="A"), choice(1, content="a")),
        chat(choice(1, content="b")),
        chat(choice(0, content="B")),
    ]

    assert list(text_deltas(chunks)) == ["A", "a", "b", "B"]
    assert list(text_deltas(chunks, choice=1)) == ["a", "b"]
    assert list(text_deltas(chunks, choice=0)) == ["A", "B"]


def test_text_deltas_of_chatroom_and_deployment_streams() -> None:
    rooms = [
        room(choice(role="assistant")),
        room(choice(content="in the room")),
        room({"index": 0, "delta": {}, "finish_reason": "stop"}),
    ]
    deployment_chat = [
        GetChatCompletionsFromDeploymentChunk.from_dict({"id": "d", "response": None}),
        GetChatCompletionsFromDeploymentChunk.from_dict({"id": "d", "response": "deploy"}),
        GetChatCompletionsFromDeploymentChunk.from_dict({"id": "d", "response": ""}),
    ]
    deployment_text = [
        GetCompletionsFromDeploymentChunk.from_dict({"id": "d", "response": "once "}),
        GetCompletionsFromDeploymentChunk.from_dict({"id": "d"}),
        GetCompletionsFromDeploymentChunk.from_dict({"id": "d", "response": "upon"}),
    ]

    assert list(text_deltas(rooms)) == ["in the room"]
    assert list(text_deltas(deployment_chat)) == ["deploy"]
    assert list(text_deltas(deployment_text)) == ["once ", "upon"]


def test_text_deltas_is_lazy() -> None:
    source = Source([chat(choice(content="a")), chat(choice(content="b")), chat(choice(content="c"))])

    deltas = text_deltas(source)

    assert next(deltas) == "a"
    assert source.taken == 1  # nothing read ahead
    assert list(deltas) == ["b", "c"]


# --- answer_text ----------------------------------------------------------------------------------


def answer(*choices: Dict[str, Any], **fields: Any) -> ChatCompletionResponse:
    data: Dict[str, Any] = {"id": "chatcmpl-9", "object": "chat.completion", "model": "tachyon-test"}
    data.update(fields)
    data["choices"] = list(choices)
    return ChatCompletionResponse.from_dict(data)


def test_answer_text_reads_the_message_shape_and_the_chunk_shape_alike() -> None:
    whole = answer({"index": 0, "message": {"role": "assistant", "content": "Bonjour"}, "finish_reason": "stop"})
    chunk_shaped = answer(
        {"index": 0, "delta": {"role": "assistant", "content": "Bonjour", "tool_calls": None}, "finish_reason": "stop"},
        object="chat.completion.chunk",
        created=None,
    )

    assert answer_text(whole) == answer_text(chunk_shaped) == "Bonjour"
    assert chunk_shaped.choices[0].message is None and whole.choices[0].delta is None


def test_answer_text_of_several_choices_content_parts_and_no_text() -> None:
    several = answer(
        {"index": 0, "message": {"role": "assistant", "content": "A"}},
        {"index": 1, "message": {"role": "assistant", "content": [{"type": "text", "text": "B"}, {"type": "text", "text": "b"}]}},
        {"index": 2, "message": {"role": "assistant", "content": None, "tool_calls": []}},
    )  # fmt: skip

    assert answer_text(several) == "ABb"
    assert answer_text(several, choice=1) == "Bb"
    assert answer_text(several, choice=2) == ""
    assert answer_text(answer()) == ""


def test_answer_text_of_chatroom_chunk_and_deployment_answers() -> None:
    room_answer = ChatCompletionWithChatroomResponse.from_dict(
        {"id": "r", "object": "chat.completion", "created": None, "model": "m",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "in the room"}}]}
    )  # fmt: skip
    streamed = chat(choice(content="Hel", role=None, tool_calls=None))
    deployment = GetChatCompletionsFromDeploymentResponseBody.from_dict({"id": "d", "response": "deployed"})

    assert answer_text(room_answer) == "in the room"
    assert answer_text(streamed) == "Hel"
    assert answer_text(deployment) == "deployed"
    assert answer_text(GetChatCompletionsFromDeploymentResponseBody.from_dict({"id": "d", "response": None})) == ""


# --- collect_chat_completion ----------------------------------------------------------------------


def test_collect_folds_content_per_choice_with_finish_reason_and_usage() -> None:
    chunks = [
        chat(choice(0, role="assistant", content=""), choice(1, role="assistant", content="")),
        chat(choice(0, content="Hello"), choice(1, content="Hi")),
        chat(choice(1, content=" there", finish="length"), system_fingerprint="fp_1"),
        chat(choice(0, content=" world"), choice(0, finish="stop")),
        chat(usage=USAGE),
    ]

    completion = collect_chat_completion(chunks)

    assert isinstance(completion, ChatCompletionResponse)
    assert completion.to_dict() == {
        "id": "chatcmpl-7",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "tachyon-test",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "Hello world"}, "finish_reason": "stop"},
            {"index": 1, "message": {"role": "assistant", "content": "Hi there"}, "finish_reason": "length"},
        ],
        "usage": USAGE,
        "system_fingerprint": "fp_1",
    }


def test_collect_merges_tool_call_fragments_by_index() -> None:
    chunks = [
        chat(choice(role="assistant", tool_calls=[
            {"index": 0, "id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": ""}},
        ])),
        chat(choice(tool_calls=[{"index": 0, "function": {"arguments": '{"city":'}}])),
        chat(choice(tool_calls=[
            {"index": 1, "id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
        ])),
        chat(choice(tool_calls=[{"index": 0, "function": {"arguments": ' "Paris"}'}}])),
        chat(choice(finish="tool_calls")),
    ]  # fmt: skip

    completion = collect_chat_completion(chunks)

    [folded] = completion.choices
    assert folded.finish_reason == "tool_calls"
    assert folded.message.content is None
    assert [call.to_dict() for call in folded.message.tool_calls or []] == [
        {"id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}},
        {"id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}},
    ]


def test_collect_merges_refusal_and_logprobs() -> None:
    token = {"token": "x", "logprob": -0.1, "bytes": [120], "top_logprobs": []}
    chunks = [
        chat({**choice(role="assistant", refusal="I can"), "logprobs": {"content": [token]}}),
        chat({**choice(refusal="not."), "logprobs": {"content": [token]}}),
        chat(choice(finish="content_filter")),
    ]

    [folded] = collect_chat_completion(chunks).choices

    assert folded.message is not None
    assert folded.message.content is None
    assert folded.message.refusal == "I cannot."
    assert folded.logprobs == {"content": [token, token]}
    assert folded.finish_reason == "content_filter"


def test_collect_makes_each_tachyon_tool_event_a_call_of_its_own() -> None:
    """Tachyon's tool call events carry ``tool_id``/``tool_name`` and no ``index``: one call each."""
    chunks = [
        chat(choice(role="assistant", tool_calls=[{"tool_id": "t-1", "tool_name": "web_search", "is_client_tool": False}])),
        chat(choice(tool_calls=[{"tool_id": "t-2", "tool_name": "calendar", "is_client_tool": True}])),
        chat(choice(content="Done.", finish="stop")),
    ]  # fmt: skip

    [folded] = collect_chat_completion(chunks).choices

    assert folded.message is not None and folded.message.content == "Done."
    assert [call.to_dict() for call in folded.message.tool_calls or []] == [
        {"id": "t-1", "type": "function", "function": {"name": "web_search", "arguments": ""}},
        {"id": "t-2", "type": "function", "function": {"name": "calendar", "arguments": ""}},
    ]


def test_collect_of_a_chatroom_stream_gives_the_chatroom_answer() -> None:
    chunks = [
        room(choice(role="assistant", content="Bon")),
        room(choice(content="jour", finish="stop")),
        room(usage=USAGE),
    ]

    completion = collect_chat_completion(chunks)

    assert isinstance(completion, ChatCompletionWithChatroomResponse)
    assert completion.chatroom_id is None and completion.created is None  # the real chunks carry neither
    assert completion.choices[0].message is not None and completion.choices[0].message.content == "Bonjour"
    assert completion.usage is not None and completion.usage.total_tokens == 13


def test_collect_keeps_a_chatroom_id_and_created_when_the_chunks_carry_them() -> None:
    chunks = [room(choice(role="assistant", content="Hi"), chatroom_id="room-1", created=1700000001)]

    completion = collect_chat_completion(chunks)

    assert (completion.chatroom_id, completion.created) == ("room-1", 1700000001)


def test_collect_keeps_an_unknown_finish_reason() -> None:
    completion = collect_chat_completion([chat(choice(content="x", finish="paused_for_review"))])

    [folded] = completion.choices
    assert folded.finish_reason == "paused_for_review"
    assert folded.finish_reason is not None and folded.finish_reason.is_known is False
    assert completion.to_dict()["choices"][0]["finish_reason"] == "paused_for_review"


def test_collect_does_not_share_usage_with_the_chunks() -> None:
    last = chat(usage=USAGE)

    completion = collect_chat_completion([chat(choice(content="x")), last])
    assert completion.usage is not None
    completion.usage.total_tokens = 0

    assert last.usage is not None and last.usage.total_tokens == 13


def test_collect_of_no_chunk_is_an_empty_completion() -> None:
    """A stream of nothing but ``data: [DONE]`` is a valid empty answer."""
    source = Source([])

    completion = collect_chat_completion(source)

    assert isinstance(completion, ChatCompletionResponse)
    assert completion.to_dict() == {"id": "", "object": "chat.completion", "model": "", "choices": []}
    assert answer_text(completion) == ""
    assert source.closed == 1


def test_collect_closes_the_stream_also_when_it_fails() -> None:
    done = Source([chat(choice(content="a"))])
    cut = Source([chat(choice(content="a"))], error=StreamError("cut", chunks_received=1))

    collect_chat_completion(done)
    with pytest.raises(StreamError):
        collect_chat_completion(cut)

    assert (done.closed, cut.closed) == (1, 1)
