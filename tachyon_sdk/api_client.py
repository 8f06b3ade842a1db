"""``ApiClient``: turns an operation and its arguments into a request, sends it, decodes the answer.

Generated API classes call three methods and nothing else:

- :meth:`ApiClient.param_serialize` validates every argument and builds a
  :class:`PreparedRequest` (nothing is sent; every input error is raised here;
  the building itself lives in :mod:`tachyon_sdk._request`);
- :meth:`ApiClient.execute` sends it (retrying as the policy says) and returns an
  :class:`~tachyon_sdk.api_response.ApiResponse` with the decoded model, or a
  ``Stream`` for a streamed answer, or raises the exception for the status;
- :meth:`ApiClient.execute_raw` sends it and returns the undecoded response.

Everything but the I/O (request building, retry decisions, decoding, error extraction) is
:class:`tachyon_sdk._client_core.ClientCore`, shared with the asyncio client (:mod:`tachyon_sdk.aio`).

The retry loop is here: a loop, sleeping through an injectable function. A
failure is retried when nothing was answered (refused, reset or closed before the
status line, connect timeout) or for a retryable status (408, 429, 500, 502, 503,
504 by default, honouring ``Retry-After``). A read timeout is never retried: the
server may be working on the request. A stream is retried only before its status
line arrives. Once any answer has begun to arrive (a status line, even one whose headers or body
turn out malformed), the request is never sent again.

An overall deadline (``Configuration.deadline`` or ``_deadline=``) bounds the whole call: see
:mod:`tachyon_sdk._deadline`.
"""

import random
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, Type

from . import _log
from ._client_core import ClientCore, error_type, read_timeout
from ._constants import MAX_SECONDS
from ._deadline import Deadline
from ._request import PreparedRequest
from ._types import USE_DEFAULT, DeadlineArg, RetriesArg, TimeoutArg
from .api_response import ApiResponse
from .configuration import Configuration
from .exceptions import ApiConnectionError, ApiDecodeError, ApiTimeoutError
from .rest import RESTClientObject, RESTResponse

if TYPE_CHECKING:
    from .streaming import Stream

__all__ = ["ApiClient", "PreparedRequest"]


