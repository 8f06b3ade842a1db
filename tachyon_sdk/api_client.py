"""``ApiClient``: turns an operation and its arguments into a request, sends it, decodes the answer.

Generated API classes call three methods and nothing else:

- :meth:`ApiClient.param_serialize` validates every argument and builds a
  :class:`PreparedRequest` (nothing is sent; every input error is raised here;
  the building itself lives in :mod:`tachyon_sdk._request`);
- :meth:`ApiClient.execute` sends it (retrying as the policy says) and returns an
  :class:`~tachyon_sdk.api_response.ApiResponse` with the decoded model, or a
  ``Stream`` for a streamed answer, or raises the exception for the status;
- :meth:`ApiClient.execute_raw` sends it and returns the undecoded response.

The retry loop is here: a loop, sleeping through an injectable function. A
failure is retried when nothing was answered (refused, reset or closed before the
status line, connect timeout) or for a retryable status (408, 429, 500, 502, 503,
504 by default, honouring ``Retry-After``). A read timeout is never retried: the
server may be working on the request. A stream is retried only before its status
line arrives.
"""

import random
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, Type

from ._client_core import ClientCore, error_type
from ._request import PreparedRequest
from ._types import USE_DEFAULT, RetriesArg, TimeoutArg
from .api_response import ApiResponse
from .configuration import Configuration
from .exceptions import ApiConnectionError
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
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer.

        :returns: :class:`ApiResponse` whose ``data`` is the model for the status, a ``Stream`` for a
            streamed ``text/event-stream`` answer, or ``None`` for no content.
        :raises ApiException: a non-2xx status (the subclass for it), :class:`ApiDecodeError` for a
            2xx body that does not decode, :class:`ResponseTooLargeError`.
        :raises ApiConnectionError: no HTTP answer (:class:`ApiTimeoutError` for a timeout).
        """
        operation = request.operation
        response = self._send(request, timeout, retries, preload=not request.stream)
        if self._is_stream_answer(request, response):
            assert operation.stream is not None
            try:
                from .streaming import Stream

                stream: Any = Stream(
                    response.response,
                    operation.stream.chunk,
                    error_type=error_type(operation),
                    sentinel=operation.stream.sentinel,
                )
            except BaseException:
                response.release()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        return self._whole_answer(request, response, response.read())

    def execute_stream(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> "Stream[Any]":
        """Send a request that asks for a stream and return its :class:`Stream` (the ``<op>_stream`` methods).

        A server that ignores the stream flag and answers with the whole body instead gives
        :class:`ApiDecodeError` carrying that body, so an ``<op>_stream`` method never returns
        anything but the ``Stream`` it is typed to return.
        """
        from .streaming import Stream

        result = self.execute(request, timeout, retries)
        if isinstance(result.data, Stream):
            return result.data
        raise self._not_a_stream(result)

    def execute_raw(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> RESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it."""
        return self._send(request, timeout, retries, preload=False)

    def _send(self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, preload: bool) -> RESTResponse:
        """Send, retrying as the policy allows; returns the last response (its status is not checked)."""
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        pool_timeout = self.configuration.pool_timeout
        method, url = request.method, request.url
        while True:
            self._log_request(request)
            try:
                response = self.rest_client.request(
                    method, url, request.headers, request.body, timeout_value,
                    preload_content=preload, max_response_bytes=limit, pool_timeout=pool_timeout,
                )  # fmt: skip
            except ApiConnectionError as exc:
                step = self._retry_after_error(request, policy, exc)
                if step is None:
                    raise
                policy, wait = step
                self._sleep(wait)
                continue
            step = self._retry_after_status(request, policy, response, time.time())
            if step is None:
                return response
            response.release()
            policy, wait = step
            self._sleep(wait)
