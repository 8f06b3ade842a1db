"""Helpers over answers: the text of an answer, the text deltas of a stream, or the whole completion
folded from its chunks.

``answer_text`` reads the text of any answer, streamed chunk or whole: a ``chat.completion``
(``choices[].message``), the shape of a chunk the real Tachyon document declares for the same
answer (``choices[].delta``), a chatroom answer, or a deployment answer (``response``).
``text_deltas`` works for every streamed operation (chat, chatroom and the two
deployment operations). ``collect_chat_completion`` folds a chat or chatroom stream
into the object the same request would have returned without streaming, for users
who want streaming's latency and one object at the end::

    with api.chat_completion_stream(operator_id, authorization, request) as stream:
        for text in text_deltas(stream):
            print(text, end="", flush=True)

    completion = collect_chat_completion(api.chat_completion_stream(operator_id, authorization, request))

Both take any iterable of chunks (a :class:`~tachyon_sdk.streaming.Stream` or a list), so
they are pure functions of the chunks; the stream's own errors (``StreamError``,
``ApiException``) pass through unchanged. The per-operation knowledge lives here, not in
``streaming.py``.
"""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Union, overload

from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.chat_completion_with_chatroom_response import ChatCompletionWithChatroomResponse
from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import ChatCompletionWithChatroomStreamResponse

__all__ = ["ChatChunk", "answer_text", "collect_chat_completion", "text_deltas"]

ChatChunk = Union[ChatCompletionChunkResponse, ChatCompletionWithChatroomStreamResponse]
"""A chunk of a chat stream: ``chat_completion`` or ``chat_completion_on_chatroom``."""


def _content_text(content: Any) -> Optional[str]:
    """Text of a message's ``content``: a string, or the ``text`` of its content parts joined."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.text for part in content if isinstance(getattr(part, "text", None), str)]
        return "".join(texts) if texts else None
    return None


def _choice_text(item: Any) -> Optional[str]:
    """Text of one choice: its ``message`` (a whole answer) or its ``delta`` (a chunk)."""
    for part in (getattr(item, "message", None), getattr(item, "delta", None)):
        text = _content_text(getattr(part, "content", None))
        if text:
            return text
    return None


def answer_text(answer: Any, *, choice: Optional[int] = None) -> str:
    """The text of an answer, whatever its shape: ``""`` when it has none.

    A chat or chatroom answer gives the content of its choices (``message.content``, or
    ``delta.content`` when the server sent the shape of a chunk; content parts are joined), every
    choice in order unless ``choice`` selects one ``index``. A deployment answer or chunk gives its
    ``response``. The same call reads a non-streamed answer and one streamed chunk.
    """
    choices = getattr(answer, "choices", None)
    if isinstance(choices, list):
        texts = (_choice_text(item) for item in choices if choice is None or item.index == choice)
        return "".join(text for text in texts if text)
    text = getattr(answer, "response", None)
    return text if isinstance(text, str) else ""


def text_deltas(chunks: Iterable[Any], *, choice: Optional[int] = None) -> Iterator[str]:
    """Yield only the text each chunk adds, skipping chunks that add none.

    Chat and chatroom chunks give ``choices[].delta.content`` (every choice, in the order
    received, unless ``choice`` selects one ``index``: useful with ``n`` > 1), deployment chunks
    ``response``. Role-only chunks, tool-call fragments and the final usage chunk add no text.
    """
    for chunk in chunks:
        choices = getattr(chunk, "choices", None)
        if isinstance(choices, list):  # one text per choice: the texts of different choices are never joined
            for item in choices:
                if choice is None or item.index == choice:
                    text = _choice_text(item)
                    if text:
                        yield text
            continue
        text = answer_text(chunk)
        if text:
            yield text


class _ChoiceAccumulator:
    """What one choice has gathered so far."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.role: Optional[str] = None
        self.content: List[str] = []
        self.refusal: List[str] = []
        self.tool_calls: Dict[int, Dict[str, Any]] = {}
        self.finish_reason: Optional[Any] = None
        self.logprobs: Optional[Dict[str, Any]] = None

    def add(self, choice: Any) -> None:
        delta = choice.delta
        if delta.role is not None:
            self.role = str(getattr(delta.role, "value", delta.role))
        if delta.content:
            self.content.append(delta.content)
        if delta.refusal:
            self.refusal.append(delta.refusal)
        for fragment in delta.tool_calls or ():
            self._add_tool_call(fragment)
        if choice.finish_reason is not None:
            self.finish_reason = choice.finish_reason
        if choice.logprobs is not None:
            self._add_logprobs(choice.logprobs)

    def _add_tool_call(self, fragment: Any) -> None:
        """Merge an OpenAI-style fragment by ``index``; a Tachyon tool call event (``tool_id``,
        ``tool_name``, no ``index``) is a call of its own."""
        index = fragment.index if fragment.index is not None else len(self.tool_calls)
        call = self.tool_calls.setdefault(
            index, {"id": "", "type": "function", "function": {"name": "", "arguments": ""}}
        )
        if fragment.id or fragment.tool_id:
            call["id"] = fragment.id or fragment.tool_id
        if fragment.type is not None:
            call["type"] = fragment.type
        if fragment.tool_name:
            call["function"]["name"] = fragment.tool_name
        if fragment.function is not None:
            call["function"]["name"] = fragment.function.name or call["function"]["name"]
            call["function"]["arguments"] += fragment.function.arguments or ""

    def _add_logprobs(self, logprobs: Dict[str, Any]) -> None:
        """Each chunk carries the log probabilities of its own tokens: lists are concatenated."""
        merged = self.logprobs if self.logprobs is not None else {}
        for key, value in logprobs.items():
            previous = merged.get(key)
            merged[key] = previous + value if isinstance(previous, list) and isinstance(value, list) else value
        self.logprobs = merged

    def to_dict(self) -> Dict[str, Any]:
        message: Dict[str, Any] = {"role": self.role or "assistant", "content": "".join(self.content) or None}
        if self.tool_calls:
            message["tool_calls"] = [self.tool_calls[i] for i in sorted(self.tool_calls)]
        if self.refusal:
            message["refusal"] = "".join(self.refusal)
        choice: Dict[str, Any] = {"index": self.index, "message": message, "finish_reason": self.finish_reason}
        if self.logprobs is not None:
            choice["logprobs"] = self.logprobs
        return choice


