"""The asyncio ``ApiClient``: the contract of :class:`tachyon_sdk.api_client.ApiClient`, awaited.

Everything but the I/O is shared with the sync client (:class:`tachyon_sdk._client_core.ClientCore`:
request building and argument checks, retry decisions, answer decoding, error extraction). The
retry loop sleeps with ``asyncio.sleep`` (injectable). Cancellation is safe: a task cancelled while
sending, reading a body or sleeping between retries leaves no connection checked out and no task
behind; the client keeps working.
"""

import asyncio
import random
import time
from types import TracebackType
from typing import Any, Awaitable, Callable, ClassVar, Optional, Type

from tachyon_sdk import _log
from tachyon_sdk._client_core import ClientCore, error_type
from tachyon_sdk._constants import MAX_SECONDS
from tachyon_sdk._deadline import Deadline
from tachyon_sdk._request import PreparedRequest
from tachyon_sdk._types import USE_DEFAULT, DeadlineArg, RetriesArg, TimeoutArg
from tachyon_sdk.aio.rest import AsyncRESTClientObject, AsyncRESTResponse
from tachyon_sdk.aio.streaming import AsyncStream, AsyncStreamCall
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiConnectionError, ApiDecodeError, ApiTimeoutError

__all__ = ["ApiClient", "PreparedRequest"]


class ApiClient(ClientCore):
    """Sends the requests of the generated asyncio API classes over one aiohttp connection pool.

    :param configuration: default :meth:`Configuration.get_default` (the same class as the sync client's).
    :param header_name: name of a header sent with every request ...
    :param header_value: ... and its value.
    :param cookie: a ``Cookie`` header value sent with every request.
    :param sleep: awaited with the seconds to wait between retries (default ``asyncio.sleep``).
    :param rng: random source of the backoff jitter (default a private ``random.Random``).

    Use it as ``async with aio.ApiClient(configuration) as client:`` (or ``await client.close()``).
    One client serves any number of concurrent tasks of one event loop.
    """

    _default: ClassVar[Optional["ApiClient"]] = None

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        sleep: Optional[Callable[[float], Awaitable[None]]] = None,
        rng: Optional[random.Random] = None,
    ) -> None:
        self._init_core(configuration, header_name, header_value, cookie, rng)
        self.rest_client = AsyncRESTClientObject(self.configuration)
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep if sleep is None else sleep

    async def __aenter__(self) -> "ApiClient":
        return self

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close every pooled connection (the client stays usable and reconnects when needed)."""
        await self.rest_client.close()

    @classmethod
    def get_default(cls) -> "ApiClient":
        """The process-wide default asyncio client (created on first use with the default configuration)."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    @classmethod
    def set_default(cls, default: Optional["ApiClient"]) -> None:
        """Make ``default`` the process-wide default asyncio client."""
        cls._default = default

    async def execute(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer (see :meth:`tachyon_sdk.api_client.ApiClient.execute`);
        a streamed answer's ``data`` is an :class:`AsyncStream`."""
        operation = request.operation
        response = await self._send(request, timeout, retries, self._resolve_deadline(deadline))
        if self._is_stream_answer(request, response):
            assert operation.stream is not None
            try:
                stream: Any = AsyncStream(
                    response,
                    operation.stream.chunk,
                    error_type=error_type(operation),
                    sentinel=operation.stream.sentinel,
                    max_event_bytes=self.configuration.stream_event_limit,
                    deadline=response.deadline,
                )
            except BaseException:
                response.close()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        if self._is_unasked_stream(request, response):
            # what arrives at once is kept for the error
            raise self._unasked_stream_error(request, response, await response.read_briefly())
        try:
            raw = await response.read()
        except ApiDecodeError as exc:  # a body its Content-Encoding cannot decode: the status still counts
            if 200 <= response.status < 300:
                raise
            raise self._undecodable_body(response, exc) from exc
        return self._whole_answer(request, response, raw)

    async def _start_stream(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, deadline: DeadlineArg
    ) -> AsyncStream[Any]:
        return (await self.execute_stream_with_http_info(request, timeout, retries, deadline)).data

    def execute_stream(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> AsyncStreamCall[Any]:
        """Send a request that asks for a stream: await the result for its :class:`AsyncStream`, or use it
        with ``async with``. A whole body instead of a stream gives :class:`ApiDecodeError` carrying it."""
        return AsyncStreamCall(lambda: self._start_stream(request, timeout, retries, deadline))

    async def execute_stream_with_http_info(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> ApiResponse[AsyncStream[Any]]:
        """As :meth:`execute_stream`, awaited: the ``ApiResponse`` (status, headers) whose ``data`` is the
        :class:`AsyncStream` (the ``<op>_stream_with_http_info`` methods)."""
        result = await self.execute(request, timeout, retries, deadline)
        if isinstance(result.data, AsyncStream):
            return result
        raise self._not_a_stream(result)

    async def execute_raw(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> AsyncRESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it.

        A deadline bounds the wait for the answer's status line and headers, and the response's ``read()``.
        """
        return await self._send(request, timeout, retries, self._resolve_deadline(deadline))

    async def _send(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, deadline: Optional[Deadline]
    ) -> AsyncRESTResponse:
        """Send, retrying as the policy allows; returns the last response unread (its status is not checked).

        Under a deadline each attempt's connect, pool and read waits are cut to what is left, and the wait
        for the status line and headers is bounded by it as a whole.
        """
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        pool_timeout = self.configuration.pool_timeout
        method, url = request.method, request.url
        where = f"{method} {_log.url_without_query(url)}"
        while True:
            self._log_request(request)
            try:
                if deadline is None:
                    response = await self.rest_client.request(
                        method, url, request.headers, request.body, timeout_value,
                        preload_content=False, max_response_bytes=limit, pool_timeout=pool_timeout,
                    )  # fmt: skip
                else:
                    deadline.check(where)
                    attempt_pool = min(deadline.remaining(), MAX_SECONDS if pool_timeout is None else pool_timeout)
                    attempt = self.rest_client.request(
                        method, url, request.headers, request.body, deadline.cut(timeout_value),
                        preload_content=False, max_response_bytes=limit, pool_timeout=attempt_pool,
                    )  # fmt: skip
                    try:
                        response = await asyncio.wait_for(attempt, max(deadline.remaining(), 0.001))
                    except asyncio.TimeoutError as exc:  # wait_for's own: the deadline passed
                        raise deadline.error(where) from exc
            except ApiConnectionError as exc:
                if deadline is not None and isinstance(exc, ApiTimeoutError) and deadline.passed():
                    if exc.phase == "deadline":
                        raise
                    raise deadline.error(where) from exc
                step = self._retry_after_error(request, policy, exc, deadline)
                if step is None:
                    raise
                policy, wait = step
                await self._sleep(wait)
                continue
            step = self._retry_after_status(request, policy, response, time.time(), deadline)
            if step is None:
                response.deadline = deadline
                return response
            await response.drain()
            policy, wait = step
            await self._sleep(wait)
