"""``Stream[T]``: typed chunks of a ``text/event-stream`` response, read as they arrive.

A :class:`Stream` owns one urllib3 response opened with ``preload_content=False``. It reads with
``read1`` (whatever bytes the socket has, never a fixed-size blocking read), decodes them with
:class:`tachyon_sdk._sse.SSEDecoder` and validates each event's data as one chunk. How the stream
ends is the operation's (``StreamSpec.sentinel``, read from the spec); a quiet truncation never is:

- with a sentinel (``[DONE]`` for Tachyon): an event whose data is the sentinel ends the stream, and
  the end of the body before it is a :class:`StreamError`, unless the last chunk carried ``usage``:
  that chunk (the totals of the whole answer) is the last one an OpenAI-style server sends, and some
  (Atoma) close the completely framed body after it without the sentinel;
- without one (Atoma closes after its last chunk): an event whose data is ``[DONE]`` (never a JSON
  chunk; OpenAI-style servers such as Mistral end with it though their documents do not say so) ends
  the stream, and so does the end of the HTTP body, when its framing is complete (the chunked terminator, the whole ``Content-Length``, or a close of a body
  framed by the close). A body cut short (chunked encoding without its last chunk, a short
  ``Content-Length``, a reset) or ending inside an unterminated event is a :class:`StreamError`;
- ``event: done`` ends the stream like a sentinel, whatever the operation;
- ``event: error``, or a data object with a top-level ``"error"`` key: :class:`ApiException`, raised
  after every chunk before it was delivered;
- any other named event (a heartbeat such as ``ping``, a chatroom agent event such as ``say``) is not
  a chunk: iteration skips it and counts it in :attr:`Stream.events_skipped`; :meth:`Stream.events`
  yields every event, named ones included, as :class:`ServerSentEvent` values;
- data that does not validate: :class:`ApiDecodeError` carrying the raw data;
- a broken connection or a protocol error: :class:`StreamError`; a read timeout between chunks:
  :class:`ApiTimeoutError`; the call's deadline passing: :class:`ApiTimeoutError` with
  ``phase="deadline"``;
- a line or an event larger than ``max_event_bytes`` (decoded characters; a gzip-compressed stream is
  measured after decompression): :class:`ResponseTooLargeError`, so memory stays bounded whatever
  the server sends.

After the end (sentinel, ``done`` or body end) the tiny rest of the body is read (bounded per read,
in total size and in total time: ``STREAM_DRAIN_TIMEOUT``, ``STREAM_DRAIN_MAX_BYTES``,
``STREAM_DRAIN_TOTAL``) so the connection goes back to the pool; otherwise the connection is closed.

Leaving a ``with`` block, :meth:`Stream.close` and garbage collection close the connection without
reading the rest, which also frees its pool slot.
"""

from __future__ import annotations

import json
import re
import time
import weakref
from http.client import HTTPException
from types import TracebackType
from typing import Any, Callable, Generic, Iterator, List, Mapping, Optional, Type, TypeVar

import urllib3
from pydantic import ValidationError
from urllib3.exceptions import HTTPError

from tachyon_sdk._constants import READ_BLOCK_SIZE, STREAM_DRAIN_MAX_BYTES, STREAM_DRAIN_TIMEOUT, STREAM_DRAIN_TOTAL
from tachyon_sdk._deadline import Deadline
from tachyon_sdk._model import json_validator
from tachyon_sdk._sse import EventTooLargeError, ServerSentEvent, SSEDecoder
from tachyon_sdk.exceptions import ApiDecodeError, ApiException, ApiTimeoutError, ResponseTooLargeError, StreamError
from tachyon_sdk.rest import translate_exception

__all__ = ["ServerSentEvent", "Stream"]

T = TypeVar("T")

_DONE_EVENT = "done"
_ERROR_EVENT = "error"
_CHUNK_EVENT = "message"
_DONE_DATA = "[DONE]"  # ends a stream whose operation names no sentinel
_ERROR_REASON = "error event in stream"
_TRANSPORT_ERRORS = (HTTPError, HTTPException, OSError)


def _shutdown(response: urllib3.BaseHTTPResponse, on_close: Optional[Callable[[], None]]) -> None:
    """Close the connection (unless already handed back to the pool) and free its pool slot.

    Module-level so the garbage-collection finalizer holds no reference to the :class:`Stream`.
    """
    try:
        response.close()
    except _TRANSPORT_ERRORS:
        pass
    finally:
        response.release_conn()
        if on_close is not None:
            on_close()


