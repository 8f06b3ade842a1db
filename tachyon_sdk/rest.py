"""HTTP transport: one urllib3 pool manager, the response wrapper, and exception translation.

This is the only module that talks to urllib3 for requests and the one place
where foreign exceptions (urllib3, ``http.client``, ``ssl``, ``socket``,
``OSError``) become SDK exceptions, most specific first:

- a connect timeout -> :class:`ApiTimeoutError` with ``phase="connect"``;
- a read timeout -> :class:`ApiTimeoutError` with ``phase="read"``;
- no free pooled connection within ``pool_timeout`` -> :class:`ApiTimeoutError` with ``phase="pool"``;
- no connection (refused, name resolution, proxy) -> :class:`ApiConnectionError` ``phase="connect"``;
- TLS handshake or certificate -> :class:`ApiConnectionError` ``phase="tls"``;
- a value ``http.client`` refuses to send -> :class:`ApiValueError` (nothing was sent);
- an answer that is not HTTP (bad status line, endless headers, headers cut before their blank
  line, conflicting ``Content-Length`` values) -> :class:`ApiConnectionError` ``phase="read"``,
  ``response_started=True`` (never retried: the server may have acted on the request);
- any other failure before or while reading the answer -> :class:`ApiConnectionError`
  ``phase="read"`` (``response_started`` says whether the answer had begun to arrive).

Interim answers (``1xx`` but ``101``, RFC 9110 section 15.2: ``103 Early Hints``...) are skipped
and the final answer is read, and a header block must end with its blank line: both are checked
by the response class the connections here use (:class:`_StrictResponse`).

After ``os.fork()`` the child drops the pools it inherited (never sharing a socket with its
parent); a client pickles as its configuration and builds new pools when unpickled.

The original exception is kept as ``__cause__``. urllib3's own retries and
redirects are off: retrying belongs to :class:`tachyon_sdk.api_client.ApiClient`.
The pool blocks when all ``connection_pool_maxsize`` connections of a host are in
use, so the number of connections stays bounded under any number of threads; a
caller waits at most ``pool_timeout`` seconds for one to be freed.

:func:`translate_exception` is the one translation table: the body reads here use
it, and so should any other reader of a urllib3 response (streams).
"""

import base64
import contextlib
import http.client
import os
import re
import socket
import ssl
import threading
import time
import weakref
from types import TracebackType
from typing import Any, Callable, Dict, List, Mapping, NoReturn, Optional, Tuple, Type
from urllib.parse import unquote

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    EmptyPoolError,
    HeaderParsingError,
    InvalidHeader,
    LocationValueError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
)
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.util import parse_url

from . import _log
from ._constants import (
    DEFAULT_NUM_POOLS,
    MAX_CACHED_POOLS,
    MAX_CACHED_TIMEOUTS,
    MAX_HEADER_LINE,
    MAX_HEADER_LINES,
    MAX_INTERIM_RESPONSES,
    POOL_EXHAUSTED,
    READ_BLOCK_SIZE,
    STREAM_DRAIN_MAX_BYTES,
    STREAM_DRAIN_TIMEOUT,
    STREAM_DRAIN_TOTAL,
)
from ._deadline import Deadline
from ._types import TimeoutValue
from .configuration import Configuration
from .exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    OpenApiException,
    ResponseTooLargeError,
)

__all__ = ["ApiException", "RESTClientObject", "RESTResponse", "translate_exception", "urllib3_timeout"]

_FOREIGN_ERRORS = (Urllib3HTTPError, http.client.HTTPException, OSError, ValueError)

# An absolute URL whose request target urllib3's ``parse_url`` would leave exactly as it is: a lower-case
# http(s) scheme, an authority without userinfo, and a target of RFC 3986 path/query characters only (no
# fragment, ``%`` only before two upper-case hex digits). Any other URL takes urllib3's own parsing.
_PLAIN_URL_RE = re.compile(r"(https?)://([A-Za-z0-9.\-:\[\]]+)(/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)")
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-F]{2})")


