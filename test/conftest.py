"""Shared fixtures: a scripted HTTP server and a raw-socket server, both on 127.0.0.1.

``http_server`` (:class:`ScriptedServer`): a threaded HTTP/1.1 server on a free port that
records every request and answers replies queued by the test, in order::

    def test_retry(http_server):
        http_server.reply(503, headers={"Retry-After": "1"})
        http_server.reply(200, json={"ok": True})
        http_server.reply(action="reset")           # RST after reading the request
        ... call http_server.url ...
        assert http_server.requests[0].path == "/v1/..."     # raw request target
        assert http_server.requests[0].header("x-operator-id") == "tn_1"
        assert http_server.connection_count == 1            # TCP connections accepted

``reply()`` keywords: ``status``, ``json`` (body + JSON Content-Type) or ``body`` (bytes; a
list of bytes is sent chunked, one flush per piece, ``chunk_delay`` seconds apart, and with
``end=False`` the connection is cut before the last chunk), ``headers``, ``reason``,
``delay`` (seconds before answering), ``close`` (close the connection after the reply), and
``action``: ``"reset"`` (RST, no answer), ``"close"`` (FIN, no answer), ``"half_headers"``
(half a status line, then FIN), ``"stall"`` (never answer; released at the end of the test),
``"truncate"`` (a Content-Length larger than the body, then FIN), ``"raw"`` (send ``body``
as is, then FIN). When the queue is empty :attr:`ScriptedServer.default` answers
(``418 no reply queued`` unless the test sets ``http_server.default_reply(...)``).

The server is started once per session and reset before each test (queue, records,
counters; open connections are closed and stalled answers released).

``raw_server(handler)`` starts a server whose every accepted connection is handed to
``handler(conn)`` in its own thread, ``conn`` being a :class:`RawConnection` with
``read_request()``, ``send()``, ``reset()``, ``close()`` and ``index`` (0-based connection
number): for byte-exact fault scripts; ``server.requests`` lists the requests the handlers read. ``unused_port`` gives a port nobody listens on and
``tarpit_url`` a URL whose connections time out.

For runtime tests without generated code, :data:`ECHO` and :data:`STATUS` are small
:class:`~tachyon_sdk._operation.Operation` values with their models, :func:`echo` calls ECHO as a
generated method does, ``make_client(**configuration)`` builds an ``ApiClient`` on the scripted
server whose retry sleeps are recorded instead of slept, and ``sdk_records`` collects the
``tachyon_sdk`` logger's records.

Every thread is a daemon and every wait is bounded by :data:`MAX_WAIT` seconds.
"""

import json as jsonlib
import logging
import os
import signal
import socket
import struct
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import pytest
from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import BaseModel, OpenStrEnum
from tachyon_sdk._operation import AuthSpec, Body, Operation, Param, StreamSpec
from tachyon_sdk._types import USE_DEFAULT
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration

MAX_WAIT = 10.0
"""Upper bound of every wait in a server thread (seconds)."""

_RECV = 65536


