"""The end and error rules of a server-sent events stream, without I/O.

:class:`StreamRules` is the part of :class:`tachyon_sdk.streaming.Stream` (urllib3) and
:class:`tachyon_sdk.aio.AsyncStream` (aiohttp) that decides what each event means; both only
read bytes and hand them to :meth:`StreamRules._feed`. The rules (see :mod:`tachyon_sdk.streaming`):

- an event whose data is the operation's sentinel (``[DONE]``; without a sentinel ``[DONE]`` too, never
  a JSON chunk), or an ``event: done`` (with or without data), ends the stream;
- the end of the body ends it without a sentinel, or with one when the last chunk carried a ``usage``
  object, outside an unterminated event; otherwise the body was cut: :class:`StreamError`;
- ``event: error``, or an unnamed (message) event whose data object has a top-level ``"error"``,
  raises :class:`ApiException`;
- other named events are skipped by iteration (counted in ``events_skipped``);
- data that does not validate as a chunk: :class:`ApiDecodeError`;
- an event or line larger than ``max_event_bytes``: :class:`ResponseTooLargeError`, raised after the
  events before it were delivered.
"""

from __future__ import annotations

import json
import re
from typing import Any, Generic, List, Mapping, Optional, TypeVar

from pydantic import ValidationError

from tachyon_sdk._model import json_validator
from tachyon_sdk._sse import EventTooLargeError, ServerSentEvent, SSEDecoder
from tachyon_sdk.exceptions import ApiDecodeError, ApiException, ApiTimeoutError, ResponseTooLargeError, StreamError

__all__ = ["END", "MISS", "SKIP", "StreamRules"]

T = TypeVar("T")

_DONE_EVENT = "done"
_ERROR_EVENT = "error"
CHUNK_EVENT = "message"
_DONE_DATA = "[DONE]"  # ends a stream whose operation names no sentinel
_ERROR_REASON = "error event in stream"

END: Any = object()
"""What :meth:`StreamRules._take` returns at the end of the stream."""

SKIP: Any = object()
"""What :meth:`StreamRules._as_chunk` returns for an event that is not a chunk."""

MISS: Any = object()
"""What :meth:`StreamRules._chunk_of` returns for bytes it handed to the general path."""


