"""Answers of the Tachyon API for wire tests that go through the generated ``ChatApi``/``DeploymentsApi``.

Each ``*_JSON`` is a valid non-streamed answer; :func:`sse` builds an event-stream body (a list of
pieces, one write per event, as :class:`test.conftest.ScriptedServer` sends lists chunked).
"""

import json
from typing import Any, Dict, List

CHAT_REQUEST: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
DEPLOYMENT_CHAT_REQUEST: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
DEPLOYMENT_COMPLETION_REQUEST: Dict[str, Any] = {"prompt": "Once upon a time"}

CHAT_JSON: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}
CHATROOM_JSON: Dict[str, Any] = {**CHAT_JSON, "created": None}  # the real chatroom answer: no chatroom_id
DEPLOYMENT_CHAT_JSON: Dict[str, Any] = {"id": "dep-1", "response": "Hello"}
DEPLOYMENT_COMPLETION_JSON: Dict[str, Any] = {"id": "dep-2", "response": "there was"}


def chat_chunk(text: str) -> Dict[str, Any]:
    """One ``ChatCompletionChunkResponse`` as the real server sends it (explicit nulls)."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "delta": {"role": None, "content": text, "tool_calls": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ],
    }


def completion_chunk(text: str) -> Dict[str, Any]:
    """One ``GetCompletionsFromDeploymentChunk``: ``response`` is the text it adds."""
    return {"id": "dep-2", "response": text}


def event(data: Any) -> bytes:
    """One server-sent event whose data is ``data`` as JSON (or as is, for a string)."""
    text = data if isinstance(data, str) else json.dumps(data)
    return f"data: {text}\n\n".encode()


def sse(chunks: List[Dict[str, Any]], done: bool = True) -> List[bytes]:
    """The pieces of an event-stream body: one event per chunk, then ``data: [DONE]``."""
    pieces = [event(chunk) for chunk in chunks]
    if done:
        pieces.append(event("[DONE]"))
    return pieces


SSE_HEADERS = {"Content-Type": "text/event-stream"}
