"""Stream over real sockets: a raw-socket server on 127.0.0.1 writes exact bytes, urllib3 reads them.

The server side is scripted per test (pauses on threading.Event handshakes, chunked or
connection-close framing, FIN, RST), so every wire situation is reproduced without timing
assertions. Every server thread is a daemon, its loops and waits are bounded.
"""

import gc
import socket
import struct
import threading
import time
from typing import Callable, Iterator, List, Optional

import pydantic
import pytest
import urllib3
from urllib3.exceptions import HTTPError

from tachyon_sdk.exceptions import ApiDecodeError, ApiException, ApiTimeoutError, StreamError
from tachyon_sdk.streaming import Stream

WAIT = 5.0  # upper bound of every wait in the server threads and the client (seconds)
ENDLESS_EVENTS = 5000  # "endless" streams stop by themselves after this many events

HEAD_CHUNKED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nX-Request-Id: req-1\r\n\r\n"
)
HEAD_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"


class Chunk(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    id: str
    n: int
    text: str = ""


class ErrorDetail(pydantic.BaseModel):
    message: str
    code: Optional[int] = None


class ErrorBody(pydantic.BaseModel):
    error: ErrorDetail


def event(n: int, text: str = "", extra: str = "") -> bytes:
    return f'data: {{"id":"c{n}","n":{n},"text":"{text}"{extra}}}\n\n'.encode()


DONE = b"data: [DONE]\n\n"


class Peer:
    """The server's side of one accepted connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.sent_events = 0
        self.error: Optional[BaseException] = None

    def read_request(self) -> bool:
        """Read one request head (the client sends GET without body); False on EOF."""
        while b"\r\n\r\n" not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                return False
            self.buffer += data
        self.buffer = self.buffer.split(b"\r\n\r\n", 1)[1]
        return True

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def chunk(self, data: bytes) -> None:
        self.send(b"%x\r\n%s\r\n" % (len(data), data))

    def end_chunks(self) -> None:
        self.send(b"0\r\n\r\n")

    def reset(self) -> None:
        """Abort with a TCP RST (SO_LINGER 0) instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


class Server:
    """Accepts connections on 127.0.0.1 and runs ``handler`` for each one in its own thread."""

    def __init__(self, handler: Callable[[Peer], None]) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.peers: List[Peer] = []
        self.threads: List[threading.Thread] = []
        self.stopping = threading.Event()
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/stream"

    def _accept(self) -> None:
        for _ in range(int(60 / 0.05)):  # bounded: stops by itself after a minute at most
            if self.stopping.is_set():
                return
            try:
                sock, _ = self.listener.accept()
            except OSError:
                continue
            sock.settimeout(WAIT)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            peer = Peer(sock)
            self.peers.append(peer)
            thread = threading.Thread(target=self._serve, args=(peer,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, peer: Peer) -> None:
        try:
            self.handler(peer)
        except OSError as exc:
            peer.error = exc
        finally:
            peer.sock.close()

    def join(self) -> None:
        """Wait (bounded) until every connection handler has returned."""
        for thread in list(self.threads):
            thread.join(WAIT * 2)
            assert not thread.is_alive()

    def close(self) -> None:
        self.stopping.set()
        self.acceptor.join(WAIT)
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[Peer], None]], Server]]:
    servers: List[Server] = []

    def start(handler: Callable[[Peer], None]) -> Server:
        server = Server(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    manager = urllib3.PoolManager(
        maxsize=1, block=True, retries=False, timeout=urllib3.Timeout(connect=WAIT, read=WAIT)
    )
    yield manager
    manager.clear()


def open_stream(
    http: urllib3.PoolManager, server: Server, *, on_close: Optional[Callable[[], None]] = None, **kw: object
) -> "Stream[Chunk]":
    response = http.request("GET", server.url, preload_content=False, pool_timeout=WAIT, **kw)  # type: ignore[arg-type]
    return Stream(response, Chunk, error_type=ErrorBody, on_close=on_close)


def endless(peer: Peer) -> None:
    """A long stream: events until the client goes away (bounded)."""
    peer.read_request()
    peer.send(HEAD_CHUNKED)
    for n in range(ENDLESS_EVENTS):
        peer.chunk(event(n, "x" * 100))
        peer.sent_events += 1
        time.sleep(0.001)


# -- incremental delivery ---------------------------------------------------------------------


@pytest.mark.parametrize("framing", ["chunked", "close"])
def test_first_chunk_arrives_before_the_server_sends_the_second(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager, framing: str
) -> None:
    got_first = threading.Event()
    server_saw_first = []

    def handler(peer: Peer) -> None:
        peer.read_request()
        if framing == "chunked":
            peer.send(HEAD_CHUNKED)
            peer.chunk(event(1))
            server_saw_first.append(got_first.wait(WAIT))
            peer.chunk(event(2) + DONE)
            peer.end_chunks()
        else:
            peer.send(HEAD_CLOSE + event(1))
            server_saw_first.append(got_first.wait(WAIT))
            peer.send(event(2) + DONE)

    server = serve(handler)
    with open_stream(http, server) as stream:
        first = next(stream)
        got_first.set()
        rest = list(stream)
    assert first.n == 1
    assert [c.n for c in rest] == [2]
    server.join()
    assert server_saw_first == [True]  # the client had chunk 1 while the server still held chunk 2


def test_events_split_across_writes_at_awkward_places(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    body = (
        b": keep-alive\r\n\r\n"
        + 'data: {"id":"c1","n":1,"text":"é😀"}\r\n\r\n'.encode()
        + b'data: {"id":"c2",\r\ndata: "n":2}\r\r'
        + b"data: [DONE]\r\n\r\n"
    )
    # cut inside "data:", between CR and LF, inside é and the emoji, inside the JSON and inside [DONE]
    cuts = [
        2,
        20,
        body.index(b"\xc3") + 1,
        body.index(b"\xf0") + 2,
        body.index(b"\r\n\r\n") + 1,
        body.index(b"c2"),
        len(body) - 9,
    ]
    pieces = [body[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(body)], strict=True)]

    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        for piece in pieces:
            # the HTTP chunk header itself goes out in its own write
            peer.send(b"%x\r\n" % len(piece))
            peer.send(piece + b"\r\n")
            time.sleep(0.002)  # separate TCP segments
        peer.end_chunks()

    server = serve(handler)
    with open_stream(http, server) as stream:
        chunks = list(stream)
    assert [(c.id, c.n, c.text) for c in chunks] == [("c1", 1, "é😀"), ("c2", 2, "")]
    assert stream.chunks_received == 2


def test_keep_alive_comments_and_empty_events_are_skipped(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        for _ in range(3):
            peer.chunk(b": keep-alive\n\n")
        peer.chunk(event(1) + b":ping\n\ndata:\n\nevent: ping\n\n" + event(2))
        peer.chunk(b": keep-alive\n\n" + DONE)
        peer.end_chunks()

    server = serve(handler)
    with open_stream(http, server) as stream:
        assert [c.n for c in stream] == [1, 2]


def test_unknown_fields_in_chunks_are_kept(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1, "hi", ',"added_later":{"k":[1,2]}') + DONE)
        peer.end_chunks()

    with open_stream(http, serve(handler)) as stream:
        (chunk,) = list(stream)
    assert chunk.model_extra == {"added_later": {"k": [1, 2]}}
    assert stream.status_code == 200
    assert stream.headers["X-Request-Id"] == "req-1"


# -- connection release ----------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["same_write", "separate_write", "content_length"])
def test_done_returns_the_connection_to_the_pool(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager, ending: str
) -> None:
    def handler(peer: Peer) -> None:
        while peer.read_request():
            if ending == "content_length":
                body = event(1) + DONE
                peer.send(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(body), body)
                )
                continue
            peer.send(HEAD_CHUNKED)
            peer.chunk(event(1))
            if ending == "same_write":
                peer.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(DONE), DONE))
            else:
                peer.chunk(DONE)
                peer.end_chunks()

    server = serve(handler)
    closed = []
    for _ in range(3):
        with open_stream(http, server, on_close=lambda: closed.append(1)) as stream:
            assert [c.n for c in stream] == [1]
            with pytest.raises(StopIteration):
                next(stream)
    pool = http.connection_from_url(server.url)
    assert pool.num_connections == 1
    assert pool.num_requests == 3
    assert len(server.peers) == 1  # one TCP connection served the three streams
    assert closed == [1, 1, 1]  # on_close once per stream


