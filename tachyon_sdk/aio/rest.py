"""asyncio HTTP transport of :mod:`tachyon_sdk.aio`: one aiohttp session, the response wrapper, and
exception translation. The only module of the SDK that talks to aiohttp.

aiohttp was chosen by measurement against httpx (``bench/aio_transport.py``, numbers in
``bench/RESULTS.md``): several times less CPU per call and per stream chunk. It is an optional
dependency (``pip install "tachyon-sdk[async]"``); ``import tachyon_sdk`` never loads it.

Bodies are decoded here, not by aiohttp (``auto_decompress=False``), with the sync client's decoders
(urllib3's, :func:`content_decoder`): aiohttp reports some undecodable bodies before their status is
known, or not at all. As by the sync client, ``Accept-Encoding: identity`` is sent unless the caller
sends another.

Foreign exceptions become the SDK's, as in :mod:`tachyon_sdk.rest`:

- no free pooled connection within ``pool_timeout`` -> :class:`ApiTimeoutError` ``phase="pool"``;
- a connect timeout -> :class:`ApiTimeoutError` ``phase="connect"``;
- a read timeout -> :class:`ApiTimeoutError` ``phase="read"``;
- no connection (refused, name resolution, proxy) -> :class:`ApiConnectionError` ``phase="connect"``;
- TLS -> :class:`ApiConnectionError` ``phase="tls"``;
- an answer that is not HTTP -> :class:`ApiConnectionError` ``phase="read"``, ``response_started=True``;
- a body its ``Content-Encoding`` cannot decode -> :class:`ApiDecodeError` with its status and headers.
- any other failure -> :class:`ApiConnectionError` ``phase="read"``.

The number of responses open at once per host is bounded here (:class:`_HostSlots`), not by aiohttp's
connector alone, whose one ``connect`` deadline would count the wait for a free connection and the
connect together: a call first takes a slot of its host (waiting at most ``pool_timeout``), holds it
for the life of its response or stream, and gives it back exactly once however that ends (read to the
end, released, closed, an error, a cancelled task, garbage collection).

The session is created on first use inside the running event loop; a client used from another
loop later (a second ``asyncio.run``) gets a new session there. After ``os.fork()`` the child forgets
the session it inherited without closing it (closing would act on the parent's sockets and event
loop) and opens its own in its own loop, as the sync client drops its inherited pools. Timeouts are
per read, as with urllib3: the read timeout bounds each wait for bytes, never the whole call.
"""

import asyncio
import base64
import collections
import inspect
import os
import socket
import ssl
import weakref
from types import TracebackType
from typing import Any, Callable, Deque, Dict, List, Mapping, NoReturn, Optional, Sequence, Tuple, Type, Union
from urllib.parse import unquote

try:
    import aiohttp
    from yarl import URL
except ImportError as _missing:  # pragma: no cover - exercised by the install without the extra
    raise ImportError(
        'tachyon_sdk.aio needs aiohttp, installed with the extra: pip install "tachyon-sdk[async]"'
    ) from _missing
import urllib3
from urllib3.response import BaseHTTPResponse as _Urllib3Response
from urllib3.response import ContentDecoder, _get_decoder
from urllib3.util import parse_url

from tachyon_sdk import _log
from tachyon_sdk._constants import (
    MAX_CACHED_POOLS,
    MAX_CACHED_TIMEOUTS,
    POOL_EXHAUSTED,
    READ_BLOCK_SIZE,
    STREAM_DRAIN_MAX_BYTES,
    STREAM_DRAIN_TIMEOUT,
    STREAM_DRAIN_TOTAL,
)
from tachyon_sdk._deadline import Deadline
from tachyon_sdk._types import TimeoutValue
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiTimeoutError,
    ApiValueError,
    OpenApiException,
    ResponseTooLargeError,
)

__all__ = ["AsyncRESTClientObject", "AsyncRESTResponse", "translate_exception"]

SOCKET_FACTORY = "socket_factory" in inspect.signature(aiohttp.TCPConnector).parameters
"""Whether this aiohttp builds its sockets with a factory of ours (aiohttp 3.12 and later): how
``Configuration.socket_options`` are applied. Without it a configuration with socket options is refused."""

