"""The answers of the local server: deterministic text, split into chunks.

Pure functions from a validated request body to the JSON objects the server
sends: a whole answer (``application/json``) or the ``data`` of each
Server-Sent Event of a stream. The "model" echoes the prompt (or a reply set
on the server) and honours ``max_tokens``/``max_new_tokens`` (finish reason
``length``) and ``stop`` (finish reason ``stop``), counting one token per word.
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

# A split point between whitespace and the next word: "Hello  big world" -> "Hello  ", "big ", "world".
_WORD_BOUNDARY = re.compile(r"(?<=\s)(?=\S)")


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


def generate(reply: str, prompt_tokens: int, max_tokens: Optional[float] = None, stop: Any = None) -> Generation:
    """Cut ``reply`` at the first ``stop`` sequence, then at ``max_tokens`` tokens."""
    finish_reason = "stop"
    stops = [stop] if isinstance(stop, str) else [s for s in (stop or []) if isinstance(s, str)]
    cut = min((reply.find(s) for s in stops if s and s in reply), default=-1)
    if cut >= 0:
        reply = reply[:cut]
    tokens = split_words(reply)
    if max_tokens is not None and len(tokens) > max_tokens:
        tokens = tokens[: int(max_tokens)]
        finish_reason = "length"
    return Generation(tuple(tokens), finish_reason, prompt_tokens)


@dataclass(frozen=True)
class Meta:
    """The identity of one answer, shared by every chunk of a stream."""

    id: str
    created: int
    model: str


# -- Chat (chat_completion, chat_completion_on_chatroom) ---------------------------------------------


def chat_completion(meta: Meta, gen: Generation, n: int, chatroom_id: Optional[str]) -> Dict[str, Any]:
    """A ``ChatCompletionResponse`` (or ``ChatCompletionWithChatroomResponse`` with ``chatroom_id``)."""
    body: Dict[str, Any] = {"id": meta.id, "object": "chat.completion", "created": meta.created, "model": meta.model}
    if chatroom_id is not None:
        body["chatroom_id"] = chatroom_id
    body["choices"] = [
        {
            "index": index,
            "message": {"role": "assistant", "content": gen.text},
            "finish_reason": gen.finish_reason,
            "logprobs": None,
        }
        for index in range(n)
    ]
    body["usage"] = gen.usage()
    return body


def chat_completion_chunks(
    meta: Meta, gen: Generation, n: int, chatroom_id: Optional[str], include_usage: bool
) -> List[Dict[str, Any]]:
    """The data of each event of a streamed chat completion, before ``[DONE]``.

    One chunk per choice announces the role, then one per token and choice, then one
    per choice with the finish reason; with ``include_usage`` a last chunk with no
    choices carries the usage (OpenAI's convention).
    """

    def chunk(choices: List[Dict[str, Any]], usage: Optional[Dict[str, int]] = None) -> Dict[str, Any]:
        data: Dict[str, Any] = {
            "id": meta.id,
            "object": "chat.completion.chunk",
            "created": meta.created,
            "model": meta.model,
        }
        if chatroom_id is not None:
            data["chatroom_id"] = chatroom_id
        data["choices"] = choices
        if include_usage:
            data["usage"] = usage
        return data

    def choice(index: int, delta: Dict[str, Any], finish_reason: Optional[str] = None) -> Dict[str, Any]:
        return {"index": index, "delta": delta, "finish_reason": finish_reason, "logprobs": None}

    chunks = [chunk([choice(i, {"role": "assistant", "content": ""})]) for i in range(n)]
    chunks.extend(chunk([choice(i, {"content": token})]) for token in gen.tokens for i in range(n))
    chunks.extend(chunk([choice(i, {}, gen.finish_reason)]) for i in range(n))
    if include_usage:
        chunks.append(chunk([], gen.usage()))
    return chunks


# -- Deployments (getChatCompletionsFromDeployment, getCompletionsFromDeployment) ------------------


def deployment_chat_completion(meta: Meta, gen: Generation, deployment_id: str) -> Dict[str, Any]:
    """A ``GetChatCompletionsFromDeploymentResponseBody``."""
    return {
        "id": meta.id,
        "created": meta.created,
        "deployment_id": deployment_id,
        "message": {"role": "assistant", "content": gen.text},
        "finish_reason": gen.finish_reason,
        "usage": gen.usage(),
    }


def deployment_chat_chunks(meta: Meta, gen: Generation) -> List[Dict[str, Any]]:
    """The data of each ``GetChatCompletionsFromDeploymentChunk`` event; usage in the last one."""
    chunks: List[Dict[str, Any]] = [{"id": meta.id, "delta": {"role": "assistant", "content": ""}}]
    chunks.extend({"id": meta.id, "delta": {"content": token}} for token in gen.tokens)
    chunks.append({"id": meta.id, "delta": {}, "finish_reason": gen.finish_reason, "usage": gen.usage()})
    return chunks


def deployment_completion(meta: Meta, gen: Generation, deployment_id: str) -> Dict[str, Any]:
    """A ``GetCompletionsFromDeploymentResponseBody``."""
    return {
        "id": meta.id,
        "created": meta.created,
        "deployment_id": deployment_id,
        "text": gen.text,
        "finish_reason": gen.finish_reason,
        "usage": gen.usage(),
    }


def deployment_completion_chunks(meta: Meta, gen: Generation) -> List[Dict[str, Any]]:
    """The data of each ``GetCompletionsFromDeploymentChunk`` event; usage in the last one."""
    chunks: List[Dict[str, Any]] = [{"id": meta.id, "text": token} for token in gen.tokens]
    chunks.append({"id": meta.id, "text": "", "finish_reason": gen.finish_reason, "usage": gen.usage()})
    return chunks


# -- Errors -----------------------------------------------------------------------------------------


def api_error(
    message: str, error_type: str, code: Union[str, int, None] = None, param: Optional[str] = None
) -> Dict[str, Any]:
    """An ``APIError`` body."""
    detail: Dict[str, Any] = {"message": message, "type": error_type}
    if param is not None:
        detail["param"] = param
    if code is not None:
        detail["code"] = code
    return {"error": detail}


_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def error_type_for(status: int) -> str:
    """The ``APIError.error.type`` the server uses for ``status``."""
    if status in _ERROR_TYPES:
        return _ERROR_TYPES[status]
    return "server_error" if status >= 500 else "invalid_request_error"