@dataclass
class RecordedRequest:
    """A request as the server received it."""

    method: str
    path: str
    version: str
    headers: List[Tuple[str, str]]
    body: bytes
    connection: int

    def header(self, name: str) -> Optional[str]:
        """The value of a header (case-insensitive), ``None`` when absent."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        return jsonlib.loads(self.body)


@dataclass
class Reply:
    """A scripted answer; see the module docstring."""

    status: int = 200
    body: Union[bytes, Sequence[bytes]] = b""
    headers: Sequence[Tuple[str, str]] = ()
    reason: Optional[str] = None
    delay: float = 0.0
    chunk_delay: float = 0.0
    end: bool = True
    close: bool = False
    action: Optional[str] = None


_REASONS = {
    200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required",
    403: "Forbidden", 404: "Not Found", 408: "Request Timeout", 409: "Conflict", 415: "Unsupported Media Type",
    418: "I'm a teapot", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}  # fmt: skip


class _Reader:
    """Buffered reads of HTTP requests from a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.sock.recv(_RECV)
        if not data:
            return False
        self.buffer += data
        return True

    def read_until(self, marker: bytes) -> Optional[bytes]:
        while marker not in self.buffer:
            if not self._fill():
                return None
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def read_exactly(self, size: int) -> Optional[bytes]:
        while len(self.buffer) < size:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_request(self, connection: int) -> Optional[RecordedRequest]:
        head = self.read_until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path, version = lines[0].split(" ", 2)
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        request = RecordedRequest(method, path, version, headers, b"", connection)
        if (request.header("transfer-encoding") or "").lower() == "chunked":
            body = b""
            while True:
                size_line = self.read_until(b"\r\n")
                if size_line is None:
                    return None
                size = int(size_line.split(b";")[0], 16)
                chunk = self.read_exactly(size + 2)
                if chunk is None:
                    return None
                if size == 0:
                    break
                body += chunk[:-2]
            request.body = body
        else:
            length = int(request.header("content-length") or 0)
            data = self.read_exactly(length)
            if data is None:
                return None
            request.body = data
        return request


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class _ServerBase:
    """A listening socket on 127.0.0.1 with an accept thread; subclasses serve each connection."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._open: List[socket.socket] = []
        self._release = threading.Event()
        self.connection_count = 0
        self._stopped = False
        threading.Thread(target=self._accept_loop, name=f"server-{self.port}", daemon=True).start()

    def _accept_loop(self) -> None:
        while not self._stopped:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            sock.settimeout(MAX_WAIT)
            with self._lock:
                index = self.connection_count
                self.connection_count += 1
                self._open.append(sock)
                release = self._release
            threading.Thread(target=self._run, args=(sock, index, release), daemon=True).start()

    def _run(self, sock: socket.socket, index: int, release: threading.Event) -> None:
        try:
            self.serve(sock, index, release)
        except OSError:
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass
            with self._lock:
                if sock in self._open:
                    self._open.remove(sock)

    def serve(self, sock: socket.socket, index: int, release: threading.Event) -> None:
        raise NotImplementedError

    def drop_connections(self) -> None:
        """Release stalled handlers and close every open connection."""
        with self._lock:
            self._release.set()
            self._release = threading.Event()
            sockets, self._open = self._open, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self) -> None:
        self._stopped = True
        self.drop_connections()
        self._listener.close()


class ScriptedServer(_ServerBase):
    """HTTP/1.1 server answering queued :class:`Reply` objects; see the module docstring."""

    def __init__(self) -> None:
        self.requests: List[RecordedRequest] = []
        self._queue: List[Reply] = []
        self.default = Reply(418, b"no reply queued", (("Content-Type", "text/plain"),))
        super().__init__()

    def reset(self) -> None:
        self.drop_connections()
        with self._lock:
            self.requests = []
            self._queue = []
            self.connection_count = 0
            self.default = Reply(418, b"no reply queued", (("Content-Type", "text/plain"),))

    @staticmethod
    def make_reply(
        status: int = 200,
        *,
        json: Any = None,
        body: Union[bytes, Sequence[bytes]] = b"",
        headers: Union[Mapping[str, str], Sequence[Tuple[str, str]], None] = None,
        **options: Any,
    ) -> Reply:
        pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers or ())
        if json is not None:
            body = jsonlib.dumps(json).encode()
            if not any(name.lower() == "content-type" for name, _ in pairs):
                pairs.append(("Content-Type", "application/json"))
        return Reply(status=status, body=body, headers=pairs, **options)

    def reply(self, status: int = 200, **options: Any) -> None:
        """Queue one answer (keywords as :meth:`make_reply`)."""
        reply = self.make_reply(status, **options)
        with self._lock:
            self._queue.append(reply)

    def default_reply(self, status: int = 200, **options: Any) -> None:
        """The answer given whenever the queue is empty."""
        self.default = self.make_reply(status, **options)

    def _next(self) -> Reply:
        with self._lock:
            return self._queue.pop(0) if self._queue else self.default

    def serve(self, sock: socket.socket, index: int, release: threading.Event) -> None:
        reader = _Reader(sock)
        while True:
            request = reader.read_request(index)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            reply = self._next()
            if reply.delay and release.wait(min(reply.delay, MAX_WAIT)):
                return
            if not self._answer(sock, request, reply, release):
                return

    def _answer(self, sock: socket.socket, request: RecordedRequest, reply: Reply, release: threading.Event) -> bool:
        """Send one reply; ``False`` when the connection must end."""
        action = reply.action
        if action == "reset":
            _reset(sock)
            return False
        if action == "close":
            return False
        if action == "half_headers":
            sock.sendall(b"HTTP/1.1 20")
            return False
        if action == "stall":
            release.wait(MAX_WAIT)
            return False
        if action == "raw":
            assert isinstance(reply.body, bytes)
            sock.sendall(reply.body)
            return False
        reason = reply.reason or _REASONS.get(reply.status, "Unknown")
        head = [f"HTTP/1.1 {reply.status} {reason}"]
        head += [f"{name}: {value}" for name, value in reply.headers]
        chunked = not isinstance(reply.body, bytes)
        if chunked:
            head.append("Transfer-Encoding: chunked")
        elif action == "truncate":
            head.append(f"Content-Length: {len(reply.body) + 100}")
        elif not any(name.lower() == "content-length" for name, _ in reply.headers):
            head.append(f"Content-Length: {len(reply.body)}")
        if reply.close:
            head.append("Connection: close")
        whole = reply.body if isinstance(reply.body, bytes) else b""
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + whole)
        if not isinstance(reply.body, bytes):
            for piece in reply.body:
                sock.sendall(f"{len(piece):x}\r\n".encode() + bytes(piece) + b"\r\n")
                if reply.chunk_delay and release.wait(min(reply.chunk_delay, MAX_WAIT)):
                    return False
            if not reply.end:
                return False
            sock.sendall(b"0\r\n\r\n")
        return not (reply.close or action == "truncate")


class RawConnection:
    """The server's side of one connection of a :class:`RawServer`."""

    def __init__(
        self,
        sock: socket.socket,
        index: int,
        release: threading.Event,
        record: Optional[Callable[[RecordedRequest], None]] = None,
    ) -> None:
        self.sock = sock
        self.index = index
        self.release = release
        self._reader = _Reader(sock)
        self._record = record

    def read_request(self) -> Optional[RecordedRequest]:
        """Read one whole request (``None`` when the client closed first); the server records it."""
        request = self._reader.read_request(self.index)
        if request is not None and self._record is not None:
            self._record(request)
        return request

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reset(self) -> None:
        _reset(self.sock)

    def close(self) -> None:
        self.sock.close()

    def wait(self, seconds: float = MAX_WAIT) -> None:
        """Wait until the test ends (or ``seconds``)."""
        self.release.wait(min(seconds, MAX_WAIT))


