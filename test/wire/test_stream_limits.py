"""Bounded memory on the stream path, over real sockets: a line or an event that never ends, plain or
gzip-compressed, raises ``ResponseTooLargeError`` once it passes its limit; deeply nested events give
SDK exceptions; and a property test runs random event streams, split at random places, through the
whole path (socket, urllib3, decoder, ``Stream``) against a model of what must come out.
"""

import gzip
import json
import threading
import tracemalloc
import zlib
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiDecodeError, ApiException, ResponseTooLargeError, StreamError

from ..conftest import RawConnection, RawServer

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
PIECES = 400  # most pieces a server script sends before it stops by itself


def chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data) if data else b""


class Sender:
    """Sends pieces until the client closes the connection; counts them."""

    def __init__(self) -> None:
        self.sent = 0
        self.finished = threading.Event()

    def run(self, conn: RawConnection, head: bytes, piece: Callable[[int], Optional[bytes]]) -> None:
        try:
            if conn.read_request() is None:
                return
            conn.send(head)
            for index in range(PIECES):
                data = piece(index)
                if data is None:
                    break
                conn.send(data)
                self.sent += 1
        except OSError:
            pass  # closed by the client
        finally:
            self.finished.set()
            conn.wait(2.0)


def chat_stream(url: str, **settings: Any) -> Any:
    client = ApiClient(Configuration(host=url, timeout=(2.0, 5.0), retries=0, **settings))
    return client, tachyon_sdk.ChatApi(client).chat_completion_stream("tn_1", "Bearer sk-1", {"messages": []})


@pytest.mark.parametrize(
    ("settings", "limit"),
    [({"max_stream_event_bytes": 64 * 1024}, 64 * 1024), ({"max_response_bytes": 32 * 1024}, 32 * 1024)],
    ids=["max_stream_event_bytes", "max_response_bytes-lowers-it"],
)
def test_a_line_that_never_ends_is_refused_at_its_limit(
    raw_server: StartServer, settings: Dict[str, Any], limit: int
) -> None:
    sender = Sender()
    block = b"x" * 8192
    server = raw_server(
        lambda conn: sender.run(conn, HEAD + b"\r\n", lambda i: chunked(b"data: " + block if i == 0 else block))
    )
    client, stream = chat_stream(server.url, **settings)
    with client, stream, pytest.raises(ResponseTooLargeError) as caught:
        next(iter(stream))

    assert caught.value.status == 200 and caught.value.limit == limit
    assert "max_stream_event_bytes" in str(caught.value)
    assert sender.finished.wait(5.0) and sender.sent < PIECES  # refused long before the server stopped


def test_an_event_of_endless_data_lines_is_refused(raw_server: StartServer) -> None:
    sender = Sender()
    line = b"data: " + b"y" * 1000 + b"\n"  # every line ends, the event never does
    server = raw_server(lambda conn: sender.run(conn, HEAD + b"\r\n", lambda i: chunked(line * 64)))
    client, stream = chat_stream(server.url, max_stream_event_bytes=100_000)
    with client, stream, pytest.raises(ResponseTooLargeError):
        list(stream)

    assert sender.finished.wait(5.0) and sender.sent < PIECES


def listed(pieces: List[bytes]) -> Callable[[int], Optional[bytes]]:
    """The pieces, then the last chunk, then nothing."""
    return lambda index: (
        chunked(pieces[index]) if index < len(pieces) else (b"0\r\n\r\n" if index == len(pieces) else None)
    )


