"""The fixtures of ``test/fixtures/real/`` and how the conformance tests serve and call them.

Each fixture is a body as the real Tachyon or Emissary server sends it. :func:`pieces` splits an
event-stream fixture after each event (the pieces joined are the file, byte for byte), so the
scripted server sends one HTTP chunk per event, as a streaming server flushes them.
"""

import json
import re
from pathlib import Path
from typing import Any, Dict, List

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real"

OPERATOR = "tn_conformance"
AUTHORIZATION = "Bearer sk-conformance-0001"
API_KEY = "emissary-conformance-key-0001"
PROJECT = "proj-7"
DEPLOYMENT = "dep-3"
CHATROOM = "room-42"

CHAT_BODY: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
DEPLOYMENT_CHAT_BODY: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
DEPLOYMENT_COMPLETION_BODY: Dict[str, Any] = {"prompt": "What is the capital of France?"}

SSE = {"Content-Type": "text/event-stream", "X-Request-Id": "req-conformance"}
JSON = {"Content-Type": "application/json", "X-Request-Id": "req-conformance"}
TEXT = {"Content-Type": "text/plain; charset=utf-8", "X-Request-Id": "req-conformance"}


def fixture(name: str) -> bytes:
    """The bytes of ``test/fixtures/real/<name>``."""
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def pieces(data: bytes) -> List[bytes]:
    """``data`` cut after every blank line that ends an event; ``b"".join(pieces(data)) == data``."""
    parts = re.findall(rb".*?\n\n|.+\Z", data, re.S)
    assert b"".join(parts) == data
    return parts


def without_last_event(data: bytes) -> bytes:
    """An event-stream body without its last event (the sentinel, for the fixtures that end with one)."""
    parts = pieces(data)
    return b"".join(parts[:-1])


def event_data(data: bytes) -> List[str]:
    """The ``data`` of every ``data:`` line of an event-stream body, in order."""
    return [line[len("data: ") :] for line in data.decode().split("\n") if line.startswith("data: ")]