TRANSPORT_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError)
"""What aiohttp raises for a failed exchange (translated by :func:`translate_exception`)."""


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _lost(response_started: bool) -> str:
    return "connection broken while reading the response" if response_started else "connection lost before a response"


def translate_exception(exc: BaseException, method: str, url: str, response_started: bool = False) -> OpenApiException:
    """The SDK exception for an aiohttp (or socket) exception raised while sending or reading."""
    if isinstance(exc, OpenApiException):
        return exc
    where = f"{method} {_log.url_without_query(url)}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ApiTimeoutError(f"{where}: connect timed out", phase="connect")
    if isinstance(exc, (aiohttp.SocketTimeoutError, aiohttp.ServerTimeoutError, asyncio.TimeoutError)):
        return ApiTimeoutError(f"{where}: read timed out", phase="read", response_started=response_started)
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError)):
        return ApiConnectionError(f"{where}: TLS failure ({_log.redact(_describe(exc))})", phase="tls")
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return ApiConnectionError(f"{where}: cannot reach the proxy ({_log.redact(_describe(exc))})")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ApiConnectionError(f"{where}: cannot connect ({_describe(exc.os_error)})", phase="connect")
    if isinstance(exc, aiohttp.InvalidURL):
        return ApiValueError(f"invalid URL for {where}: {_log.redact(str(exc))}")
    if isinstance(exc, aiohttp.ClientResponseError):  # aiohttp's parser refused the answer
        return ApiConnectionError(
            f"{where}: malformed response ({_log.redact(exc.message)})", phase="read", response_started=True
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError) and not isinstance(exc.message, str):
        # aiohttp carries the part of an answer it had parsed: a cut status line or head is not HTTP
        return ApiConnectionError(
            f"{where}: malformed response (cut before its end)", phase="read", response_started=True
        )
    if isinstance(exc, aiohttp.ClientPayloadError):
        response_started = True
    if isinstance(exc, ConnectionRefusedError):
        return ApiConnectionError(f"{where}: cannot connect ({_describe(exc)})", phase="connect")
    if isinstance(exc, ValueError) and not isinstance(exc, aiohttp.ClientError):
        if response_started:
            return ApiConnectionError(
                f"{where}: malformed response ({_log.redact(_describe(exc))})", phase="read", response_started=True
            )
        return ApiValueError(f"{where}: the request cannot be sent ({_log.redact(_describe(exc))})")
    return ApiConnectionError(
        f"{where}: {_lost(response_started)} ({_log.redact(_describe(exc))})",
        phase="read",
        response_started=response_started,
    )


_DECODE_ERRORS: Tuple[Type[Exception], ...] = tuple(_Urllib3Response.DECODER_ERROR_CLASSES)


def content_decoder(headers: urllib3.HTTPHeaderDict) -> Optional[ContentDecoder]:
    """The decoder of the body's ``Content-Encoding``: urllib3's, the one the sync client decodes with, so
    both decode (and refuse) the same bodies. ``None`` for an identity body, or an encoding urllib3 does
    not know (its bytes are given as they came, as by the sync client)."""
    encoding = headers.get("Content-Encoding", "").lower()
    if not encoding:
        return None
    known = _Urllib3Response.CONTENT_DECODERS
    if encoding in known or any(part.strip() in known for part in encoding.split(",")):
        return _get_decoder(encoding)
    return None


def client_timeout(value: TimeoutValue, pool_timeout: Optional[float]) -> aiohttp.ClientTimeout:
    """aiohttp's timeout for a timeout value: per-read like urllib3's, never a total deadline.

    The wait for a free connection is bounded before aiohttp is asked (:class:`_HostSlots`); aiohttp's
    own bound on getting a connection (``connect``) is only a backstop, the pool wait plus the connect.
    """
    if isinstance(value, tuple):
        connect, read = value
    else:
        connect = read = None if value is None else float(value)
    acquire = None if pool_timeout is None else pool_timeout + (connect or 0.0)
    return aiohttp.ClientTimeout(total=None, connect=acquire, sock_connect=connect, sock_read=read)