def _plain_target(url: str) -> Optional[Tuple[str, str, str]]:
    """``(scheme, authority, request target)`` of a URL that urllib3 would send unchanged, else ``None``.

    For such a URL the target is exactly ``urllib3.util.parse_url(url).request_uri`` (nothing to
    percent-encode, no dot segment to remove, no fragment), so the pool can be given it directly.
    """
    match = _PLAIN_URL_RE.fullmatch(url)
    if match is None:
        return None
    scheme, authority, target = match.groups()
    if "/." in target or (("%" in target) and _BAD_PERCENT_RE.search(target) is not None):
        return None
    return scheme, authority, target


def translate_exception(
    exc: BaseException, method: str, url: str, response_started: bool = False
) -> Optional[OpenApiException]:
    """The SDK exception for a foreign transport exception, or ``None`` when it is not one."""
    where = f"{method} {_log.url_without_query(url)}"
    if isinstance(exc, MaxRetryError) and exc.reason is not None:
        return translate_exception(exc.reason, method, url, response_started)
    if isinstance(exc, ProxyError):
        inner = translate_exception(exc.original_error, method, url, response_started)
        if isinstance(inner, ApiTimeoutError):
            return ApiTimeoutError(f"{where}: proxy: {inner}", phase=inner.phase)
        return ApiConnectionError(f"{where}: cannot reach the proxy ({_describe(exc.original_error)})")
    if isinstance(exc, NewConnectionError):  # a subclass of ConnectTimeoutError: test it first
        return ApiConnectionError(f"{where}: cannot connect ({_describe(exc)})", phase="connect")
    if isinstance(exc, ConnectTimeoutError):
        return ApiTimeoutError(f"{where}: connect timed out", phase="connect")
    if isinstance(exc, ReadTimeoutError):
        return ApiTimeoutError(f"{where}: read timed out", phase="read", response_started=response_started)
    if isinstance(exc, EmptyPoolError):
        return ApiTimeoutError(f"{where}: {POOL_EXHAUSTED}", phase="pool")
    if isinstance(exc, (Urllib3SSLError, ssl.SSLError)):
        return ApiConnectionError(f"{where}: TLS failure ({_describe(exc)})", phase="tls")
    if isinstance(exc, ProtocolError):
        inner_exc = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], BaseException) else None
        if isinstance(inner_exc, (socket.timeout, TimeoutError)):
            return ApiTimeoutError(f"{where}: read timed out", phase="read", response_started=response_started)
        if inner_exc is not None and _malformed(inner_exc):
            return _malformed_answer(where, inner_exc)
        return ApiConnectionError(
            f"{where}: {_lost(response_started)} ({_describe(inner_exc or exc)})",
            phase="read",
            response_started=response_started,
        )
    if isinstance(exc, LocationValueError):
        return ApiValueError(f"invalid URL for {where}: {exc}")
    if isinstance(exc, _ANSWER_ERRORS):  # raised only once a status line and headers arrived
        return _malformed_answer(where, exc)
    if _malformed(exc):
        return _malformed_answer(where, exc)
    if isinstance(exc, (Urllib3HTTPError, http.client.HTTPException)):
        return ApiConnectionError(
            f"{where}: {_lost(response_started)} ({_describe(exc)})", phase="read", response_started=response_started
        )
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return ApiTimeoutError(f"{where}: read timed out", phase="read", response_started=response_started)
    if isinstance(exc, ConnectionRefusedError):
        return ApiConnectionError(f"{where}: cannot connect ({_describe(exc)})", phase="connect")
    if isinstance(exc, OSError):
        return ApiConnectionError(
            f"{where}: {_lost(response_started)} ({_describe(exc)})", phase="read", response_started=response_started
        )
    if isinstance(exc, ValueError) and not isinstance(exc, OpenApiException):
        if response_started:
            return _malformed_answer(where, exc)
        # http.client refusing what it was given to send (the request building checks should have caught it)
        return ApiValueError(f"{where}: the request cannot be sent ({_log.redact(_describe(exc))})")
    return None