def test_a_gzip_stream_is_limited_by_its_decoded_size(raw_server: StartServer) -> None:
    # about 40 MiB of one endless line, compressed to about 40 KiB, sent in small pieces
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    first = compressor.compress(b"data: ")
    zeros = b"z" * (1024 * 1024)
    pieces = [first + compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)]
    pieces += [compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH) for _ in range(40)]
    sender = Sender()
    head = HEAD + b"Content-Encoding: gzip\r\n\r\n"
    server = raw_server(lambda conn: sender.run(conn, head, listed(pieces)))
    client, stream = chat_stream(server.url, max_response_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with client, stream, pytest.raises(ResponseTooLargeError) as caught:
            list(stream)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert caught.value.limit == 1024 * 1024
    assert peak < 12 * 1024 * 1024  # a few copies of the 1 MiB limit, never the 40 MiB the server inflates to


def test_a_gzip_stream_within_its_limits_is_read(raw_server: StartServer) -> None:
    chunk = {"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": []}
    body = gzip.compress(("data: " + json.dumps(chunk) + "\n\n").encode() * 3 + b"data: [DONE]\n\n")
    sender = Sender()
    head = HEAD + b"Content-Encoding: gzip\r\n\r\n"
    server = raw_server(lambda conn: sender.run(conn, head, listed([body[:7], body[7:]])))
    client, stream = chat_stream(server.url, max_stream_event_bytes=1024)
    with client, stream:
        assert len(list(stream)) == 3


@pytest.mark.parametrize(
    ("event", "klass"),
    [
        (b"event: error\ndata: " + b'{"error":' * 100_000 + b"\n\n", ApiException),
        (b"data: " + b'{"error":' * 100_000 + b"\n\n", ApiDecodeError),
        (b"data: " + b"[" * 100_000 + b"\n\n", ApiDecodeError),
        (b'event: error\ndata: {"error": ' + b"[" * 100_000 + b'"deep"' + b"]" * 100_000 + b"}\n\n", ApiException),
    ],
    ids=["error-event", "error-key", "array", "closed-nesting"],
)
def test_deeply_nested_events_give_sdk_exceptions(raw_server: StartServer, event: bytes, klass: type) -> None:
    sender = Sender()
    server = raw_server(lambda conn: sender.run(conn, HEAD + b"\r\n", listed([event])))
    client, stream = chat_stream(server.url, max_stream_event_bytes=1024 * 1024)
    with client, stream, pytest.raises(klass) as caught:
        list(stream)

    assert isinstance(caught.value, ApiException)
    assert not isinstance(caught.value.__cause__, RecursionError)


# --- property test of the whole stream path -------------------------------------------------------------------------

LIMIT = 300  # characters: small, so that generated events cross it often


class ScriptedStream:
    """One server for every example: each request is answered with the pieces set for it."""

    def __init__(self, start: StartServer) -> None:
        self.pieces: List[bytes] = []
        self.server = start(self.handle)

    def handle(self, conn: RawConnection) -> None:
        while conn.read_request() is not None:
            conn.send(HEAD + b"\r\n")
            for piece in self.pieces:
                conn.send(chunked(piece))
            conn.send(b"0\r\n\r\n")


names = st.sampled_from([None, "ping", "say"])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=120)
events = st.lists(st.tuples(names, texts, st.booleans()), max_size=8)


Script = List[Tuple[Optional[str], str, bool]]


def expected(script: Script, done: bool) -> Tuple[List[str], int, Optional[type]]:
    """What iteration gives: the chunk texts, the named events skipped, the exception it ends with
    (``None``: a clean end). An event counts its lines and their line ends toward the limit."""
    out: List[str] = []
    skipped = 0
    for name, text, _comment in script:
        data = json.dumps({"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": [], "t": text})
        size = len(f"data: {data}") + 1 + (len(f"event: {name}") + 1 if name else 0)
        if size > LIMIT:
            return out, skipped, ResponseTooLargeError
        if name is None:
            out.append(text)
        else:
            skipped += 1
    return out, skipped, (None if done else StreamError)


def wire(script: Script, done: bool) -> bytes:
    text = ""
    for name, value, comment in script:
        data = json.dumps({"id": "c", "object": "chat.completion.chunk", "model": "m", "choices": [], "t": value})
        if comment:
            text += ":\r\n"
        if name:
            text += f"event: {name}\n"
        text += f"data: {data}\n\n"
    if done:
        text += "data: [DONE]\n\n"
    return text.encode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=events, done=st.booleans(), cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=6))
def test_random_streams_split_anywhere_come_out_as_their_model_says(
    raw_server: StartServer, script: Script, done: bool, cuts: List[int]
) -> None:
    server = _shared(raw_server)
    body = wire(script, done)
    points = sorted({min(cut, len(body)) for cut in cuts} | {0, len(body)})
    server.pieces = [body[a:b] for a, b in zip(points[:-1], points[1:], strict=True) if b > a]
    want, skipped, failure = expected(script, done)

    got: List[str] = []
    client, stream = chat_stream(server.server.url, max_stream_event_bytes=LIMIT)
    with client, stream:
        if failure is None:
            got = [chunk.to_dict()["t"] for chunk in stream]
        else:
            with pytest.raises(failure):
                for chunk in stream:
                    got.append(chunk.to_dict()["t"])
    assert got == want
    assert stream.events_skipped == skipped


_servers: Dict[int, ScriptedStream] = {}


def _shared(start: StartServer) -> ScriptedStream:
    """The one scripted server of the current test (the fixture's factory is the same for every example)."""
    key = id(start)
    if key not in _servers:
        _servers.clear()
        _servers[key] = ScriptedStream(start)
    return _servers[key]