class _HostSlots:
    """At most ``size`` open responses of one host: a slot is taken before a request is sent and given back
    when its response is done with; callers beyond ``size`` wait, first come first served.

    A freed slot is handed to the oldest waiter directly, so a newcomer never overtakes it. Used from the
    thread of the event loop that made it only (:class:`_Lease` gives slots back from other threads).
    """

    __slots__ = ("free", "users", "waiters")

    def __init__(self, size: int) -> None:
        self.free = size
        self.users = 0
        """Holders and waiters: an entry with none can be forgotten."""
        self.waiters: Deque[asyncio.Future[bool]] = collections.deque()

    async def acquire(self, timeout: Optional[float]) -> bool:
        """Take a slot: ``True``, or ``False`` when none was freed within ``timeout`` seconds (``None``: no
        limit). A cancelled wait takes nothing (a slot handed over at that moment goes to the next waiter)."""
        self.users += 1
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return True
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bool] = loop.create_future()
        self.waiters.append(waiter)
        timer = None if timeout is None else loop.call_later(max(timeout, 0.0), _expire, waiter)
        try:
            taken = await waiter
        except BaseException:  # cancelled
            if waiter.done() and not waiter.cancelled() and waiter.result():
                self.release()  # a slot was handed over just before: pass it on
            else:
                self._leave(waiter)
            raise
        finally:
            if timer is not None:
                timer.cancel()
        if not taken:
            self._leave(waiter)
        return taken

    def _leave(self, waiter: asyncio.Future[bool]) -> None:
        self.users -= 1
        try:
            self.waiters.remove(waiter)
        except ValueError:
            pass

    def release(self) -> None:
        """Give a slot back: to the oldest waiter still waiting, else to the free ones."""
        self.users -= 1
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(True)
                return
        self.free += 1


