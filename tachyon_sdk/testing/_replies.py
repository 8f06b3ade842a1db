"""The answers of the local server: deterministic text, split into chunks, in the real services' shapes.

Pure functions from a validated request body to what the server sends: a whole
answer (``application/json``) or the events of a stream. The "model" echoes the
prompt (or a reply set on the server), one token per word, and honours the
limit the real service reads (``max_completion_tokens`` for chat, which ignores
the OpenAI-style ``max_tokens`` and ``stop``; ``max_new_tokens`` for
deployments), with finish reason ``length`` when it cuts.

Shapes, as the real services send them:

- Tachyon ``chat_completion``: an OpenAI ``chat.completion`` with explicit nulls;
  chunks carry ``"role": null`` after the first, ``"tool_calls": null``,
  ``"logprobs": null`` and ``"finish_reason": null`` until the last.
- Tachyon ``chat_completion_on_chatroom``: ``created: null`` and no
  ``chatroom_id`` in the whole answer; chunks without ``created``,
  ``chatroom_id`` or ``finish_reason``, the last one with delta ``{}`` and its
  finish reason. Optionally agent events instead: ``say`` per word, then ``done``.
- Emissary deployments: ``{"id", "response"}``; streamed, the same fields per
  event, ``response`` holding the text the event adds.
- Errors: Tachyon ``{"error": "<Variant>: text"}``, Emissary ``{"status", "error"}``
  (``code: object_not_found`` on 404).
"""

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

# A split point between whitespace and the next word: "Hello  big world" -> "Hello  ", "big ", "world".
_WORD_BOUNDARY = re.compile(r"(?<=\s)(?=\S)")

#: The data of the event that ends a stream of chunks.
DONE = "[DONE]"


def split_words(text: str) -> List[str]:
    """Split ``text`` into word tokens (each keeps its trailing whitespace); ``"".join`` gives ``text`` back."""
    return [piece for piece in _WORD_BOUNDARY.split(text) if piece]


def content_text(content: Any) -> str:
    """The text of a message's ``content``: a string, or the ``text`` parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        return " ".join(t for t in texts if isinstance(t, str))
    return ""


def last_user_text(messages: Sequence[Mapping[str, Any]]) -> str:
    """The content of the last ``user`` message (of the last message when no user spoke)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return content_text(messages[-1].get("content")) if messages else ""


def count_prompt_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    return sum(len(split_words(content_text(m.get("content")))) for m in messages)


@dataclass(frozen=True)
class Generation:
    """What the "model" produced: the tokens of the reply and why it stopped."""

    tokens: Tuple[str, ...]
    finish_reason: str
    prompt_tokens: int

    @property
    def text(self) -> str:
        return "".join(self.tokens)

    def usage(self) -> Dict[str, int]:
        completion = len(self.tokens)
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": self.prompt_tokens + completion,
        }


def generate(reply: str, prompt_tokens: int, max_tokens: Optional[float] = None) -> Generation:
    """Split ``reply`` into word tokens and cut it at ``max_tokens`` tokens (finish reason ``length``)."""
    tokens = split_words(reply)
    if max_tokens is not None and len(tokens) > max_tokens:
        return Generation(tuple(tokens[: max(int(max_tokens), 0)]), "length", prompt_tokens)
    return Generation(tuple(tokens), "stop", prompt_tokens)


@dataclass(frozen=True)
class Meta:
    """The identity of one answer, shared by every chunk of a stream."""

    id: str
    created: int
    model: str


@dataclass(frozen=True)
class Event:
    """One Server-Sent Event: ``name`` (``None``: no ``event:`` line) and ``data`` (JSON-encoded unless a str)."""

    name: Optional[str]
    data: Union[str, Dict[str, Any]]


@dataclass(frozen=True)
class StreamPlan:
    """The events of a stream before its end, and the event that ends it."""

    events: Tuple[Event, ...]
    end: Event


# -- Chat (chat_completion) ------------------------------------------------------------------------------


def chat_completion(meta: Meta, gen: Generation, n: int) -> Dict[str, Any]:
    """A ``chat.completion`` as the Tachyon server sends it (``ChatCompletionResponse``)."""
    return {
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "system_fingerprint": None,
        "choices": [_whole_choice(index, gen) for index in range(n)],
        "usage": gen.usage(),
    }


def chat_completion_chunks(meta: Meta, gen: Generation, n: int, include_usage: bool) -> StreamPlan:
    """The events of a streamed ``chat_completion``, before ``data: [DONE]``.

    One chunk per choice announces the role, then one per token and choice, then one
    per choice with the finish reason; every delta and choice carries its explicit
    nulls. With ``stream_options.include_usage`` every chunk has ``"usage": null`` and a
    last chunk with no choices carries the usage (OpenAI's convention).
    """

    def chunk(choices: List[Dict[str, Any]], usage: Optional[Dict[str, int]] = None) -> Event:
        data: Dict[str, Any] = {
            "id": meta.id,
            "object": "chat.completion.chunk",
            "created": meta.created,
            "model": meta.model,
            "system_fingerprint": None,
            "choices": choices,
        }
        if include_usage:
            data["usage"] = usage
        return Event(None, data)

    def choice(index: int, role: Optional[str], content: Optional[str], finish: Optional[str] = None) -> Dict[str, Any]:
        delta = {"role": role, "content": content, "tool_calls": None}
        return {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}

    events = [chunk([choice(i, "assistant", "")]) for i in range(n)]
    events.extend(chunk([choice(i, None, token)]) for token in gen.tokens for i in range(n))
    events.extend(chunk([choice(i, None, None, gen.finish_reason)]) for i in range(n))
    if include_usage:
        events.append(chunk([], gen.usage()))
    return StreamPlan(tuple(events), Event(None, DONE))


