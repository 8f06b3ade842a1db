"""How a real stream ends, over raw sockets on 127.0.0.1: the fixture ``chat_stream.sse`` framed every way HTTP/1.1
allows, complete or cut.

- With the sentinel (``chat_completion``, whose spec names ``[DONE]``): a body that ends without it is a
  ``StreamError``, however cleanly the body itself ends; every chunk before is delivered.
- Without a sentinel (a ``Stream`` built with ``sentinel=None`` over a urllib3 response, as for an operation whose
  media type names none): the end of a completely framed body is the end (the chunked terminator, the whole
  ``Content-Length``, the close of a close-framed body); a body cut short (chunked without its last chunk, a short
  ``Content-Length``, a reset, an unterminated last event) is a ``StreamError`` after every whole chunk.
"""

import threading
from typing import Callable, Dict, Iterator, List, Tuple

import pytest
import urllib3

import tachyon_sdk
from tachyon_sdk.exceptions import ApiException, StreamError
from tachyon_sdk.helpers import text_deltas
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.streaming import Stream

from ..conftest import MAX_WAIT, ClientKit, RawConnection, RawServer
from ._real import AUTHORIZATION, CHAT_BODY, OPERATOR, fixture, pieces, without_last_event

StartRaw = Callable[[Callable[[RawConnection], None]], RawServer]
MakeClient = Callable[..., ClientKit]

EVENTS = without_last_event(fixture("chat_stream.sse"))  # the five chunks, no [DONE]
TEXT = "Hello, world!"
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"


def chunked(data: bytes) -> bytes:
    """``data`` as HTTP/1.1 chunks, one per event, without the terminating last chunk."""
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces(data))


# name: (the answer's bytes, then what the server does: "keep" the connection open, "close" or "reset")
COMPLETE: Dict[str, Tuple[bytes, str]] = {
    "chunked_terminator": (HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(EVENTS) + b"0\r\n\r\n", "keep"),
    "full_content_length": (HEAD + b"Content-Length: %d\r\n\r\n" % len(EVENTS) + EVENTS, "keep"),
    "close_of_a_close_framed_body": (HEAD + b"Connection: close\r\n\r\n" + EVENTS, "close"),
}
CUT: Dict[str, Tuple[bytes, str]] = {
    "chunked_without_its_last_chunk": (HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(EVENTS), "close"),
    "short_content_length": (HEAD + b"Content-Length: %d\r\n\r\n" % (len(EVENTS) + 64) + EVENTS, "close"),
    "connection_reset": (HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(EVENTS), "reset"),
    "unterminated_last_event": (
        HEAD + b"Connection: close\r\n\r\n" + EVENTS + b'data: {"id":"chatcmpl-7f3a9c1e","object"',
        "close",
    ),
}


class Script:
    """A raw server answering one scripted response per connection; the caller says when it is done."""

    def __init__(self, raw_server: StartRaw, answer: bytes, then: str) -> None:
        self.answer = answer
        self.then = then
        self.caller_has_all = threading.Event()  # a reset drops unread data: it waits until the caller read it
        self.caller_done = threading.Event()
        self.server = raw_server(self.handle)

    def handle(self, conn: RawConnection) -> None:
        if conn.read_request() is None:
            return
        conn.send(self.answer)
        if self.then == "reset":
            self.caller_has_all.wait(MAX_WAIT)
            conn.reset()
        elif self.then == "close":
            conn.close()
        else:  # the framing alone must end the body: the connection stays open until the caller is done
            self.caller_done.wait(MAX_WAIT)


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    manager = urllib3.PoolManager(maxsize=1, retries=False, timeout=urllib3.Timeout(connect=MAX_WAIT, read=MAX_WAIT))
    yield manager
    manager.clear()


def no_sentinel_stream(http: urllib3.PoolManager, script: Script) -> "Stream[ChatCompletionChunkResponse]":
    response = http.request("POST", f"{script.server.url}/v1/stream", body=b"{}", preload_content=False)
    return Stream(response, ChatCompletionChunkResponse, sentinel=None)


# --- with the sentinel: the generated ChatApi -------------------------------------------------------------------


@pytest.mark.parametrize("framing", list(COMPLETE))
def test_with_the_sentinel_a_body_ending_without_done_is_a_stream_error(
    raw_server: StartRaw, make_client: MakeClient, framing: str
) -> None:
    script = Script(raw_server, *COMPLETE[framing])
    api = tachyon_sdk.ChatApi(make_client(host=script.server.url, retries=0).client)
    delivered: List[str] = []

    try:
        with api.chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY) as stream:
            with pytest.raises(StreamError) as caught:
                for text in text_deltas(stream):
                    delivered.append(text)
    finally:
        script.caller_done.set()

    assert "".join(delivered) == TEXT  # every chunk first
    assert caught.value.chunks_received == 5
    assert str(caught.value) == "stream ended after 5 chunks without [DONE]"
    assert not isinstance(caught.value, ApiException)


# --- without a sentinel: Stream(..., sentinel=None) over a urllib3 response -------------------------------------


@pytest.mark.parametrize("framing", list(COMPLETE))
def test_without_a_sentinel_a_completely_framed_body_ends_the_stream(
    raw_server: StartRaw, http: urllib3.PoolManager, framing: str
) -> None:
    script = Script(raw_server, *COMPLETE[framing])

    try:
        with no_sentinel_stream(http, script) as stream:
            chunks = list(stream)
            after = list(stream)
    finally:
        script.caller_done.set()

    assert "".join(text_deltas(chunks)) == TEXT
    assert [chunk.choices[0].finish_reason for chunk in chunks] == [None, None, None, None, "stop"]
    assert stream.chunks_received == 5 and after == []


@pytest.mark.parametrize("framing", list(CUT))
def test_without_a_sentinel_a_body_cut_short_is_a_stream_error(
    raw_server: StartRaw, http: urllib3.PoolManager, framing: str
) -> None:
    script = Script(raw_server, *CUT[framing])
    delivered: List[ChatCompletionChunkResponse] = []

    try:
        with no_sentinel_stream(http, script) as stream:
            with pytest.raises(StreamError) as caught:
                for chunk in stream:
                    delivered.append(chunk)
                    if len(delivered) == 5:
                        script.caller_has_all.set()
    finally:
        script.caller_done.set()

    assert "".join(text_deltas(delivered)) == TEXT  # every whole chunk before the cut
    assert caught.value.chunks_received == 5
    assert str(caught.value).startswith("stream ended after 5 chunks before the end of its body")
    if framing == "unterminated_last_event":
        assert str(caught.value).endswith("(cut in the middle of an event)")