class RawServer(_ServerBase):
    """Hands each accepted connection to ``handler(conn)``; see the module docstring.

    :attr:`requests` lists every request a handler read, in order, on any connection.
    """

    def __init__(self, handler: Callable[[RawConnection], None]) -> None:
        self._handler = handler
        self.requests: List[RecordedRequest] = []
        super().__init__()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def serve(self, sock: socket.socket, index: int, release: threading.Event) -> None:
        self._handler(RawConnection(sock, index, release, self._record))


@pytest.fixture(scope="session")
def _session_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.stop()


@pytest.fixture
def http_server(_session_server: ScriptedServer) -> Iterator[ScriptedServer]:
    """The session's :class:`ScriptedServer`, reset for this test."""
    _session_server.reset()
    yield _session_server
    _session_server.drop_connections()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[RawConnection], None]], RawServer]]:
    """Factory: ``raw_server(handler)`` starts a :class:`RawServer`; all stop at the end of the test."""
    servers: List[RawServer] = []

    def start(handler: Callable[[RawConnection], None]) -> RawServer:
        server = RawServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 that nobody listens on (connections are refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port: int = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def tarpit_url() -> Iterator[str]:
    """A URL on 127.0.0.1 whose connections time out: a listener with a full accept queue.

    With a backlog of 0 the kernel queues one connection (made here and never accepted) and drops
    the SYN of every later one, so a client's connect attempt waits until its connect timeout.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=MAX_WAIT)
    yield f"http://127.0.0.1:{port}"
    filler.close()
    listener.close()


_PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _restore_sdk_logger() -> Iterator[None]:
    """Put the ``tachyon_sdk`` logger back as it was (``Configuration.debug`` changes it)."""
    sdk_logger = logging.getLogger("tachyon_sdk")
    level, handlers = sdk_logger.level, list(sdk_logger.handlers)
    yield
    for handler in list(sdk_logger.handlers):
        if handler not in handlers:
            sdk_logger.removeHandler(handler)
            handler.close()
    sdk_logger.setLevel(level)


@pytest.fixture
def sdk_records() -> Iterator[List[logging.LogRecord]]:
    """Records of the ``tachyon_sdk`` logger (after its redacting filter), at DEBUG."""
    records: List[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = _Collect(logging.DEBUG)
    sdk_logger = logging.getLogger("tachyon_sdk")
    previous = sdk_logger.level
    sdk_logger.addHandler(handler)
    sdk_logger.setLevel(logging.DEBUG)
    yield records
    sdk_logger.removeHandler(handler)
    sdk_logger.setLevel(previous)


# --- tiny operations and models for runtime tests (generated models may not exist yet) ------------


class Role(OpenStrEnum):
    SYSTEM = "system"
    USER = "user"


class Message(BaseModel):
    role: Role
    content: Optional[str] = None


class EchoRequest(BaseModel):
    messages: List[Message]
    temperature: Optional[Annotated[float, Field(ge=0, le=2)]] = None
    stream: Optional[bool] = None
    from_: Optional[str] = Field(default=None, alias="from")


class EchoResponse(BaseModel):
    id: str
    text: Optional[str] = None


class EchoChunk(BaseModel):
    id: str


class ErrorInfo(BaseModel):
    message: str
    code: Optional[int] = None


class ApiErrorModel(BaseModel):
    error: ErrorInfo


class InvalidInputModel(BaseModel):
    detail: str


class ValidationDetail(BaseModel):
    loc: List[Union[str, int]]
    msg: str
    type: str


class ValidationErrorModel(BaseModel):
    detail: List[ValidationDetail]


ERROR_RESPONSES: Dict[str, Any] = {
    "400": InvalidInputModel,
    "422": ValidationErrorModel,
    "4XX": ApiErrorModel,
    "5XX": ApiErrorModel,
}

ECHO = Operation(
    operation_id="create_echo",
    method="POST",
    path="/v1/rooms/{room_id}/echo",
    params=(
        Param(name="room_id", location="path", python_name="room_id", required=True, type=str),
        Param(name="limit", location="query", python_name="limit", required=False, type=int),
        Param(name="x-operator-id", location="header", python_name="x_operator_id", required=True, type=str),
        Param(name="Authorization", location="header", python_name="authorization", required=True, type=str),
    ),
    body=Body(python_name="echo_request", type=EchoRequest, required=True, content_types=("application/json",)),
    responses={"200": EchoResponse, **ERROR_RESPONSES},
    accepts=("application/json", "text/event-stream"),
    stream=StreamSpec(flag="stream", chunk=EchoChunk),
)
"""Like the Chat operations: a path parameter, an explicit ``Authorization`` header parameter, a body."""

STATUS = Operation(
    operation_id="get_status",
    method="GET",
    path="/v1/status",
    params=(Param(name="x-operator-id", location="header", python_name="x_operator_id", required=True, type=str),),
    body=None,
    responses={"200": EchoResponse, **ERROR_RESPONSES},
    accepts=("application/json",),
    auth=(AuthSpec(name="bearerAuth", kind="http", scheme="bearer", location="header", key="Authorization"),),
)
"""An operation secured by an http bearer scheme, filled from ``Configuration.access_token``."""

ECHO_BODY = {"messages": [{"role": "user", "content": "Hi"}]}


def echo(
    client: ApiClient,
    room_id: Any = "room-1",
    body: Any = None,
    *,
    limit: Any = None,
    x_operator_id: Any = "tn_1",
    authorization: Any = "Bearer sk-test-token-0001",
    timeout: Any = USE_DEFAULT,
    retries: Any = USE_DEFAULT,
    **options: Any,
) -> Any:
    """Call :data:`ECHO` as generated code does; ``options`` are ``param_serialize``'s keywords."""
    keywords: Dict[str, Any] = {"request_auth": None, "content_type": None, "headers": None, "host_index": None}
    keywords.update(options)
    request = client.param_serialize(
        ECHO, (room_id, limit, x_operator_id, authorization), ECHO_BODY if body is None else body, **keywords
    )
    return client.execute(request, timeout, retries)


@dataclass
class ClientKit:
    """An :class:`ApiClient` on the scripted server and the waits its retry loop asked for."""

    client: ApiClient
    configuration: Configuration
    waits: List[float]


@pytest.fixture
def make_client(http_server: ScriptedServer) -> Iterator[Callable[..., ClientKit]]:
    """Factory: ``make_client(**configuration_keywords)`` -> :class:`ClientKit` whose sleeps are recorded."""
    clients: List[ApiClient] = []

    def make(**settings: Any) -> ClientKit:
        settings.setdefault("host", http_server.url)
        settings.setdefault("timeout", (2.0, 5.0))
        configuration = Configuration(**settings)
        waits: List[float] = []
        client = ApiClient(configuration, sleep=waits.append)
        clients.append(client)
        return ClientKit(client, configuration, waits)

    yield make
    for client in clients:
        client.close()


def in_child(work: Callable[[], bool]) -> int:
    """Run ``work`` in a forked child; its exit status (0: it returned True). The child is killed after 30 s."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (Python 3.12+)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit status only
        status = 1
        try:
            status = 0 if work() else 2
        except BaseException:
            status = 3
        finally:
            os._exit(status)
    for _ in range(3000):  # at most 30 s
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1
