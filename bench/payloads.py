"""The fixed payloads every contender sends and the bench server answers.

Requests and answers follow ``openapi.yaml`` (``POST /v1/llms/chat/completions``), which is also
the OpenAI chat-completions shape, so every contender speaks the same protocol. The server
decides between a JSON answer and a stream by the body's ``"stream": true`` and takes the number
of stream chunks from ``max_tokens`` (a field every client can send).
"""

import json
from typing import Any, Dict, Tuple

CHAT_PATH = "/v1/llms/chat/completions"
"""The operation every workload calls (``chat_completion`` in ``openapi.yaml``)."""

OPENAI_BASE_PATH = "/v1/llms"
"""openai-python's ``base_url`` path: it appends ``/chat/completions``."""

OPERATOR_ID = "tn_bench"
AUTHORIZATION = "Bearer bench-token"
MODEL = "tachyon-bench"
COMPLETION_ID = "chatcmpl-bench0001"
CREATED = 1700000000
DEFAULT_STREAM_CHUNKS = 16
"""Chunks of a stream whose request carries no ``max_tokens``."""

_CONTENT = (
    "Tachyon answers every question with a reply of about one kilobyte, so that decoding the body "
    "costs what a typical chat completion costs. The text is fixed: the benchmark measures the "
    "client, not the model. A client parses the status line and the headers, reads the body, "
    "decodes the JSON and builds its objects: a completion with one choice, one message and the "
    "usage. Everything the server does is precomputed, and it runs in another process, so that its "
    "CPU time is never counted against a client. The ratios between contenders are what matter; "
    "the absolute times depend on this machine and are shown only for context. Lorem ipsum dolor "
    "sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore."
)
TOKEN = " token"
"""The text each middle stream chunk adds."""


def chat_request(max_tokens: int, stream: bool = False) -> Dict[str, Any]:
    """The request body every contender sends (as a model, a dict or keyword arguments)."""
    body: Dict[str, Any] = {
        "model": MODEL,
        "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Write about one kilobyte of text about benchmarks."},
        ],
        "temperature": 0.7,
        "max_tokens": max_tokens,
    }
    if stream:
        body["stream"] = True
    return body


def completion_body() -> bytes:
    """The non-streamed answer: a ``ChatCompletionResponse`` of about 1 KB."""
    obj = {
        "id": COMPLETION_ID,
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "system_fingerprint": "fp_bench",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": _CONTENT, "tool_calls": None, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 31, "completion_tokens": 187, "total_tokens": 218},
    }
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def expected_content() -> str:
    """The message content of :func:`completion_body`, checked by every contender once."""
    return _CONTENT


def _chunk(delta: Dict[str, Any], finish_reason: Any = None, usage: Any = None) -> bytes:
    obj: Dict[str, Any] = {
        "id": COMPLETION_ID,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL,
        "system_fingerprint": "fp_bench",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    if usage is not None:
        obj["usage"] = usage
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def stream_events() -> Tuple[bytes, bytes, bytes]:
    """The SSE events of a stream: (first, middle, last) ``data: {...}\\n\\n`` events.

    A stream of ``n`` chunks is ``first``, ``n - 2`` times ``middle``, ``last``, then
    ``data: [DONE]``. ``first`` names the role, ``middle`` adds :data:`TOKEN`, ``last`` carries
    ``finish_reason`` and ``usage``. Every delta carries the explicit nulls the real Tachyon
    server writes (``"role": null`` after the first chunk, ``"tool_calls": null``).
    """
    first = b"data: " + _chunk({"role": "assistant", "content": "", "tool_calls": None}) + b"\n\n"
    middle = b"data: " + _chunk({"role": None, "content": TOKEN, "tool_calls": None}) + b"\n\n"
    usage = {"prompt_tokens": 31, "completion_tokens": 187, "total_tokens": 218}
    end = {"role": None, "content": None, "tool_calls": None}
    last = b"data: " + _chunk(end, finish_reason="stop", usage=usage) + b"\n\n"
    return first, middle, last


DONE_EVENT = b"data: [DONE]\n\n"