_ANSWER_ERRORS = (InvalidHeader, HeaderParsingError, DecodeError)
"""urllib3 errors about an answer that arrived (conflicting ``Content-Length`` values, headers it cannot
parse, a body its Content-Encoding cannot decode): the server answered, so the request is not resent."""


def _malformed(exc: BaseException) -> bool:
    """An answer that arrived but is not HTTP (bad status line, endless or too many headers ...).

    ``RemoteDisconnected`` is no answer at all (the connection closed before any byte of one) and
    ``IncompleteRead`` a body cut short: both are lost connections, not malformed answers.
    """
    lost = (http.client.RemoteDisconnected, http.client.IncompleteRead)
    return isinstance(exc, http.client.HTTPException) and not isinstance(exc, lost)


def _malformed_answer(where: str, exc: BaseException) -> ApiConnectionError:
    """The server began to answer, so it may have acted on the request: never retried."""
    return ApiConnectionError(
        f"{where}: malformed response ({_log.redact(_describe(exc))})", phase="read", response_started=True
    )


def _lost(response_started: bool) -> str:
    return "connection broken while reading the response" if response_started else "connection lost before a response"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, NewConnectionError):
        reason = exc.args[-1] if exc.args else exc
        return str(reason).split(": ", 1)[-1]
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _translation(exc: BaseException, method: str, url: str, response_started: bool) -> Optional[OpenApiException]:
    """The SDK exception to raise (original as ``__cause__``) for an exception caught as ``_FOREIGN_ERRORS``.

    ``None``: re-raise it unchanged (an SDK exception already, or one with no translation). The
    callers use a plain ``try``, cheaper on the hot path than a context manager.
    """
    if isinstance(exc, OpenApiException):
        return None
    return translate_exception(exc, method, url, response_started)


def urllib3_timeout(value: TimeoutValue) -> urllib3.Timeout:
    """urllib3's ``Timeout`` for a timeout value.

    ``None`` is no timeout; a pair is ``(connect, read)``; a single number is used for both. The read
    timeout bounds each wait for the next bytes (the status line, a piece of body, the next event of
    a stream), not the whole call: a slow but steady answer is never cut.
    """
    if value is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(value, tuple):
        return urllib3.Timeout(connect=value[0], read=value[1])
    return urllib3.Timeout(connect=value, read=value)


_timeouts: Dict[TimeoutValue, urllib3.Timeout] = {}


def _cached_timeout(value: TimeoutValue) -> urllib3.Timeout:
    """:func:`urllib3_timeout`, built once per value.

    Sharing one ``Timeout`` is safe: urllib3 never changes the one it is given, it clones it for
    each request. Only ``None``, floats and pairs of them are cached (what ``validate_timeout``
    returns), so an int is never answered with the ``Timeout`` of an equal float.
    """
    cached = _timeouts.get(value) if _cacheable_timeout(value) else None
    if cached is None:
        cached = urllib3_timeout(value)
        if _cacheable_timeout(value):
            if len(_timeouts) >= MAX_CACHED_TIMEOUTS:
                _timeouts.clear()
            _timeouts[value] = cached
    return cached


def _cacheable_timeout(value: object) -> bool:
    if value is None or type(value) is float:
        return True
    return type(value) is tuple and len(value) == 2 and all(item is None or type(item) is float for item in value)


class _HeadersCut(http.client.HTTPException):
    """The connection ended inside the status line and headers, before the blank line that ends them."""


class _LineWatch:
    """The response's file while ``http.client`` reads the status line and headers: remembers whether
    the last line read ended with a line break (a header block ends with an empty line, not the EOF)."""

    __slots__ = ("_fp", "ended")

    def __init__(self, fp: Any) -> None:
        self._fp = fp
        self.ended = True

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._fp.readline(limit)
        self.ended = line.endswith(b"\n")
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)