def test_server_keeping_the_stream_open_after_done_does_not_block(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    finished = threading.Event()
    server_waited = []

    def handler(peer: Peer) -> None:
        if not peer.read_request():
            return
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1) + DONE)
        server_waited.append(finished.wait(WAIT))  # holds the body open until the client is done
        peer.end_chunks()

    server = serve(handler)
    with open_stream(http, server) as stream:
        assert [c.n for c in stream] == [1]
    finished.set()
    server.join()
    assert server_waited == [True]  # the client finished while the body was still open
    # the connection was closed rather than drained; the next request opens a new one
    with open_stream(http, server) as stream:
        assert [c.n for c in stream] == [1]
    assert len(server.peers) == 2


@pytest.mark.parametrize("how", ["with_block", "close", "garbage_collection"])
def test_leaving_early_closes_without_reading_the_rest(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager, how: str
) -> None:
    server = serve(endless)
    closed = []
    stream = open_stream(http, server, on_close=lambda: closed.append(1))
    if how == "with_block":
        with stream:
            for chunk in stream:
                if chunk.n == 1:
                    break
    elif how == "close":
        assert next(stream).n == 0
        stream.close()
        stream.close()  # idempotent
        with pytest.raises(StopIteration):
            next(stream)
    else:
        assert next(stream).n == 0
        with pytest.warns(ResourceWarning, match="unclosed Stream"):  # like an unclosed file
            del stream
            gc.collect()
    assert closed == [1]
    server.join()
    (peer,) = server.peers
    assert isinstance(peer.error, (BrokenPipeError, ConnectionResetError))  # the client hung up
    assert peer.sent_events < ENDLESS_EVENTS
    # the pool slot is free again: a pool of one serves the next request at once
    response = http.request("GET", server.url, preload_content=False, pool_timeout=WAIT)
    response.close()
    response.release_conn()


