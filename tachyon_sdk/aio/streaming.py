"""``AsyncStream[T]``: typed chunks of a ``text/event-stream`` response, read with ``async for``.

The asyncio twin of :class:`tachyon_sdk.streaming.Stream`, with the same end and error rules
(:class:`tachyon_sdk._stream_rules.StreamRules`, shared): the operation's sentinel or
``event: done`` ends it, a body cut short is :class:`StreamError`, ``event: error`` raises
:class:`ApiException` after the chunks before it, other named events are skipped (and yielded by
:meth:`AsyncStream.events`). It reads whatever bytes aiohttp has (``readany``), so each event is
handed out as soon as it arrives.

Closing (``async with``, :meth:`AsyncStream.aclose`, :meth:`AsyncStream.close`, garbage collection,
or a cancelled task that was reading it) closes the connection unless the body was read to its end,
and gives back the pool slot the stream held.
"""

from __future__ import annotations

import asyncio
import warnings
import weakref
from types import TracebackType
from typing import Any, AsyncIterator, Awaitable, Callable, Generator, List, Optional, Type, TypeVar

import aiohttp
import urllib3

from tachyon_sdk._constants import STREAM_DRAIN_MAX_BYTES, STREAM_DRAIN_TIMEOUT, STREAM_DRAIN_TOTAL
from tachyon_sdk._deadline import Deadline
from tachyon_sdk._sse import ServerSentEvent
from tachyon_sdk._stream_rules import END, MISS, SKIP, StreamRules
from tachyon_sdk.aio.rest import TRANSPORT_ERRORS, AsyncRESTResponse, _Lease, translate_exception
from tachyon_sdk.exceptions import ApiDecodeError, ApiTimeoutError

__all__ = ["AsyncStream", "AsyncStreamCall"]

T = TypeVar("T")


def _shutdown(resp: aiohttp.ClientResponse, lease: _Lease, closed: List[bool]) -> None:
    """Close the connection unless it went back to the pool, and give the pool slot back; safe once the
    loop is gone. ``closed[0]`` false: collected while open, which a ``ResourceWarning`` says (after the
    shutdown), as for the sync :class:`~tachyon_sdk.streaming.Stream`."""
    try:
        resp.close()
    except RuntimeError:  # the event loop is closed: so is the socket
        pass
    finally:
        lease.release()
    if not closed[0]:
        warnings.warn(
            f"unclosed AsyncStream (status {resp.status}): close it, use `async with`, or read it to its end, "
            "so its connection goes back to the pool",
            ResourceWarning,
            stacklevel=2,
        )