class _StrictResponse(http.client.HTTPResponse):
    """``http.client``'s response, stricter where a lenient reading loses or invents an answer.

    - Interim answers (1xx but ``101``) are skipped, their headers read and dropped, up to
      ``MAX_INTERIM_RESPONSES`` of them (``http.client`` itself skips only ``100``); the final
      answer follows on the same connection.
    - The status line and headers must end with their blank line: a connection closed inside them
      is a malformed answer, never a "200 with an empty body".
    - ``Content-Length`` values that disagree are a malformed answer (the connection is closed here,
      while the file is still at hand).
    """

    def begin(self) -> None:
        if self.headers is not None:
            return
        fp = self.fp
        watch = _LineWatch(fp)
        self.fp = watch
        try:
            super().begin()
        finally:
            if self.fp is watch:
                self.fp = fp
        if not watch.ended:
            self._close_conn()
            raise _HeadersCut("the connection closed inside the response headers (no blank line ended them)")
        lengths = self.headers.get_all("Content-Length") or ()
        if len({value.strip() for item in lengths for value in item.split(",")}) > 1:
            self._close_conn()  # RFC 9112 section 6.3: an unrecoverable error, whatever the framing
            raise http.client.HTTPException(f"conflicting Content-Length values {', '.join(lengths)}")

    def _read_status(self) -> Tuple[str, int, str]:
        interim = 0
        while True:
            try:
                version, status, reason = super()._read_status()  # type: ignore[misc]
            except http.client.RemoteDisconnected:
                if interim:
                    raise _HeadersCut(f"the connection closed after {interim} interim (1xx) answers") from None
                raise
            if not 100 < status < 200 or status == 101:  # 100 Continue: begin() skips it itself
                return version, status, reason
            interim += 1
            if interim > MAX_INTERIM_RESPONSES:
                raise http.client.HTTPException(f"more than {MAX_INTERIM_RESPONSES} interim (1xx) answers")
            self._skip_header_block()

    def _skip_header_block(self) -> None:
        """Read and drop the headers of an interim answer (bounded like ``http.client``'s own)."""
        for _ in range(MAX_HEADER_LINES + 1):
            line = self.fp.readline(MAX_HEADER_LINE + 1)
            if len(line) > MAX_HEADER_LINE:
                raise http.client.LineTooLong("header line of an interim answer")
            if not line.endswith(b"\n"):
                raise _HeadersCut("the connection closed inside the headers of an interim (1xx) answer")
            if line in (b"\r\n", b"\n"):
                return
        raise http.client.HTTPException(f"an interim answer with more than {MAX_HEADER_LINES} headers")


class _Connection(HTTPConnection):
    response_class = _StrictResponse


class _TLSConnection(HTTPSConnection):
    response_class = _StrictResponse


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOL_CLASSES = {"http": _Pool, "https": _TLSPool}