def test_pool_of_one_serves_twenty_streams_left_early(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    server = serve(endless)
    for i in range(20):
        with open_stream(http, server) as stream:
            assert next(stream).n == 0
            if i % 2:
                assert next(stream).n == 1
    server.join()
    assert len(server.peers) == 20
    assert all(isinstance(p.error, (BrokenPipeError, ConnectionResetError)) for p in server.peers)
    assert http.connection_from_url(server.url).pool.qsize() == 1  # type: ignore[union-attr]


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error_event", "status", "parsed"),
    [
        (b'event: error\ndata: {"error":{"message":"overloaded","code":503}}\n\n', 503, True),
        (b'data: {"error":{"message":"bad things","type":"server_error"}}\n\n', 200, True),
        (b'data: {"error":"plain text","status":429}\n\n', 429, False),
        (b"event: error\ndata: not json\n\n", 200, False),
    ],
    ids=["event_error_with_code", "error_key_without_code", "error_string_with_status", "error_event_not_json"],
)
def test_error_event_after_two_chunks(
    serve: Callable[[Callable[[Peer], None]], Server],
    http: urllib3.PoolManager,
    error_event: bytes,
    status: int,
    parsed: bool,
) -> None:
    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1) + event(2) + error_event + event(3) + DONE)
        peer.end_chunks()

    delivered: List[int] = []
    with open_stream(http, serve(handler)) as stream:
        with pytest.raises(ApiException) as info:
            for chunk in stream:
                delivered.append(chunk.n)
        assert list(stream) == []  # the stream is over after the error
    assert delivered == [1, 2]
    exc = info.value
    assert exc.status == status
    assert exc.reason == "error event in stream"
    raw = error_event.split(b"data: ", 1)[1].rstrip(b"\n").decode()
    assert exc.body == raw
    assert exc.headers is not None and exc.headers["X-Request-Id"] == "req-1"
    if parsed:
        assert isinstance(exc.data, ErrorBody)
        assert exc.data.error.message in ("overloaded", "bad things")
    else:
        assert exc.data is None