class AsyncStream(StreamRules[T]):
    """Async iterator of typed chunks over a server-sent events response; also an async context manager.

    :param response: the response (opened without reading its body); the stream owns it.
    :param chunk_type: model class (or ``TypeAdapter``) of one event's data.
    :param error_type: model class of an error event's data, for :attr:`ApiException.data`.
    :param sentinel: the data of the event that ends the stream (``"[DONE]"``), or ``None`` when the
        end of the HTTP body is the end.
    :param max_event_bytes: most characters of one event or unterminated line (``None``: no limit).
    :param deadline: the call's deadline: every read waits at most until it.
    """

    def __init__(
        self,
        response: AsyncRESTResponse,
        chunk_type: Any,
        *,
        error_type: Any = None,
        sentinel: Optional[str] = "[DONE]",
        max_event_bytes: Optional[int] = None,
        deadline: Optional[Deadline] = None,
    ) -> None:
        self._rest = response
        self._resp = response.response
        self._content = self._resp.content
        self._deadline = deadline
        self._decoding = "Content-Encoding" in response.headers
        self._init_rules(chunk_type, error_type, sentinel, response.status, response.headers, max_event_bytes)
        self._closed = False
        self._closed_cell = [False]  # read by the finalizer, which must not hold the stream
        self._finalizer = weakref.finalize(self, _shutdown, self._resp, response.lease, self._closed_cell)
        self._finalizer.atexit = False

    @property
    def status_code(self) -> int:
        """HTTP status of the response."""
        return self._rest.status

    @property
    def headers(self) -> urllib3.HTTPHeaderDict:
        """HTTP headers of the response."""
        return self._rest.headers

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        try:
            while not self._closed:
                event = self._take()
                if event is None:
                    # Nothing decoded is waiting: read, and take the common one-event block whole.
                    chunk = self._chunk_of(await self._read_data())
                    if chunk is MISS or chunk is SKIP:
                        continue
                elif event is END:
                    chunk = END
                else:
                    chunk = self._as_chunk(event)
                    if chunk is SKIP:
                        continue
                if chunk is END:
                    await self._finish()
                    break
                result: T = chunk
                return result
        except BaseException:  # an error, or the reading task was cancelled
            self.close()
            raise
        raise StopAsyncIteration

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        """Every event as a :class:`ServerSentEvent`, named events included, data not validated;
        the same end rules as iteration. Use either this or plain iteration on one stream."""
        while True:
            event = await self._next_event()
            if event is None:
                return
            yield self._count_event(event)

    async def _next_event(self) -> Optional[ServerSentEvent]:
        try:
            while not self._closed:
                event = self._take()
                if event is None:
                    self._feed(await self._read_data())
                elif event is END:
                    await self._finish()
                    return None
                else:
                    found: ServerSentEvent = event
                    return found
        except BaseException:  # an error, or the reading task was cancelled
            self.close()
            raise
        return None

    async def _read_data(self) -> bytes:
        """The next bytes of the body, decoded as its ``Content-Encoding`` says (``b""``: its end)."""
        deadline = self._deadline
        while True:
            try:
                if deadline is None:
                    raw = await self._content.readany()
                else:
                    deadline.check(self._where(), True)
                    raw = await asyncio.wait_for(self._content.readany(), max(deadline.remaining(), 0.001))
            except TRANSPORT_ERRORS as exc:
                translated = translate_exception(exc, "", "", response_started=True)
                if isinstance(translated, ApiTimeoutError):
                    if deadline is not None and deadline.passed():
                        raise deadline.error(self._where(), True) from exc
                    raise self._timeout(translated.phase) from exc
                raise self._cut(f" (connection broken: {type(exc).__name__})") from exc
            if not self._decoding:
                return raw
            try:
                data = self._rest.decode(raw)
            except ApiDecodeError as exc:  # as the sync stream: a body that turns out broken is a cut stream
                raise self._cut(f" (connection broken: {type(exc).__name__})") from exc
            if data or not raw:  # else the decoder holds what arrived so far: read on
                return data

    async def _finish(self) -> None:
        """At the end: read the rest of the body if it comes at once, so the connection is reused."""
        content = self._content
        if not self._eof and not content.at_eof():
            try:  # each read waits STREAM_DRAIN_TIMEOUT at most, all of them STREAM_DRAIN_TOTAL
                await asyncio.wait_for(self._drain(), STREAM_DRAIN_TOTAL)
            except (asyncio.TimeoutError, *TRANSPORT_ERRORS):
                pass
        if content.at_eof():
            self._resp.release()
        self.close()

    async def _drain(self) -> None:
        budget = STREAM_DRAIN_MAX_BYTES
        while budget > 0:
            data = await asyncio.wait_for(self._content.readany(), STREAM_DRAIN_TIMEOUT)
            if not data:
                return
            budget -= len(data)

    def close(self) -> None:
        """Close the stream; idempotent. Unread data is not drained: the connection is closed."""
        self._closed = True
        self._closed_cell[0] = True
        self._events = []
        self._finalizer()

    async def aclose(self) -> None:
        """:meth:`close`, awaitable."""
        self.close()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<AsyncStream {state} status={self._rest.status} chunks_received={self.chunks_received}>"


class AsyncStreamCall(Awaitable[AsyncStream[T]]):
    """What an ``<op>_stream`` method returns: await it for the :class:`AsyncStream`, or enter it.

    ``stream = await api.op_stream(...)`` and ``async with api.op_stream(...) as stream:`` both send
    the request (the arguments were checked when the method was called); the ``async with`` form
    closes the stream on leaving the block.
    """

    def __init__(self, start: Callable[[], Awaitable[AsyncStream[T]]]) -> None:
        self._start = start
        self._stream: Optional[AsyncStream[T]] = None

    def __await__(self) -> Generator[Any, None, AsyncStream[T]]:
        return self._start().__await__()

    async def __aenter__(self) -> AsyncStream[T]:
        self._stream = await self._start()
        return self._stream

    async def __aexit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        if self._stream is not None:
            self._stream.close()