class RESTResponse:
    """An HTTP response: status, reason, headers and body, with its connection.

    The body is read on first access of :attr:`data` or :meth:`read` (at most ``max_bytes`` of
    it), after which the connection goes back to the pool. :attr:`response` is the underlying
    urllib3 response, for streaming. :meth:`release` (or ``close``, or leaving a ``with`` block)
    frees the connection without reading the rest of the body.
    """

    def __init__(
        self, resp: urllib3.BaseHTTPResponse, *, method: str = "", url: str = "", max_bytes: Optional[int] = None
    ) -> None:
        self.response = resp
        self.status: int = resp.status
        self.reason: Optional[str] = resp.reason
        self._method = method
        self._url = url
        self._max_bytes = max_bytes
        self._data: Optional[bytes] = None
        self.deadline: Optional[Deadline] = None
        """Set by the client for a call with a deadline: the body read is bounded by it too."""
        self.read_timeout: Optional[float] = None

    @property
    def headers(self) -> urllib3.HTTPHeaderDict:
        """Response headers (case-insensitive)."""
        return self.response.headers

    @property
    def data(self) -> bytes:
        """The whole body (read once)."""
        return self.read()

    def read(self) -> bytes:
        """Read the whole body (once; later calls return the same bytes) and free the connection.

        :raises ResponseTooLargeError: the body is larger than ``max_bytes``; the connection is closed.
        :raises ApiDecodeError: the body cannot be decoded as its ``Content-Encoding`` says (the status
            and headers are kept; the client raises the status's own exception for a non-2xx answer).
        :raises ApiConnectionError: the connection broke while reading.
        :raises ApiTimeoutError: ``phase="deadline"`` when the call's deadline passed while reading.
        """
        if self._data is not None:
            return self._data
        limit = self._max_bytes
        headers = self.headers
        length = headers.get("Content-Length", "")
        known = length.isdigit()
        if limit is not None and known and int(length) > limit:
            self._too_large()
        deadline = self.deadline
        try:
            if deadline is None and known and not self.response.chunked and "Content-Encoding" not in headers:
                # Exactly Content-Length bytes follow (already checked against the limit) and nothing
                # decodes them into more: one read. Chunked or encoded bodies keep the block loop,
                # which checks the limit on what arrives (and a deadline, between two reads).
                self._data = self.response.read()
            else:
                self._data = self._read_blocks(limit, deadline)
        except DecodeError as exc:
            encoding = headers.get("Content-Encoding", "")
            raise ApiDecodeError(
                self.status,
                f"the body cannot be decoded as its Content-Encoding ({encoding}) says: {_describe(exc)}",
                body=b"",
                headers=headers,
            ) from exc
        except _FOREIGN_ERRORS as exc:
            mapped = _translation(exc, self._method, self._url, True)
            if mapped is None:
                raise
            if deadline is not None and isinstance(mapped, ApiTimeoutError) and deadline.passed():
                mapped = deadline.error(f"{self._method} {_log.url_without_query(self._url)}", True)
            raise mapped from exc
        finally:
            self.release()
        return self._data

    def read_briefly(self) -> bytes:
        """What arrives of the body within ``STREAM_DRAIN_TOTAL`` seconds and ``STREAM_DRAIN_MAX_BYTES``,
        for the error about an answer that may never end (an event stream nobody asked for).

        The connection goes back to the pool when the body ended in that time, else it is closed.
        """
        response = self.response
        sock = getattr(getattr(response, "connection", None), "sock", None)
        read = getattr(response, "read1", None)
        blocks: List[bytes] = []
        ended = False
        if sock is not None and read is not None:
            size = 0
            until = time.monotonic() + STREAM_DRAIN_TOTAL
            with contextlib.suppress(*_FOREIGN_ERRORS):
                while size <= STREAM_DRAIN_MAX_BYTES and time.monotonic() < until:
                    sock.settimeout(min(STREAM_DRAIN_TIMEOUT, max(until - time.monotonic(), 0.001)))
                    block = read(READ_BLOCK_SIZE)
                    if not block:
                        ended = True
                        break
                    blocks.append(block)
                    size += len(block)
        if ended:
            response.release_conn()
        else:
            self.release()
        return b"".join(blocks)

    def drain(self) -> None:
        """Read and drop the body (to reuse the connection), or close the connection when that fails."""
        with contextlib.suppress(OpenApiException):
            self.read()
        self.release()

    def _read_blocks(self, limit: Optional[int], deadline: Optional[Deadline] = None) -> bytes:
        """The body read block by block, refused as soon as it grows past ``limit`` (or past the deadline)."""
        blocks: List[bytes] = []
        size = 0
        response = self.response
        read: Callable[[int], bytes] = response.read
        if deadline is not None:
            read = getattr(response, "read1", response.read)  # whatever arrived, not a full block
        while True:
            if deadline is not None:
                deadline.check(f"{self._method} {_log.url_without_query(self._url)}", True)
                deadline.bound_socket(response, self.read_timeout)
            block = read(READ_BLOCK_SIZE)
            if not block:
                break
            size += len(block)
            if limit is not None and size > limit:
                self._too_large()
            blocks.append(block)
        return b"".join(blocks)

    def _too_large(self) -> NoReturn:
        self.release()
        raise ResponseTooLargeError(self.status, self.reason, body=b"", headers=self.headers, limit=self._max_bytes)

    def getheaders(self) -> urllib3.HTTPHeaderDict:
        """Response headers (case-insensitive)."""
        return self.response.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One response header, or ``default``."""
        return self.response.headers.get(name, default)

    def release(self) -> None:
        """Free the connection: back to the pool when the body was read to the end, else closed first."""
        resp = self.response
        if not resp.closed:
            with contextlib.suppress(*_FOREIGN_ERRORS):
                resp.close()
        resp.release_conn()

    close = release

    def __enter__(self) -> "RESTResponse":
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<RESTResponse status={self.status} reason={self.reason!r}>"


def _proxy_settings(configuration: Configuration) -> Tuple[str, Dict[str, str]]:
    """The proxy URL without credentials and the headers for the proxy (credentials as Basic auth)."""
    assert configuration.proxy is not None
    parsed = parse_url(configuration.proxy)
    headers = dict(configuration.proxy_headers or {})
    if parsed.auth:
        user, _, password = parsed.auth.partition(":")  # the password is registered by Configuration
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
        _log.register_secret(token)
        if not any(name.lower() == "proxy-authorization" for name in headers):
            headers["Proxy-Authorization"] = f"Basic {token}"
        parsed = parsed._replace(auth=None)
    return parsed.url, headers


class _PoolCache:
    """The manager's per-host pools by ``(scheme, authority)``, and a count of the pools it dropped.

    Read without a lock (one dict lookup); filled under :attr:`lock`. The manager calls :meth:`dropped`
    for every pool it lets go (eviction past ``num_pools``, ``clear()``), possibly while holding its
    own lock, so :meth:`dropped` takes no lock: it counts, then empties the dict.
    """

    __slots__ = ("drops", "lock", "pools")

    def __init__(self) -> None:
        self.pools: Dict[Tuple[str, str], urllib3.HTTPConnectionPool] = {}
        self.drops = 0
        self.lock = threading.Lock()

    def dropped(self) -> None:
        self.drops += 1
        self.pools.clear()


def _follow_drops(manager: urllib3.PoolManager, cache: _PoolCache) -> bool:
    """Tell ``cache`` whenever ``manager`` drops a pool, through its container's ``dispose_func``.

    What the hook did before still happens. It holds the cache, not the client: no reference cycle.
    ``False`` when the container has no such hook: the caller then does not cache pools.
    """
    container = manager.pools
    if not hasattr(container, "dispose_func"):
        return False
    previous = container.dispose_func

    def dispose(pool: urllib3.HTTPConnectionPool) -> None:
        cache.dropped()
        if previous is not None:
            previous(pool)

    container.dispose_func = dispose
    return True


_clients: "weakref.WeakSet[RESTClientObject]" = weakref.WeakSet()


def _drop_pools_after_fork() -> None:
    """In a forked child: every client forgets the pools (and sockets) inherited from the parent.

    The inherited managers are not closed: their locks may have been held by another thread of the
    parent at the moment of the fork, and the sockets belong to the parent's connections. Dropping
    them leaves the parent's connections untouched; the child opens its own on its first call.
    """
    for client in list(_clients):
        client._build()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_pools_after_fork)


class RESTClientObject:
    """Sends requests over one urllib3 ``PoolManager`` (or ``ProxyManager``) built from a configuration.

    Fork-safe (a forked child builds its own pools) and picklable (as its configuration: the
    unpickled client builds new pools).
    """

    def __init__(self, configuration: Configuration) -> None:
        self._configuration = configuration
        self._build()
        _clients.add(self)

    def __reduce__(self) -> Tuple[Any, Tuple[Configuration]]:
        return (type(self), (self._configuration,))

    def _build(self) -> None:
        """Build the pool manager and the pool cache from the configuration (again after a fork)."""
        configuration = self._configuration
        _log.install_default_filters()
        pool_args: Dict[str, Any] = {
            "num_pools": DEFAULT_NUM_POOLS,
            "maxsize": configuration.connection_pool_maxsize,
            "block": True,
            "retries": False,
            "cert_reqs": "CERT_REQUIRED" if configuration.verify_ssl else "CERT_NONE",
        }
        optional = {  # passed only when set: older urllib3 versions do not know every key
            "ca_certs": configuration.ssl_ca_cert,
            "ca_cert_data": configuration.ca_cert_data,
            "cert_file": configuration.cert_file,
            "key_file": configuration.key_file,
            "assert_hostname": configuration.assert_hostname,
            "server_hostname": configuration.tls_server_name or None,
            "socket_options": configuration.socket_options,
        }
        pool_args.update((key, value) for key, value in optional.items() if value is not None)
        self.pool_manager: urllib3.PoolManager
        if configuration.proxy:
            proxy_url, proxy_headers = _proxy_settings(configuration)
            self.pool_manager = urllib3.ProxyManager(proxy_url=proxy_url, proxy_headers=proxy_headers, **pool_args)
        else:
            self.pool_manager = urllib3.PoolManager(**pool_args)
        self.pool_manager.pool_classes_by_scheme = _POOL_CLASSES
        # The manager's pools by host, so that a call skips urllib3's URL parsing and pool lookup; it
        # never holds a pool the manager has let go. A proxy needs the absolute URL: the manager's own
        # path, as for a urllib3 without the hook.
        self._cache = _PoolCache()
        self._pools = self._cache.pools
        self._direct = not configuration.proxy and _follow_drops(self.pool_manager, self._cache)

    def request(
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
    ) -> RESTResponse:
        """Send one request (no retries, no redirects) and return its response.

        :param _request_timeout: ``None`` (none), seconds (connect and read each) or ``(connect, read)``.
        :param preload_content: read the whole body now (at most ``max_response_bytes``) and free
            the connection; ``False`` leaves the body to the caller, who must release the response.
        :param pool_timeout: longest wait for a free pooled connection; ``None`` waits as long as it takes.
        :raises ApiConnectionError: no HTTP answer (:class:`ApiTimeoutError` for timeouts).
        :raises ResponseTooLargeError: a preloaded body over ``max_response_bytes``.
        """
        plain = _plain_target(url) if self._direct else None
        try:
            options: Dict[str, Any] = {
                "body": body,
                "headers": dict(headers or {}),
                "timeout": _cached_timeout(_request_timeout),
                "retries": False,
                "redirect": False,
                "preload_content": False,
                "decode_content": True,
                "pool_timeout": pool_timeout,
            }
            if plain is not None:  # straight to the cached pool of this host: no URL parse, no pool lookup
                resp = self._pool(plain[0], plain[1], url).urlopen(method, plain[2], assert_same_host=False, **options)
            else:
                resp = self.pool_manager.urlopen(method, url, **options)
        except _FOREIGN_ERRORS as exc:
            mapped = _translation(exc, method, url, False)
            if mapped is None:
                raise
            raise mapped from exc
        response = RESTResponse(resp, method=method, url=url, max_bytes=max_response_bytes)
        if preload_content:
            response.read()
        return response

    def _pool(self, scheme: str, authority: str, url: str) -> urllib3.HTTPConnectionPool:
        """The manager's pool for a host, cached; fetched again once the manager has closed it.

        The manager closes a pool when it evicts it (more than ``num_pools`` hosts) and on ``clear()``
        (:meth:`close`); a closed pool has ``pool`` set to ``None``.
        """
        key = (scheme, authority)
        cache = self._cache
        pool = cache.pools.get(key)
        if pool is not None and pool.pool is not None:
            return pool
        with cache.lock:
            pool = cache.pools.get(key)
            if pool is None or pool.pool is None:
                if len(cache.pools) >= MAX_CACHED_POOLS:
                    cache.pools.clear()
                drops = cache.drops
                pool = self.pool_manager.connection_from_url(url)
                cache.pools[key] = pool
                if cache.drops != drops:  # a pool was dropped meanwhile (maybe this one): forget it
                    cache.pools.pop(key, None)
            return pool

    def close(self) -> None:
        """Close every pooled connection."""
        self._cache.dropped()
        self.pool_manager.clear()
