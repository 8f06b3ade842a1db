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

from tachyon_sdk._client_core import ClientCore, error_type
from tachyon_sdk._request import PreparedRequest
from tachyon_sdk._types import USE_DEFAULT, RetriesArg, TimeoutArg
from tachyon_sdk.aio.rest import AsyncRESTClientObject, AsyncRESTResponse
from tachyon_sdk.aio.streaming import AsyncStream, AsyncStreamCall
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiConnectionError

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
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer (see :meth:`tachyon_sdk.api_client.ApiClient.execute`);
        a streamed answer's ``data`` is an :class:`AsyncStream`."""
        operation = request.operation
        response = await self._send(request, timeout, retries, preload=not request.stream)
        if self._is_stream_answer(request, response):
            assert operation.stream is not None
            try:
                stream: Any = AsyncStream(
                    response,
                    operation.stream.chunk,
                    error_type=error_type(operation),
                    sentinel=operation.stream.sentinel,
                )
            except BaseException:
                response.close()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        return self._whole_answer(request, response, await response.read())

    async def _start_stream(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg
    ) -> AsyncStream[Any]:
        result = await self.execute(request, timeout, retries)
        if isinstance(result.data, AsyncStream):
            return result.data
        raise self._not_a_stream(result)

    def execute_stream(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> AsyncStreamCall[Any]:
        """Send a request that asks for a stream: await the result for its :class:`AsyncStream`, or use it
        with ``async with``. A whole body instead of a stream gives :class:`ApiDecodeError` carrying it."""
        return AsyncStreamCall(lambda: self._start_stream(request, timeout, retries))

    async def execute_raw(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> AsyncRESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it."""
        return await self._send(request, timeout, retries, preload=False)

    async def _send(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, preload: bool
    ) -> AsyncRESTResponse:
        """Send, retrying as the policy allows; returns the last response (its status is not checked)."""
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        pool_timeout = self.configuration.pool_timeout
        method, url = request.method, request.url
        while True:
            self._log_request(request)
            try:
                response = await self.rest_client.request(
                    method, url, request.headers, request.body, timeout_value,
                    preload_content=preload, max_response_bytes=limit, pool_timeout=pool_timeout,
                )  # fmt: skip
            except ApiConnectionError as exc:
                step = self._retry_after_error(request, policy, exc)
                if step is None:
                    raise
                policy, wait = step
                await self._sleep(wait)
                continue
            step = self._retry_after_status(request, policy, response, time.time())
            if step is None:
                return response
            response.release()
            policy, wait = step
            await self._sleep(wait)