class ApiClient(ClientCore):
    """Sends the requests of the generated API classes over one connection pool.

    :param configuration: default :meth:`Configuration.get_default`.
    :param header_name: name of a header sent with every request ...
    :param header_value: ... and its value.
    :param cookie: a ``Cookie`` header value sent with every request.
    :param sleep: called with the seconds to wait between retries (default ``time.sleep``).
    :param rng: random source of the backoff jitter (default a private ``random.Random``).

    One client may be shared by many threads. Use it as a context manager (or call :meth:`close`)
    to close its connections.
    """

    _default: ClassVar[Optional["ApiClient"]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        sleep: Optional[Callable[[float], None]] = None,
        rng: Optional[random.Random] = None,
    ) -> None:
        self._init_core(configuration, header_name, header_value, cookie, rng)
        self.rest_client = RESTClientObject(self.configuration)
        self._sleep: Callable[[float], None] = time.sleep if sleep is None else sleep

    # --- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection (the client stays usable and reconnects when needed)."""
        self.rest_client.close()

    @classmethod
    def get_default(cls) -> "ApiClient":
        """The process-wide default client (created on first use with the default configuration)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def set_default(cls, default: Optional["ApiClient"]) -> None:
        """Make ``default`` the process-wide default client."""
        with cls._default_lock:
            cls._default = default

    # --- sending ---------------------------------------------------------------------------------

    def execute(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer.

        :param deadline: seconds the whole call may take (a stream: until its end), ``None`` for none;
            by default ``Configuration.deadline``.
        :returns: :class:`ApiResponse` whose ``data`` is the model for the status, a ``Stream`` for a
            streamed ``text/event-stream`` answer, or ``None`` for no content.
        :raises ApiException: a non-2xx status (the subclass for it), :class:`ApiDecodeError` for a
            2xx body that does not decode, :class:`ResponseTooLargeError`.
        :raises ApiConnectionError: no HTTP answer (:class:`ApiTimeoutError` for a timeout, with
            ``phase="deadline"`` when the deadline passed).
        """
        operation = request.operation
        response = self._send(request, timeout, retries, self._resolve_deadline(deadline))
        if self._is_stream_answer(request, response):
            assert operation.stream is not None
            try:
                from .streaming import Stream

                stream: Any = Stream(
                    response.response,
                    operation.stream.chunk,
                    error_type=error_type(operation),
                    sentinel=operation.stream.sentinel,
                    max_event_bytes=self.configuration.stream_event_limit,
                    deadline=response.deadline,
                    read_timeout=response.read_timeout,
                )
            except BaseException:
                response.release()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        if self._is_unasked_stream(request, response):
            # what arrives at once is kept for the error
            raise self._unasked_stream_error(request, response, response.read_briefly())
        try:
            raw = response.read()
        except ApiDecodeError as exc:  # a body its Content-Encoding cannot decode: the status still counts
            if 200 <= response.status < 300:
                raise
            raise self._undecodable_body(response, exc) from exc
        return self._whole_answer(request, response, raw)

    def execute_stream(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> "Stream[Any]":
        """Send a request that asks for a stream and return its :class:`Stream` (the ``<op>_stream`` methods).

        A server that ignores the stream flag and answers with the whole body instead gives
        :class:`ApiDecodeError` carrying that body, so an ``<op>_stream`` method never returns
        anything but the ``Stream`` it is typed to return.
        """
        return self.execute_stream_with_http_info(request, timeout, retries, deadline).data

    def execute_stream_with_http_info(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> "ApiResponse[Stream[Any]]":
        """As :meth:`execute_stream`, returning the ``ApiResponse`` (status, headers) whose ``data`` is the
        ``Stream`` (the ``<op>_stream_with_http_info`` methods)."""
        from .streaming import Stream

        result = self.execute(request, timeout, retries, deadline)
        if isinstance(result.data, Stream):
            return result
        raise self._not_a_stream(result)

    def execute_raw(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> RESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it.

        A deadline bounds the wait for the answer's status line and headers, and the response's ``read()``.
        """
        return self._send(request, timeout, retries, self._resolve_deadline(deadline))

    def _send(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, deadline: Optional[Deadline]
    ) -> RESTResponse:
        """Send, retrying as the policy allows; returns the last response unread (its status is not checked).

        The body is left to the caller, so a status is known (and retried) even when its body then
        turns out undecodable. A retried answer's body is read and dropped to reuse the connection.
        """
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        pool_timeout = self.configuration.pool_timeout
        method, url = request.method, request.url
        where = f"{method} {_log.url_without_query(url)}"
        while True:
            self._log_request(request)
            attempt_timeout, attempt_pool = timeout_value, pool_timeout
            if deadline is not None:
                deadline.check(where)
                attempt_timeout = deadline.cut(timeout_value)
                attempt_pool = min(deadline.remaining(), MAX_SECONDS if pool_timeout is None else pool_timeout)
            try:
                response = self.rest_client.request(
                    method, url, request.headers, request.body, attempt_timeout,
                    preload_content=False, max_response_bytes=limit, pool_timeout=attempt_pool,
                )  # fmt: skip
            except ApiConnectionError as exc:
                if deadline is not None and isinstance(exc, ApiTimeoutError) and deadline.passed():
                    raise deadline.error(where) from exc
                step = self._retry_after_error(request, policy, exc, deadline)
                if step is None:
                    raise
                policy, wait = step
                self._sleep(wait)
                continue
            step = self._retry_after_status(request, policy, response, time.time(), deadline)
            if step is None:
                if deadline is not None:
                    response.deadline = deadline
                    response.read_timeout = read_timeout(timeout_value)
                return response
            response.drain()
            policy, wait = step
            self._sleep(wait)
