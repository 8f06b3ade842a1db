"""``Stream[T]``: typed chunks of a ``text/event-stream`` response, read as they arrive.

A :class:`Stream` owns one urllib3 response opened with ``preload_content=False``. It reads a
chunked body one HTTP chunk at a time (urllib3's ``stream()``: an LLM sends one event per chunk) and
any other body with ``read1`` (whatever bytes the socket has), never a fixed-size blocking read; it
decodes them with :class:`tachyon_sdk._sse.SSEDecoder` and validates each event's data as one chunk.
The rules below are :class:`tachyon_sdk._stream_rules.StreamRules`, shared with the asyncio stream
(:class:`tachyon_sdk.aio.AsyncStream`). How the stream
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
- ``event: error``, or an unnamed (message) event whose data object has a top-level ``"error"`` key:
  :class:`ApiException`, raised after every chunk before it was delivered;
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

import time
import warnings
import weakref
from http.client import HTTPException
from types import TracebackType
from typing import Any, Callable, Iterator, List, Optional, Type, TypeVar

import urllib3
from urllib3.exceptions import HTTPError

from tachyon_sdk._constants import READ_BLOCK_SIZE, STREAM_DRAIN_MAX_BYTES, STREAM_DRAIN_TIMEOUT, STREAM_DRAIN_TOTAL
from tachyon_sdk._deadline import Deadline
from tachyon_sdk._sse import ServerSentEvent
from tachyon_sdk._stream_rules import END, MISS, SKIP, StreamRules
from tachyon_sdk.exceptions import ApiTimeoutError
from tachyon_sdk.rest import translate_exception

__all__ = ["ServerSentEvent", "Stream"]

T = TypeVar("T")

_TRANSPORT_ERRORS = (HTTPError, HTTPException, OSError)


def _shutdown(response: urllib3.BaseHTTPResponse, on_close: Optional[Callable[[], None]], closed: List[bool]) -> None:
    """Close the connection (unless already handed back to the pool) and free its pool slot.

    Module-level so the garbage-collection finalizer holds no reference to the :class:`Stream`.
    ``closed[0]`` is false when the stream is being collected without having been closed or read
    to its end: that held a pooled connection until now, so a ``ResourceWarning`` says so (shown
    under ``python -X dev``, ``-W default`` and test runners; ignored by default, like an unclosed file's).
    """
    try:
        response.close()
    except _TRANSPORT_ERRORS:
        pass
    finally:
        response.release_conn()
        if on_close is not None:
            on_close()
    if not closed[0]:  # after the shutdown: a warning turned into an error must not keep the connection
        warnings.warn(
            f"unclosed Stream (status {response.status}): close it, use `with`, or read it to its end, so its "
            "connection goes back to the pool",
            ResourceWarning,
            stacklevel=2,
        )


class Stream(StreamRules[T]):
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

    The end and error rules are :class:`tachyon_sdk._stream_rules.StreamRules`, shared with the
    asyncio stream; this class reads the bytes.
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
        self._deadline = deadline
        self._read_timeout = read_timeout
        self._init_rules(chunk_type, error_type, sentinel, response.status, response.headers, max_event_bytes)
        self._closed = False
        read1 = getattr(response, "read1", None)
        chunked_reads = getattr(response, "supports_chunked_reads", None)
        if read1 is None or (response.chunked and chunked_reads is not None and chunked_reads()):
            # One HTTP chunk per read (urllib3's read_chunked, behind stream()): an LLM sends one event
            # per chunk, and this path costs less per chunk than read1's buffering (bench/sync_paced.py).
            # Also the only incremental read of urllib3 < 2.3, which has no read1.
            # read_chunked does not default decode_content to the response's own (read() does): say it.
            blocks = response.stream(READ_BLOCK_SIZE, decode_content=bool(getattr(response, "decode_content", True)))
            self._read: Callable[[int], bytes] = lambda _amt: next(blocks, b"")
        else:
            self._read = read1
        self._closed_cell = [False]  # read by the finalizer, which must not hold the stream
        self._finalizer = weakref.finalize(self, _shutdown, response, on_close, self._closed_cell)
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
        try:
            while not self._closed:
                event = self._take()
                if event is None:
                    # Nothing decoded is waiting: read, and take the common one-event block whole.
                    chunk = self._chunk_of(self._read_data())
                    if chunk is MISS or chunk is SKIP:
                        continue
                elif event is END:
                    chunk = END
                else:
                    chunk = self._as_chunk(event)
                    if chunk is SKIP:
                        continue
                if chunk is END:
                    self._finish()
                    break
                result: T = chunk
                return result
        except BaseException:
            self.close()
            raise
        raise StopIteration

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
            yield self._count_event(event)

    def _next_event(self) -> Optional[ServerSentEvent]:
        """The next event that is not an end or an error; ``None`` at the end of the stream."""
        try:
            while not self._closed:
                event = self._take()
                if event is None:
                    self._feed(self._read_data())
                elif event is END:
                    self._finish()
                    return None
                else:
                    found: ServerSentEvent = event
                    return found
        except BaseException:
            self.close()
            raise
        return None

    def _read_data(self) -> bytes:
        deadline = self._deadline
        if deadline is not None:
            deadline.check(self._where(), True)
            deadline.bound_socket(self._response, self._read_timeout)
        try:
            return self._read(READ_BLOCK_SIZE)
        except _TRANSPORT_ERRORS as exc:
            # One table decides what is a timeout (rest.translate_exception); after the first byte any
            # other transport failure is a cut stream.
            translated = translate_exception(exc, "", self._response.url or "", response_started=True)
            if isinstance(translated, ApiTimeoutError):
                if deadline is not None and deadline.passed():
                    raise deadline.error(self._where(), True) from exc
                raise self._timeout(translated.phase) from exc
            raise self._cut(f" (connection broken: {type(exc).__name__})") from exc

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
        self._closed_cell[0] = True
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