class StreamRules(Generic[T]):
    """Decoder state and end rules of one stream; subclasses read the bytes.

    A subclass calls :meth:`_init_rules` first, then loops: :meth:`_take` gives the next event,
    ``END``, or ``None`` when it needs bytes, which the subclass reads and passes to :meth:`_feed`
    (``b""`` at the end of the body).
    """

    chunks_received: int
    events_skipped: int

    def _init_rules(
        self,
        chunk_type: Any,
        error_type: Any,
        sentinel: Optional[str],
        status: int,
        headers: Any,
        max_event_bytes: Optional[int] = None,
    ) -> None:
        self.chunk_type = chunk_type
        self._validate = json_validator(chunk_type)
        self._chunk_name: str = getattr(chunk_type, "__name__", None) or repr(chunk_type)
        self._error_type = error_type
        self._sentinel = sentinel
        self._end_data = _DONE_DATA if sentinel is None else sentinel
        self._status = status
        self._headers = headers
        self._decoder = SSEDecoder(max_event_bytes, named_without_data=True)
        self._events: List[ServerSentEvent] = []
        self._pos = 0
        self._eof = False
        self._pending: Optional[BaseException] = None  # raised once the events before it are delivered
        self._last_chunk = ""  # data of the last chunk event: at the end of the body, did it carry usage?
        self.chunks_received = 0
        self.events_skipped = 0

    def _take(self) -> Any:
        """The next event that is not an end or an error, ``END``, or ``None`` when bytes are needed."""
        events = self._events
        if self._pos < len(events):
            event = events[self._pos]
            self._pos += 1
            data = event.data
            name = event.event
            if (name == CHUNK_EVENT and data == self._end_data) or name == _DONE_EVENT:
                return END
            if name == _ERROR_EVENT or (name == CHUNK_EVENT and '"error"' in data and _is_error_object(data)):
                raise self._error_from(data)
            if name == CHUNK_EVENT:
                self._last_chunk = data
            return event
        if self._pending is not None:
            raise self._pending
        if self._eof:
            ended = not self._decoder.ended_mid_event
            if ended and (self._sentinel is None or _carries_usage(self._last_chunk)):
                return END
            detail = " (cut in the middle of an event)" if self._decoder.ended_mid_event else ""
            raise self._cut(detail)
        return None

    def _feed(self, data: bytes) -> None:
        """Bytes of the body (``b""``: its end)."""
        try:
            if data:
                self._events = self._decoder.feed(data)
            else:
                self._eof = True
                self._events = self._decoder.flush()
        except EventTooLargeError as exc:
            self._pending = ResponseTooLargeError(
                self._status,
                f"an event of the stream is larger than {exc.limit} characters",
                headers=self._headers,
                limit=exc.limit,
                setting="max_stream_event_bytes",
            )
            self._events = exc.events
        self._pos = 0

    def _chunk_of(self, block: bytes) -> Any:
        """What one read of the body gives when no event is waiting: the chunk it carries, ``SKIP``
        (an event without data), ``END``, or ``MISS`` when the block is not exactly one whole
        ``data:`` event (it was then fed to the decoder: the caller goes on with :meth:`_take`).

        The common chunk of an LLM stream (one event per read) takes this path: the rules of
        :meth:`_take` and :meth:`_as_chunk` for a message event, without building the event.

        :raises ApiException: an error object; :raises ApiDecodeError: data that does not validate.
        """
        data = self._decoder.single_data(block)
        if data is None:
            self._feed(block)
            return MISS
        if data == self._end_data:
            return END
        if '"error"' in data and _is_error_object(data):
            raise self._error_from(data)
        self._last_chunk = data
        return self._validated(data)

    def _as_chunk(self, event: ServerSentEvent) -> Any:
        """The validated chunk of an event, or ``SKIP`` (a named event, or no data).

        :raises ApiDecodeError: the data does not validate (the caller closes the stream).
        """
        if event.event != CHUNK_EVENT:
            self.events_skipped += 1
            return SKIP
        return self._validated(event.data)

    def _validated(self, data: str) -> Any:
        """The chunk a message event's data validates to, counted; ``SKIP`` for data that is empty or blank.

        :raises ApiDecodeError: the data does not validate.
        """
        if not data or data.isspace():
            return SKIP
        try:
            chunk = self._validate(data)
        except ValueError as exc:
            raise self._decode_error(data, exc) from exc
        self.chunks_received += 1
        return chunk

    def _count_event(self, event: ServerSentEvent) -> ServerSentEvent:
        """An event as :meth:`events` yields it (a chunk event counts as received)."""
        if event.event == CHUNK_EVENT:
            self.chunks_received += 1
        return event

    def _timeout(self, phase: str) -> ApiTimeoutError:
        return ApiTimeoutError(
            f"read timed out after {self.chunks_received} chunks of the stream", phase=phase, response_started=True
        )

    def _where(self) -> str:
        """What the deadline error names: the stream and how far it got."""
        return f"stream after {self.chunks_received} chunks"

    def _decode_error(self, data: str, exc: ValueError) -> ApiDecodeError:
        what = f"chunk {self.chunks_received + 1} of the stream does not match {self._chunk_name}"
        if isinstance(exc, ValidationError) and exc.error_count():
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            more = exc.error_count() - 1
            what += f": {where + ': ' if where else ''}{first['msg']}{f' (and {more} more errors)' if more else ''}"
        return ApiDecodeError(status=self._status, reason=what, body=data, headers=self._headers)

    def _cut(self, detail: str) -> StreamError:
        count = self.chunks_received
        end = f"without {self._sentinel}" if self._sentinel is not None else "before the end of its body"
        return StreamError(f"stream ended after {count} chunks {end}{detail}", chunks_received=count)

    def _error_from(self, data: str) -> ApiException:
        """Build the exception for an error event; its data is parsed with ``error_type``."""
        status = self._status
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
            status=status, reason=_ERROR_REASON, body=data, data=parsed, headers=self._headers
        )


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

    Asked once, of the last chunk, when the body ends without the sentinel; only data holding
    ``"usage": {`` is parsed.
    """
    if _USAGE_OBJECT.search(data) is None:
        return False
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and isinstance(obj.get("usage"), dict)


def _status_of(source: Mapping[str, Any]) -> Optional[int]:
    """HTTP status carried by an error object as an integer ``status`` or ``code``, if any."""
    for key in ("status", "code"):
        value = source.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
            return value
    return None