def test_invalid_chunk_raises_decode_error_with_raw_data(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1) + b'data: {"id":"c2","n":\n\n' + DONE)
        peer.end_chunks()

    delivered: List[int] = []
    with open_stream(http, serve(handler)) as stream:
        with pytest.raises(ApiDecodeError) as info:
            for chunk in stream:
                delivered.append(chunk.n)
    assert delivered == [1]
    assert info.value.body == '{"id":"c2","n":'
    assert isinstance(info.value.__cause__, pydantic.ValidationError)


CUTS = ["fin_after_complete_events", "connection_close_framing", "close_mid_event", "close_mid_chunk", "tcp_reset"]


@pytest.mark.parametrize("cut", CUTS)
def test_stream_cut_before_done_raises_stream_error(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager, cut: str
) -> None:
    client_has_two = threading.Event()

    def handler(peer: Peer) -> None:
        peer.read_request()
        if cut in ("connection_close_framing", "close_mid_event"):
            peer.send(HEAD_CLOSE + event(1) + event(2))
            client_has_two.wait(WAIT)
            if cut == "close_mid_event":
                peer.send(b'data: {"id":"c3",')
            peer.sock.shutdown(socket.SHUT_WR)
            return
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1) + event(2))
        client_has_two.wait(WAIT)
        if cut == "close_mid_chunk":
            peer.send(b"40\r\ndata: {")
        if cut == "tcp_reset":
            peer.reset()
        else:
            peer.sock.shutdown(socket.SHUT_WR)

    delivered: List[int] = []
    with open_stream(http, serve(handler)) as stream:
        with pytest.raises(StreamError) as info:
            for chunk in stream:
                delivered.append(chunk.n)
                if chunk.n == 2:
                    client_has_two.set()
        with pytest.raises(StopIteration):
            next(stream)
    assert delivered == [1, 2]
    exc = info.value
    assert exc.chunks_received == 2
    assert "stream ended after 2 chunks without [DONE]" in str(exc)
    if cut == "connection_close_framing":
        assert exc.__cause__ is None  # a clean end of the body, just without [DONE]
    if cut == "close_mid_event":
        assert "middle of an event" in str(exc)
    if cut in ("fin_after_complete_events", "close_mid_chunk", "tcp_reset"):
        assert isinstance(exc.__cause__, HTTPError)  # the urllib3 error is chained, not leaked
    assert not isinstance(exc, HTTPError)


def test_read_timeout_between_chunks(
    serve: Callable[[Callable[[Peer], None]], Server], http: urllib3.PoolManager
) -> None:
    test_done = threading.Event()

    def handler(peer: Peer) -> None:
        peer.read_request()
        peer.send(HEAD_CHUNKED)
        peer.chunk(event(1))
        test_done.wait(WAIT)

    server = serve(handler)
    delivered: List[int] = []
    try:
        with open_stream(http, server, timeout=urllib3.Timeout(connect=WAIT, read=0.2)) as stream:
            with pytest.raises(ApiTimeoutError) as info:
                for chunk in stream:
                    delivered.append(chunk.n)
    finally:
        test_done.set()
    assert delivered == [1]
    assert "after 1 chunks" in str(info.value)
    assert not isinstance(info.value, HTTPError)
    assert list(stream) == []