def _expire(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


class _Lease:
    """One slot taken from a :class:`_HostSlots`, given back once: by :meth:`release`, or when collected."""

    __slots__ = ("_loop", "_slots")

    def __init__(self, slots: Optional[_HostSlots], loop: Optional[asyncio.AbstractEventLoop]) -> None:
        self._slots = slots
        self._loop = loop

    def release(self) -> None:
        """Give the slot back (later calls do nothing); from another thread, through the slot's event loop."""
        slots = self._slots
        if slots is None:
            return
        self._slots = None
        loop = self._loop
        if loop is None or asyncio._get_running_loop() is loop:
            slots.release()
            return
        try:
            loop.call_soon_threadsafe(slots.release)
        except RuntimeError:  # that event loop is closed: its slots are gone with it
            pass

    def __del__(self) -> None:
        try:
            self.release()
        except Exception:  # at interpreter exit the modules it needs may be gone; so is the pool
            pass


_NO_LEASE = _Lease(None, None)


def _conflicting_lengths(resp: aiohttp.ClientResponse) -> bool:
    """``Content-Length`` values that disagree (RFC 9112 section 6.3: an unrecoverable error), as the sync
    transport refuses them. aiohttp's C parser refuses them itself; its pure-Python one takes one of them."""
    lengths = resp.headers.getall("Content-Length", ())
    if not lengths or (len(lengths) == 1 and "," not in lengths[0]):
        return False
    return len({value.strip() for item in lengths for value in item.split(",")}) > 1


def _headers(resp: aiohttp.ClientResponse) -> urllib3.HTTPHeaderDict:
    """The response headers as the sync client gives them (a case-insensitive ``HTTPHeaderDict``)."""
    headers = urllib3.HTTPHeaderDict()
    for name, value in resp.headers.items():
        headers.add(name, value)
    return headers


class AsyncRESTResponse:
    """An HTTP response of the asyncio client: status, reason, headers, and its body read on demand.

    :attr:`response` is the aiohttp response. ``await read()`` loads the body (at most
    ``max_bytes``) and frees the connection; :meth:`release` (or leaving an ``async with`` block)
    frees it without reading: the connection is closed unless the body was read to its end. The
    response holds one of its host's ``connection_pool_maxsize`` slots until then.
    """

    def __init__(
        self,
        resp: aiohttp.ClientResponse,
        *,
        method: str = "",
        url: str = "",
        max_bytes: Optional[int] = None,
        lease: _Lease = _NO_LEASE,
    ) -> None:
        self.response = resp
        self.lease = lease
        """The pool slot this response holds (an :class:`AsyncStream` made of it gives it back when closed)."""
        self.status: int = resp.status
        self.reason: Optional[str] = resp.reason
        self.headers = _headers(resp)
        self._method = method
        self._url = url
        self._max_bytes = max_bytes
        self._data: Optional[bytes] = None
        self._decoder = content_decoder(self.headers) if "Content-Encoding" in self.headers else None
        self._flushed = False
        self.deadline: Optional[Deadline] = None
        """Set by the client for a call with a deadline: the body read is bounded by it too."""

    async def read(self) -> bytes:
        """Read the whole body (once; later calls return the same bytes) and free the connection.

        :raises ResponseTooLargeError: the body is larger than ``max_bytes``; the connection is closed.
        :raises ApiDecodeError: the body cannot be decoded as its ``Content-Encoding`` says (the status
            and headers are kept; the client raises the status's own exception for a non-2xx answer).
        :raises ApiConnectionError: the connection broke while reading.
        :raises ApiTimeoutError: ``phase="deadline"`` when the call's deadline passed while reading.
        """
        if self._data is not None:
            return self._data
        try:
            return await self._read()
        finally:
            self.lease.release()

    async def _read(self) -> bytes:
        limit = self._max_bytes
        length = self.headers.get("Content-Length", "")
        if limit is not None and length.isdigit() and int(length) > limit:
            self._too_large()
        deadline = self.deadline
        try:
            if length.isdigit() and self._decoder is None:
                reading = self.response.read()
            else:
                reading = self._read_blocks(limit)
            if deadline is None:
                self._data = await reading
            else:
                try:
                    self._data = await asyncio.wait_for(reading, max(deadline.remaining(), 0.001))
                except asyncio.TimeoutError as exc:
                    if not deadline.passed():
                        raise
                    raise deadline.error(f"{self._method} {_log.url_without_query(self._url)}", True) from exc
        except TRANSPORT_ERRORS as exc:
            self.response.close()
            raise translate_exception(exc, self._method, self._url, True) from exc
        except BaseException:  # cancelled, or an SDK error: the connection cannot be reused
            self.response.close()
            raise
        self.response.release()
        return self._data

    async def read_briefly(self) -> bytes:
        """What arrives of the body within ``STREAM_DRAIN_TOTAL`` seconds and ``STREAM_DRAIN_MAX_BYTES``,
        for the error about an answer that may never end (an event stream nobody asked for).

        The connection goes back to the pool when the body ended in that time, else it is closed.
        """
        content = self.response.content
        loop = asyncio.get_running_loop()
        until = loop.time() + STREAM_DRAIN_TOTAL
        blocks: List[bytes] = []
        size = 0
        ended = False
        try:
            while size <= STREAM_DRAIN_MAX_BYTES:
                left = until - loop.time()
                if left <= 0:
                    break
                raw = await asyncio.wait_for(content.readany(), min(STREAM_DRAIN_TIMEOUT, left))
                block = self.decode(raw)
                blocks.append(block)
                size += len(block)
                if not raw:
                    ended = True
                    break
        except (asyncio.TimeoutError, ApiDecodeError, *TRANSPORT_ERRORS):
            pass
        except BaseException:
            self.close()
            raise
        if ended:
            self.release()
        else:
            self.close()
        return b"".join(blocks)

    async def drain(self) -> None:
        """Read and drop the body (to reuse the connection), or close the connection when that fails."""
        try:
            await self.read()
        except OpenApiException:
            pass
        self.release()

    async def _read_blocks(self, limit: Optional[int]) -> bytes:
        blocks: List[bytes] = []
        size = 0
        content = self.response.content
        decoding = self._decoder is not None
        while True:
            raw = await content.read(READ_BLOCK_SIZE)
            block = self.decode(raw) if decoding else raw
            size += len(block)
            if limit is not None and size > limit:
                self._too_large()
            blocks.append(block)
            if not raw:
                break
        return b"".join(blocks)

    def decode(self, data: bytes) -> bytes:
        """Body bytes as they arrived -> the bytes they encode (``b""``: the end of the body, which flushes
        the decoder). Without a ``Content-Encoding`` the bytes are the body.

        :raises ApiDecodeError: they cannot be decoded as the ``Content-Encoding`` says (status and
            headers kept); the caller closes the connection.
        """
        decoder = self._decoder
        if decoder is None:
            return data
        try:
            if data:
                return decoder.decompress(data)
            if self._flushed:
                return b""
            self._flushed = True
            return decoder.decompress(b"") + decoder.flush()
        except _DECODE_ERRORS as exc:
            encoding = self.headers.get("Content-Encoding", "")
            raise ApiDecodeError(
                self.status,
                f"the body cannot be decoded as its Content-Encoding ({encoding}) says: {_describe(exc)}",
                body=b"",
                headers=self.headers,
            ) from exc

    def _too_large(self) -> NoReturn:
        self.close()
        raise ResponseTooLargeError(self.status, self.reason, body=b"", headers=self.headers, limit=self._max_bytes)

    @property
    def data(self) -> Optional[bytes]:
        """The body once :meth:`read` has loaded it, else ``None``."""
        return self._data

    def getheaders(self) -> urllib3.HTTPHeaderDict:
        """Response headers (case-insensitive)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One response header, or ``default``."""
        return self.headers.get(name, default)

    def release(self) -> None:
        """Free the connection: back to the pool when the body was read to its end, else closed."""
        self.response.release()
        self.lease.release()

    def close(self) -> None:
        """Close the connection without reading the rest of the body."""
        self.response.close()
        self.lease.release()

    async def __aenter__(self) -> "AsyncRESTResponse":
        return self

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<AsyncRESTResponse status={self.status} reason={self.reason!r}>"


def _ssl_option(configuration: Configuration) -> Any:
    """aiohttp's ``ssl`` argument for the configuration: ``False`` (no checks) or a context."""
    if not configuration.verify_ssl:
        return False
    context = ssl.create_default_context(cafile=configuration.ssl_ca_cert, cadata=configuration.ca_cert_data)
    if configuration.cert_file:
        context.load_cert_chain(configuration.cert_file, configuration.key_file)
    if configuration.assert_hostname is False:
        context.check_hostname = False
    return context


def _proxy(configuration: Configuration) -> Tuple[Optional[str], Optional[Dict[str, str]]]:
    """The proxy URL without credentials and its headers (credentials as Basic auth)."""
    if not configuration.proxy:
        return None, None
    parsed = parse_url(configuration.proxy)
    headers = dict(configuration.proxy_headers or {})
    if parsed.auth:
        user, _, password = parsed.auth.partition(":")
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
        _log.register_secret(token)
        if not any(name.lower() == "proxy-authorization" for name in headers):
            headers["Proxy-Authorization"] = f"Basic {token}"
        parsed = parsed._replace(auth=None)
    return parsed.url, headers


SocketOption = Tuple[int, int, Union[int, bytes]]


def _socket_options(configuration: Configuration) -> Optional[Sequence[SocketOption]]:
    """The configuration's socket options, refused when this aiohttp cannot apply them."""
    options = configuration.socket_options
    if options and not SOCKET_FACTORY:
        raise ApiValueError(
            f"Configuration.socket_options needs aiohttp 3.12 or later in tachyon_sdk.aio "
            f"(aiohttp {aiohttp.__version__} is installed): upgrade aiohttp, or leave socket_options unset"
        )
    return options


def _socket_factory(options: Sequence[SocketOption]) -> Callable[[Tuple[Any, ...]], socket.socket]:
    """aiohttp's ``socket_factory``: a new socket with ``options`` set before it connects (as urllib3 does)."""
    chosen = tuple(options)

    def make(addr_info: Tuple[Any, ...]) -> socket.socket:
        family, kind, proto = addr_info[0], addr_info[1], addr_info[2]
        sock = socket.socket(family=family, type=kind, proto=proto)
        try:
            for level, name, value in chosen:
                sock.setsockopt(level, name, value)
        except BaseException:
            sock.close()
            raise
        return sock

    return make


class AsyncRESTClientObject:
    """Sends requests over one aiohttp ``ClientSession`` built from a configuration.

    At most ``connection_pool_maxsize`` responses per host are open at once (and as many connections
    kept); a call beyond that waits for one to be done with, at most ``pool_timeout`` seconds, then
    raises :class:`ApiTimeoutError` ``phase="pool"``. ``socket_options`` are set on every new socket
    before it connects.

    :raises ApiValueError: the configuration has ``socket_options`` and this aiohttp cannot apply them
        (before 3.12).
    """

    def __init__(self, configuration: Configuration) -> None:
        _log.install_default_filters()
        _socket_options(configuration)
        _clients.add(self)
        self._configuration = configuration
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._slots: Dict[Tuple[str, Optional[str], Optional[int]], _HostSlots] = {}
        self._maxsize = configuration.connection_pool_maxsize
        self._ssl = _ssl_option(configuration)
        self._proxy, self._proxy_headers = _proxy(configuration)
        self._server_hostname = configuration.tls_server_name or None
        self._timeouts: Dict[Tuple[TimeoutValue, Optional[float]], aiohttp.ClientTimeout] = {}

    def __reduce__(self) -> Tuple[Any, Tuple[Configuration]]:
        """Pickled as its configuration: the unpickled client opens its own session when first used."""
        return (type(self), (self._configuration,))

    def _forget_inherited(self) -> None:
        """In a forked child: leave the parent's session (and its connections) alone, for good, and let go
        of the child's copies of their sockets (:func:`_let_go_of_sockets`)."""
        session, loop = self._session, self._loop
        self._session, self._loop, self._slots = None, None, {}
        if session is not None:
            _inherited.append((session, loop))
            connector = session.connector
            if connector is not None:
                _let_go_of_sockets(connector)
                if isinstance(getattr(connector, "_closed", None), bool):
                    # counted as closed: neither it nor the session closes anything when collected
                    setattr(connector, "_closed", True)  # noqa: B010 - aiohttp has no public way to disown it

    def _session_here(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or self._loop is not loop or session.closed:
            if session is not None and self._loop is not loop:
                _drop(session)  # made in another event loop (an earlier asyncio.run): unusable here
            maxsize = self._maxsize = self._configuration.connection_pool_maxsize
            self._slots = {}  # the slots of the earlier loop stay with the responses that hold them
            # aiohttp's own per-host limit is the same as the slots': a backstop never reached first
            options: Dict[str, Any] = {}
            socket_options = _socket_options(self._configuration)
            if socket_options:
                options["socket_factory"] = _socket_factory(socket_options)
            connector = aiohttp.TCPConnector(limit=0, limit_per_host=maxsize, ssl=self._ssl, **options)
            session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=None),
                auto_decompress=False,  # decoded by AsyncRESTResponse.decode, as the sync client decodes
                headers={"Accept-Encoding": "identity"},  # what http.client sends unless told otherwise
                skip_auto_headers=("User-Agent",),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            self._session, self._loop = session, loop
        return session

    def _timeout(self, value: TimeoutValue, pool_timeout: Optional[float]) -> aiohttp.ClientTimeout:
        key = (value, pool_timeout)
        cached = self._timeouts.get(key)
        if cached is None:
            if len(self._timeouts) >= MAX_CACHED_TIMEOUTS:
                self._timeouts.clear()
            cached = self._timeouts[key] = client_timeout(value, pool_timeout)
        return cached

    async def request(
        self,
        method: str,
        url: str,
        headers: Optional[Mapping[str, str]] = None,
        body: Optional[bytes] = None,
        _request_timeout: TimeoutValue = None,
        *,
        preload_content: bool = True,
        max_response_bytes: Optional[int] = None,
        pool_timeout: Optional[float] = None,
    ) -> AsyncRESTResponse:
        """Send one request (no retries, no redirects) and return its response (see :mod:`tachyon_sdk.rest`)."""
        session = self._session_here()
        target = URL(url, encoded=True)
        lease = await self._take_slot(target, pool_timeout, method, url)
        if session.closed:  # the client was closed while this call waited for a slot: a new session
            session = self._session_here()
        try:
            resp = await session.request(
                method,
                target,
                headers=dict(headers or {}),
                data=body,
                timeout=self._timeout(_request_timeout, pool_timeout),
                allow_redirects=False,
                proxy=self._proxy,
                proxy_headers=self._proxy_headers,
                server_hostname=self._server_hostname,
            )
        except TRANSPORT_ERRORS as exc:
            lease.release()
            raise translate_exception(exc, method, url, False) from exc
        except BaseException:  # cancelled
            lease.release()
            raise
        if _conflicting_lengths(resp):
            resp.close()
            lease.release()
            values = ", ".join(resp.headers.getall("Content-Length"))
            raise ApiConnectionError(
                f"{method} {_log.url_without_query(url)}: malformed response (conflicting Content-Length values "
                f"{values})",
                phase="read",
                response_started=True,
            )
        response = AsyncRESTResponse(resp, method=method, url=url, max_bytes=max_response_bytes, lease=lease)
        if preload_content:
            await response.read()
        return response

    async def _take_slot(self, target: URL, pool_timeout: Optional[float], method: str, url: str) -> _Lease:
        """A slot of the target's host, waiting at most ``pool_timeout`` seconds for one to be freed."""
        key = (target.scheme, target.host, target.port)
        slots = self._slots.get(key)
        if slots is None:
            if len(self._slots) >= MAX_CACHED_POOLS:  # forget the hosts nobody holds or waits for
                self._slots = {name: kept for name, kept in self._slots.items() if kept.users}
            slots = self._slots[key] = _HostSlots(self._maxsize)
        if not await slots.acquire(pool_timeout):
            raise ApiTimeoutError(f"{method} {_log.url_without_query(url)}: {POOL_EXHAUSTED}", phase="pool")
        return _Lease(slots, self._loop)

    async def close(self) -> None:
        """Close every pooled connection (a later request opens a new session)."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is asyncio.get_running_loop():
                await session.close()
            else:
                _drop(session)


_clients: "weakref.WeakSet[AsyncRESTClientObject]" = weakref.WeakSet()

_inherited: List[Tuple[aiohttp.ClientSession, Optional[asyncio.AbstractEventLoop]]] = []
"""In a forked child, the sessions (and their event loops) inherited from the parent: kept, never used,
so that nothing of the parent's is closed or collected here. The parent's sockets stay open in the
parent only (the child's copies now name ``/dev/null``), and its event loop's selector, which the child
shares, never hears from the child."""


def _let_go_of_sockets(connector: aiohttp.BaseConnector) -> None:
    """In a forked child: point the child's copy of each inherited connection's socket at ``/dev/null``.

    Otherwise the child keeps every parent connection open: the parent's close of a stream left early
    would send no FIN while the child lives (a prefork worker lives as long as its parent), and each
    copy holds a descriptor. ``dup2`` drops the copy without touching the event loop's selector, which
    the child shares with the parent (closing a transport would unregister the parent's socket), and the
    descriptor number stays taken by ``/dev/null``, so the socket object that still names it closes that
    when collected, never a file opened since. The connections are aiohttp's idle (``_conns``) and
    in-use (``_acquired``) ones; an aiohttp without those attributes is left as it is.
    """
    protocols: List[Any] = [proto for idle in getattr(connector, "_conns", {}).values() for proto, _ in idle]
    protocols += list(getattr(connector, "_acquired", ()))
    descriptors = set()
    for proto in protocols:
        transport = getattr(proto, "transport", None)
        sock = transport.get_extra_info("socket") if transport is not None else None
        try:
            descriptors.add(sock.fileno() if sock is not None else -1)
        except OSError:
            continue
    descriptors.discard(-1)
    if not descriptors:
        return
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in descriptors:
            try:
                os.dup2(null, fd)
            except OSError:
                pass
    finally:
        os.close(null)


def _forget_after_fork() -> None:
    """In a forked child: every client forgets the session it inherited; its next call opens a new one."""
    for client in list(_clients):
        client._forget_inherited()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _drop(session: aiohttp.ClientSession) -> None:
    """Close the connections of a session made in another event loop (maybe closed) without awaiting."""
    connector = session.connector
    if connector is not None and not connector.closed:
        try:
            connector._close()
        except RuntimeError:  # its event loop is closed, and with it every socket
            pass