@overload
def collect_chat_completion(chunks: Iterable[ChatCompletionChunkResponse]) -> ChatCompletionResponse: ...


@overload
def collect_chat_completion(
    chunks: Iterable[ChatCompletionWithChatroomStreamResponse],
) -> ChatCompletionWithChatroomResponse: ...


@overload
def collect_chat_completion(
    chunks: Iterable[ChatChunk],
) -> Union[ChatCompletionResponse, ChatCompletionWithChatroomResponse]: ...


def collect_chat_completion(
    chunks: Iterable[ChatChunk],
) -> Union[ChatCompletionResponse, ChatCompletionWithChatroomResponse]:
    """Fold a chat stream into the complete answer.

    Content (and refusal) text is concatenated per choice, tool calls are merged by
    ``index`` (their ``arguments`` fragments concatenated), the last ``finish_reason``
    of each choice and the ``usage`` of the last chunk that has one are kept; choices
    come out sorted by ``index``. A chatroom stream gives a
    ``ChatCompletionWithChatroomResponse``, any other chat stream a ``ChatCompletionResponse``.

    The chunks are consumed to the end and a stream is closed afterwards, also when the
    fold fails. A stream cut before ``[DONE]`` raises ``StreamError`` and an error event
    ``ApiException``, as iterating it would.

    A stream of nothing but ``data: [DONE]`` is an empty answer: no choices, empty ``id`` and ``model``.
    """
    first: Optional[ChatChunk] = None
    usage: Any = None
    fingerprint: Optional[str] = None
    choices: Dict[int, _ChoiceAccumulator] = {}
    try:
        for chunk in chunks:
            if first is None:
                first = chunk
            if chunk.usage is not None:
                usage = chunk.usage
            fingerprint = fingerprint or getattr(chunk, "system_fingerprint", None)
            for choice in chunk.choices:
                choices.setdefault(choice.index, _ChoiceAccumulator(choice.index)).add(choice)
    finally:
        close = getattr(chunks, "close", None)
        if callable(close):
            close()
    if first is None:
        empty: Dict[str, Any] = {"id": "", "object": "chat.completion", "model": "", "choices": []}
        if getattr(chunks, "chunk_type", None) is ChatCompletionWithChatroomStreamResponse:
            return ChatCompletionWithChatroomResponse.model_validate(empty)
        return ChatCompletionResponse.model_validate(empty)
    answer: Dict[str, Any] = {
        "id": first.id,
        "object": "chat.completion",
        "created": first.created,
        "model": first.model,
        "choices": [choices[i].to_dict() for i in sorted(choices)],
    }
    if usage is not None:
        answer["usage"] = usage.model_copy(deep=True)
    if isinstance(first, ChatCompletionWithChatroomStreamResponse):
        if first.chatroom_id is not None:
            answer["chatroom_id"] = first.chatroom_id
        return ChatCompletionWithChatroomResponse.model_validate(answer)
    if fingerprint is not None:
        answer["system_fingerprint"] = fingerprint
    return ChatCompletionResponse.model_validate(answer)
