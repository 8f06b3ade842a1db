"""LocalServer: a local server speaking the real Tachyon and Emissary APIs on 127.0.0.1, for tests and demos."""

import collections
import itertools
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Deque, List, Mapping, Optional, Set, Tuple, Type, Union

from tachyon_sdk.testing import _faults
from tachyon_sdk.testing._handler import Handler
from tachyon_sdk.testing._records import RecordedRequest

LISTEN_BACKLOG = 1024
"""Connections the kernel queues before the server accepts them (capped by the system's somaxconn)."""

if TYPE_CHECKING:
    from types import TracebackType

    from tachyon_sdk.api_client import ApiClient
    from tachyon_sdk.configuration import Configuration

#: The ``X-API-Key`` the Deployments operations of a :class:`LocalServer` accept unless told otherwise.
DEFAULT_API_KEY = "tachyon-local-test-key"
#: An operator ID for requests to a :class:`LocalServer` (any non-empty value is accepted).
DEFAULT_OPERATOR_ID = "tn_local"
#: The ``model`` of the answers when the request names none.
DEFAULT_MODEL = "tachyon-local-echo"

_STOP_TIMEOUT_SECONDS = 5.0


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its LocalServer and its open connections."""

    daemon_threads = True
    block_on_close = False
    # socketserver listens with a backlog of 5: hundreds of clients connecting at once (an asyncio client
    # opening its streams together) would wait for SYN retransmits; the kernel caps this at somaxconn.
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, owner: "LocalServer", address: Tuple[str, int], family: int) -> None:
        self.address_family = family
        self.owner = owner
        self.connections: Set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.stopping = False
        super().__init__(address, Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            if self.stopping:
                return
            self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self.connections_lock:
                self.connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Errors are handled (and logged) by the handler; never print tracebacks from threads.
        pass

    def close_connections(self) -> None:
        with self.connections_lock:
            self.stopping = True
            connections = list(self.connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LocalServer:
    """A local server for the SDK's four operations, like moto for AWS: real HTTP on ``127.0.0.1``, a free port.

    Speaks the real services' wire: the Chat operations as the Tachyon API does, the
    Deployments operations as the Emissary API does, streamed (``text/event-stream``,
    chunked) and not, with deterministic answers: an echo of the last user message
    (chat) or of the prompt (completions), or the text given to :meth:`set_reply`.
    It checks requests as the real services do, with their error bodies (Tachyon's
    ``{"error": "<Variant>: text"}`` and its web framework's plain-text ``400``/``415``/
    ``422``; Emissary's ``{"status", "error"}``), records every request in
    :attr:`requests` (credentials masked), and lets tests queue faults for the next
    requests (:meth:`fail_next`, :meth:`delay_next`, :meth:`reset_next`,
    :meth:`cut_stream_after`, :meth:`error_event_after`).

    ::

        with LocalServer() as server:
            with tachyon_sdk.ApiClient(server.configuration()) as client:
                ...

    :param api_key: the ``X-API-Key`` the Deployments operations require (and the bearer
        token the Chat operations require with ``check_chat_key``); the Chat operations
        otherwise accept any ``Authorization: Bearer <non-empty>``.
    :param host: the address to bind (``127.0.0.1``).
    :param port: the port to bind; ``0`` picks a free one.
    :param chunk_delay: seconds to wait between two events of a stream.
    :param model: the ``model`` of chat answers when the request names none.
    :param check_chat_key: make the Chat operations require ``Bearer <api_key>``.
    :param agent_events: answer streamed chatroom requests with the chatroom's named agent
        events (``event: say`` per word, data ``{"text": ...}``, then ``event: done``)
        instead of chunks.
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        chunk_delay: float = 0.0,
        model: str = DEFAULT_MODEL,
        check_chat_key: bool = False,
        agent_events: bool = False,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        if chunk_delay < 0:
            raise ValueError("chunk_delay must be >= 0")
        self._initial = (api_key, chunk_delay, check_chat_key, agent_events)
        self._host = host
        self._port = port
        self.model = model
        self._lock = threading.Lock()
        self._api_key = api_key
        self._chunk_delay = chunk_delay
        self._check_chat_key = check_chat_key
        self._agent_events = agent_events
        self._reply: Optional[str] = None
        self._reply_delay: Optional[float] = None
        self._faults: Deque[_faults.Fault] = collections.deque()
        self._requests: List[RecordedRequest] = []
        self._missing_deployments: Set[Tuple[str, str]] = set()
        self._missing_chatrooms: Set[str] = set()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: Optional[_HTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    def __repr__(self) -> str:
        state = self.url if self.running else "stopped"
        return f"<LocalServer {state}>"

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> "LocalServer":
        """Bind and serve in a daemon thread; returns ``self``. Does nothing if already running."""
        with self._lock:
            if self._httpd is not None:
                return self
            family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
            self._stopping.clear()
            httpd = _HTTPServer(self, (self._host, self._port), family)
            self._httpd = httpd
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"tachyon-local-server-{httpd.server_address[1]}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections (streams end early) and the listening socket."""
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
        if httpd is None:
            return
        self._stopping.set()  # wakes up delays and streams in progress
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(_STOP_TIMEOUT_SECONDS)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: "Optional[TracebackType]",
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        """The bound port (the one picked when ``port=0`` was given)."""
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError("the LocalServer is not running; call start() or use it in a with block")
        return int(httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``, the ``host`` of a Configuration for this server."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    # -- SDK helpers (imported lazily: the server does not need the SDK) -------------------------

    def configuration(self, **kwargs: Any) -> "Configuration":
        """A ``tachyon_sdk.Configuration`` for this server: ``host`` is :attr:`url`, ``api_key={"api_key": key}``.

        The Deployments operations send that key as ``X-API-Key``; the Chat operations take
        their ``Authorization`` header as an argument. Keyword arguments are passed on to
        ``Configuration`` (``retries=0``, ``api_key={"api_key": "wrong"}``, ...).
        """
        from tachyon_sdk.configuration import Configuration

        kwargs.setdefault("host", self.url)
        kwargs.setdefault("api_key", {"api_key": self.api_key})
        return Configuration(**kwargs)

    def api_client(self, **kwargs: Any) -> "ApiClient":
        """A ``tachyon_sdk.ApiClient`` over :meth:`configuration` (use it in a ``with`` block)."""
        from tachyon_sdk.api_client import ApiClient

        return ApiClient(self.configuration(**kwargs))

    # -- behaviour --------------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        with self._lock:
            return self._api_key

    @api_key.setter
    def api_key(self, value: str) -> None:
        if not value:
            raise ValueError("api_key must not be empty")
        with self._lock:
            self._api_key = value

    @property
    def check_chat_key(self) -> bool:
        with self._lock:
            return self._check_chat_key

    @check_chat_key.setter
    def check_chat_key(self, value: bool) -> None:
        with self._lock:
            self._check_chat_key = bool(value)

    @property
    def agent_events(self) -> bool:
        """Whether streamed chatroom requests get the agent events (``say``, ``done``) instead of chunks."""
        with self._lock:
            return self._agent_events

    @agent_events.setter
    def agent_events(self, value: bool) -> None:
        with self._lock:
            self._agent_events = bool(value)

    @property
    def chunk_delay(self) -> float:
        with self._lock:
            return self._chunk_delay

    @chunk_delay.setter
    def chunk_delay(self, value: float) -> None:
        if value < 0:
            raise ValueError("chunk_delay must be >= 0")
        with self._lock:
            self._chunk_delay = value

    def set_reply(self, text: Optional[str], *, chunk_delay: Optional[float] = None) -> None:
        """Answer every following request with ``text`` (``None``: back to the echo).

        The text is streamed word by word; ``chunk_delay`` overrides the server's delay
        between events for this reply.
        """
        if chunk_delay is not None and chunk_delay < 0:
            raise ValueError("chunk_delay must be >= 0")
        with self._lock:
            self._reply = text
            self._reply_delay = chunk_delay

    def add_missing_deployment(self, project_id: str, deployment_id: str) -> None:
        """Answer ``404`` (``{"status": 404, "error": ..., "code": "object_not_found"}``) for this deployment."""
        with self._lock:
            self._missing_deployments.add((project_id, deployment_id))

    def add_missing_chatroom(self, chatroom_id: str) -> None:
        """Answer ``404`` (``{"error": "NotFound: ..."}``) to requests in this chatroom."""
        with self._lock:
            self._missing_chatrooms.add(chatroom_id)

    # -- fault injection ----------------------------------------------------------------------------

    def fail_next(
        self,
        status: int = 429,
        *,
        retry_after: Union[int, float, str, None] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        path: Optional[str] = None,
        times: int = 1,
    ) -> None:
        """Answer the next request(s) with ``status`` instead of the real answer.

        ``fail_next(402)`` is Tachyon's out-of-credits answer
        (``{"error": "PaymentRequired: Insufficient credits: ..."}``).

        :param retry_after: a ``Retry-After`` header: seconds, or an HTTP date string.
        :param body: the body: ``None`` for the error body of the service the request went
            to (Tachyon ``{"error": "<Variant>: text"}``, Emissary ``{"status", "error"}``),
            a dict/list (sent as JSON), or ``str``/``bytes`` sent as they are.
        :param headers: more response headers.
        :param path: only requests whose path matches this glob (``/v1/projects/*``).
        :param times: queue the fault this many times (e.g. to outlast the SDK's retries).
        """
        if not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (100-599)")
        retry = None
        if retry_after is not None:
            retry = retry_after if isinstance(retry_after, str) else _format_seconds(retry_after)
        fault = _faults.Fail(path, status, retry, body, tuple((headers or {}).items()))
        self._queue(fault, times)

    def delay_next(self, seconds: float, *, path: Optional[str] = None, times: int = 1) -> None:
        """Wait ``seconds`` before answering the next request(s) (to provoke client timeouts)."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        self._queue(_faults.Delay(path, float(seconds)), times)

    def reset_next(self, *, path: Optional[str] = None, times: int = 1) -> None:
        """Reset the TCP connection (RST) of the next request(s) instead of answering."""
        self._queue(_faults.Reset(path), times)

    def cut_stream_after(self, k: int, *, graceful: bool = False, path: Optional[str] = None, times: int = 1) -> None:
        """Send ``k`` events of the next stream, then close the connection without ``data: [DONE]``.

        With ``graceful=True`` the HTTP body ends properly (only ``[DONE]`` is missing).
        Non-streamed requests leave this fault queued.
        """
        if k < 0:
            raise ValueError("k must be >= 0")
        self._queue(_faults.CutStream(path, k, graceful), times)

    def error_event_after(
        self,
        k: int,
        message: str = "Injected error event",
        *,
        status: int = 500,
        body: Any = None,
        path: Optional[str] = None,
        times: int = 1,
    ) -> None:
        """Send ``k`` events of the next stream, then ``event: error``, and end the stream; HTTP stays ``200``.

        The event's data is the error body of the service for ``status`` and ``message``:
        Tachyon ``{"error": "<Variant>: message"}`` (``InternalServerError`` for 500,
        ``PaymentRequired`` for 402 ...), Emissary ``{"status": status, "error": message}``;
        or ``body`` (any JSON value) when given, e.g. ``{"code": "...", "message": "..."}``.
        Non-streamed requests leave this fault queued.
        """
        if k < 0:
            raise ValueError("k must be >= 0")
        if not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (100-599)")
        self._queue(_faults.ErrorEvent(path, k, message, status, body), times)

    @property
    def pending_faults(self) -> int:
        """How many queued faults no request has taken yet."""
        with self._lock:
            return len(self._faults)

    # -- recorded requests ------------------------------------------------------------------------

    @property
    def requests(self) -> List[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> Optional[RecordedRequest]:
        with self._lock:
            return self._requests[-1] if self._requests else None

    def clear(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    def reset(self) -> None:
        """Back to the state after construction: no requests, faults, reply or missing resources."""
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self._reply = None
            self._reply_delay = None
            self._missing_deployments.clear()
            self._missing_chatrooms.clear()
            self._api_key, self._chunk_delay, self._check_chat_key, self._agent_events = self._initial

    # -- used by the handler ------------------------------------------------------------------------

    def _queue(self, fault: _faults.Fault, times: int) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.extend([fault] * times)

    def _take_fault(self, path: str, streamed: bool) -> Optional[_faults.Fault]:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.applies_to(path, streamed):
                    del self._faults[index]
                    return fault
        return None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _reply_for(self) -> Tuple[Optional[str], float]:
        with self._lock:
            delay = self._reply_delay if self._reply_delay is not None else self._chunk_delay
            return self._reply, delay

    def _is_missing_deployment(self, project_id: str, deployment_id: str) -> bool:
        with self._lock:
            return (project_id, deployment_id) in self._missing_deployments

    def _is_missing_chatroom(self, chatroom_id: str) -> bool:
        with self._lock:
            return chatroom_id in self._missing_chatrooms

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if the server is stopping (the wait ends early then)."""
        return self._stopping.wait(seconds)


def _format_seconds(value: Union[int, float]) -> str:
    if value < 0:
        raise ValueError("retry_after must be >= 0")
    return str(int(value)) if float(value).is_integer() else str(value)