def _whole_choice(index: int, gen: Generation) -> Dict[str, Any]:
    return {
        "index": index,
        "message": {"role": "assistant", "content": gen.text, "tool_calls": None},
        "logprobs": None,
        "finish_reason": gen.finish_reason,
    }


# -- Chat in a chatroom (chat_completion_on_chatroom) ------------------------------------------------------


def chatroom_completion(meta: Meta, gen: Generation, n: int) -> Dict[str, Any]:
    """A chatroom answer as the Tachyon server sends it: ``created: null``, no ``chatroom_id``."""
    return {
        "id": meta.id,
        "object": "chat.completion",
        "created": None,
        "model": meta.model,
        "choices": [_whole_choice(index, gen) for index in range(n)],
        "usage": gen.usage(),
    }


def chatroom_chunks(meta: Meta, gen: Generation, n: int) -> StreamPlan:
    """The events of a streamed chatroom answer, before ``data: [DONE]``.

    No ``created``, no ``chatroom_id``, and no ``finish_reason`` until the last chunk of
    each choice, whose delta is ``{}``. The first token of a choice carries the role.
    """

    def chunk(choice: Dict[str, Any]) -> Event:
        data = {"id": meta.id, "object": "chat.completion.chunk", "model": meta.model, "choices": [choice]}
        return Event(None, data)

    events: List[Event] = []
    for position, token in enumerate(gen.tokens):
        for i in range(n):
            delta = {"role": "assistant", "content": token} if position == 0 else {"content": token}
            events.append(chunk({"index": i, "delta": delta}))
    events.extend(chunk({"index": i, "delta": {}, "finish_reason": gen.finish_reason}) for i in range(n))
    return StreamPlan(tuple(events), Event(None, DONE))


def chatroom_agent_events(gen: Generation) -> StreamPlan:
    """The chatroom's agent events: ``event: say`` with each word (``{"text": ...}``), then ``event: done``."""
    events = tuple(Event("say", {"text": token}) for token in gen.tokens)
    return StreamPlan(events, Event("done", {}))


# -- Deployments (getChatCompletionsFromDeployment, getCompletionsFromDeployment) --------------------------


def deployment_answer(answer_id: str, gen: Generation) -> Dict[str, Any]:
    """A deployment answer (``GetChatCompletionsFromDeploymentResponseBody`` and the completions one)."""
    return {"id": answer_id, "response": gen.text}


def deployment_chunks(answer_id: str, gen: Generation) -> StreamPlan:
    """One ``{"id", "response"}`` event per token, then ``data: [DONE]``."""
    events = tuple(Event(None, {"id": answer_id, "response": token}) for token in gen.tokens)
    return StreamPlan(events, Event(None, DONE))


# -- Errors -------------------------------------------------------------------------------------------------

_VARIANTS = {
    400: "BadRequest",
    401: "Unauthorized",
    402: "PaymentRequired",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    408: "RequestTimeout",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    500: "InternalServerError",
    501: "NotImplemented",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


def variant_for(status: int) -> str:
    """The name of the Tachyon error variant for ``status`` (``TooManyRequests`` for 429)."""
    if status in _VARIANTS:
        return _VARIANTS[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "InternalServerError" if status >= 500 else "BadRequest"
    return re.sub(r"[^A-Za-z]", "", phrase.title())


def reason_for(status: int) -> str:
    """The HTTP reason phrase of ``status`` (``Error`` for an unknown one)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def tachyon_error(status: int, text: str) -> Dict[str, Any]:
    """A Tachyon error body: ``{"error": "<Variant>: text"}``."""
    return {"error": f"{variant_for(status)}: {text}"}


def emissary_error(status: int, text: str) -> Dict[str, Any]:
    """An Emissary error body: ``{"status", "error"}``, with ``code: object_not_found`` for 404."""
    body: Dict[str, Any] = {"status": status, "error": text}
    if status == 404:
        body["code"] = "object_not_found"
    return body


#: The text of an injected failure, by status (others: ``Injected failure: HTTP <status>``).
INJECTED_TEXTS = {
    402: "Insufficient credits: the operator has no credits left",
    429: "Rate limit exceeded; retry later",
    503: "The service is temporarily unavailable",
}


def injected_text(status: int) -> str:
    return INJECTED_TEXTS.get(status, f"Injected failure: HTTP {status}")