class Stream(Generic[T]):
    """Iterator of typed chunks over a server-sent events response; also a context manager.

    :param response: a urllib3 response opened with ``preload_content=False``; the stream owns it.
    :param chunk_type: model class (or ``TypeAdapter``) of one event's data.
    :param error_type: model class (or ``TypeAdapter``) of an error event's data, for
        :attr:`ApiException.data`.
    :param on_close: called once when the stream is closed, however it ends.
    :param sentinel: the data of the event that ends the stream (``"[DONE]"``), or ``None`` when the
        end of the HTTP body is the end.
    :param max_event_bytes: most characters of one event or unterminated line (``None``: no limit).
    :param deadline: the call's deadline: every read waits at most until it.
    :param read_timeout: the read timeout of the call, restored between reads under a deadline.
    """

    def __init__(
        self,
        response: urllib3.BaseHTTPResponse,
        chunk_type: Any,
        *,
        error_type: Any = None,
        on_close: Optional[Callable[[], None]] = None,
        sentinel: Optional[str] = "[DONE]",
        max_event_bytes: Optional[int] = None,
        deadline: Optional[Deadline] = None,
        read_timeout: Optional[float] = None,
    ) -> None:
        self._response = response
        self._sentinel = sentinel
        self._deadline = deadline
        self._read_timeout = read_timeout
        self.chunk_type = chunk_type
        self._validate = json_validator(chunk_type)
        self._chunk_name: str = getattr(chunk_type, "__name__", None) or repr(chunk_type)
        self._error_type = error_type
        self._decoder = SSEDecoder(max_event_bytes, named_without_data=True)
        self._events: List[ServerSentEvent] = []
        self._pos = 0
        self._eof = False
        self._closed = False
        self._pending: Optional[BaseException] = None  # raised once the events before it are delivered
        self.chunks_received = 0
        self.events_skipped = 0
        self._after_usage = False  # the last chunk event carried the answer's usage totals
        read1 = getattr(response, "read1", None)
        if read1 is not None:
            self._read: Callable[[int], bytes] = read1
        else:  # urllib3 < 2.3: stream() yields each HTTP chunk as it arrives
            blocks = response.stream(READ_BLOCK_SIZE)
            self._read = lambda _amt: next(blocks, b"")
        self._finalizer = weakref.finalize(self, _shutdown, response, on_close)
        self._finalizer.atexit = False  # at interpreter exit the OS closes the socket

    @property
    def status_code(self) -> int:
        """HTTP status of the response."""
        return self._response.status

    @property
    def headers(self) -> urllib3.HTTPHeaderDict:
        """HTTP headers of the response."""
        return self._response.headers

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        while True:
            event = self._next_event()
            if event is None:
                raise StopIteration
            if event.event != _CHUNK_EVENT:
                self.events_skipped += 1
                continue
            data = event.data
            if not data or data.isspace():
                continue
            try:
                chunk: T = self._validate(data)
            except ValueError as exc:
                self.close()
                raise self._decode_error(data, exc) from exc
            self.chunks_received += 1
            return chunk

    def events(self) -> Iterator[ServerSentEvent]:
        """Every event of the stream as a :class:`ServerSentEvent` (``event``, ``data``, ``id``,
        ``retry``), named events included, data not validated; the same end rules as iteration.

        For APIs that send named events besides chunks (the chatroom's agent events ``say``, heartbeats
        such as ``ping``). Use either this or plain iteration on one stream, not both.
        """
        while True:
            event = self._next_event()
            if event is None:
                return
            if event.event == _CHUNK_EVENT:
                self.chunks_received += 1
            yield event

    def _next_event(self) -> Optional[ServerSentEvent]:
        """The next event that is not an end or an error; ``None`` at the end of the stream."""
        try:
            while not self._closed:
                if self._pos < len(self._events):
                    event = self._events[self._pos]
                    self._pos += 1
                    data = event.data
                    name = event.event
                    if (name == _CHUNK_EVENT and data == (self._sentinel or _DONE_DATA)) or name == _DONE_EVENT:
                        self._finish()
                        return None
                    if name == _ERROR_EVENT or (name == _CHUNK_EVENT and '"error"' in data and _is_error_object(data)):
                        raise self._error_from(data)
                    if name == _CHUNK_EVENT:
                        self._after_usage = '"usage"' in data and _carries_usage(data)
                    return event
                if self._pending is not None:
                    raise self._pending
                if self._eof:
                    if (self._sentinel is None or self._after_usage) and not self._decoder.ended_mid_event:
                        self._finish()
                        return None
                    detail = " (cut in the middle of an event)" if self._decoder.ended_mid_event else ""
                    raise self._cut(detail)
                self._events = self._read_events()
                self._pos = 0
        except BaseException:
            self.close()
            raise
        return None

    def _read_events(self) -> List[ServerSentEvent]:
        deadline = self._deadline
        if deadline is not None:
            deadline.check(f"stream after {self.chunks_received} chunks", True)
            deadline.bound_socket(self._response, self._read_timeout)
        try:
            data = self._read(READ_BLOCK_SIZE)
        except _TRANSPORT_ERRORS as exc:
            # One table decides what is a timeout (rest.translate_exception); after the first byte any
            # other transport failure is a cut stream.
            translated = translate_exception(exc, "", self._response.url or "", response_started=True)
            if isinstance(translated, ApiTimeoutError):
                if deadline is not None and deadline.passed():
                    raise deadline.error(f"stream after {self.chunks_received} chunks", True) from exc
                raise ApiTimeoutError(
                    f"read timed out after {self.chunks_received} chunks of the stream",
                    phase=translated.phase,
                    response_started=True,
                ) from exc
            raise self._cut(f" (connection broken: {type(exc).__name__})") from exc
        try:
            if data:
                return self._decoder.feed(data)
            self._eof = True
            return self._decoder.flush()
        except EventTooLargeError as exc:
            self._pending = ResponseTooLargeError(
                self._response.status,
                f"an event of the stream is larger than {exc.limit} characters",
                headers=self._response.headers,
                limit=exc.limit,
                setting="max_stream_event_bytes",
            )
            return exc.events

    def _decode_error(self, data: str, exc: ValueError) -> ApiDecodeError:
        what = f"chunk {self.chunks_received + 1} of the stream does not match {self._chunk_name}"
        if isinstance(exc, ValidationError) and exc.error_count():
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            more = exc.error_count() - 1
            what += f": {where + ': ' if where else ''}{first['msg']}{f' (and {more} more errors)' if more else ''}"
        return ApiDecodeError(status=self._response.status, reason=what, body=data, headers=self._response.headers)

    def _cut(self, detail: str) -> StreamError:
        count = self.chunks_received
        end = f"without {self._sentinel}" if self._sentinel is not None else "before the end of its body"
        return StreamError(f"stream ended after {count} chunks {end}{detail}", chunks_received=count)

    def _error_from(self, data: str) -> ApiException:
        """Build the exception for an error event; its data is parsed with ``error_type``."""
        status = self._response.status
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict):
            inner = obj.get("error")
            for source in (inner, obj) if isinstance(inner, dict) else (obj,):
                code = _status_of(source)
                if code is not None:
                    status = code
                    break
        parsed = None
        if self._error_type is not None:
            try:
                parsed = json_validator(self._error_type)(data)
            except (ValueError, RecursionError):
                parsed = None
        return ApiException.from_response(
            status=status, reason=_ERROR_REASON, body=data, data=parsed, headers=self._response.headers
        )

    def _finish(self) -> None:
        """At the end: read the rest of the body if it comes at once, so the connection is reused."""
        if self._eof:
            self._response.release_conn()
            self.close()
            return
        response = self._response
        connection = response.connection
        sock = getattr(connection, "sock", None)
        if sock is None or (not response.chunked and getattr(response, "length_remaining", None) is None):
            self.close()  # connection-close framing: the connection cannot be reused anyway
            return
        previous = sock.gettimeout()
        try:
            sock.settimeout(STREAM_DRAIN_TIMEOUT)
            budget = STREAM_DRAIN_MAX_BYTES
            until = time.monotonic() + STREAM_DRAIN_TOTAL  # a trickling server cannot hold the loop
            while budget > 0:
                left = until - time.monotonic()
                if left <= 0:
                    break
                sock.settimeout(min(STREAM_DRAIN_TIMEOUT, left))
                data = self._read(READ_BLOCK_SIZE)
                if not data:
                    response.release_conn()
                    break
                budget -= len(data)
        except _TRANSPORT_ERRORS:
            pass
        finally:
            if response.connection is connection:  # still ours: not yet back in the pool
                try:
                    sock.settimeout(previous)
                except OSError:
                    pass
            self.close()

    def close(self) -> None:
        """Close the stream; idempotent. Unread data is not drained: the connection is closed."""
        self._closed = True
        self._events = []
        self._finalizer()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<Stream {state} status={self._response.status} chunks_received={self.chunks_received}>"


def _is_error_object(data: str) -> bool:
    """True when ``data`` is a JSON object with a non-null top-level ``"error"`` key."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and obj.get("error") is not None


_USAGE_OBJECT = re.compile(r'"usage"\s*:\s*\{')


def _carries_usage(data: str) -> bool:
    """True when ``data`` is a JSON object with a non-null top-level ``"usage"`` object.

    Every real Tachyon chunk carries ``"usage": null``: only data holding ``"usage": {`` is parsed.
    """
    if _USAGE_OBJECT.search(data) is None:
        return False
    try:
        obj = json.loads(data)
    except ValueError:
        return False
    return isinstance(obj, dict) and isinstance(obj.get("usage"), dict)


def _status_of(source: Mapping[str, Any]) -> Optional[int]:
    """HTTP status carried by an error object as an integer ``status`` or ``code``, if any."""
    for key in ("status", "code"):
        value = source.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
            return value
    return None
