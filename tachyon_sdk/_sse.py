"""Incremental Server-Sent Events decoder: bytes in, events out, no I/O.

Implements the "event stream interpretation" of the WHATWG HTML Living Standard,
section 9.2 "Server-sent events" (https://html.spec.whatwg.org/multipage/server-sent-events.html):

- the stream is UTF-8; invalid sequences become U+FFFD (decoding never raises) and one
  leading U+FEFF byte order mark is dropped;
- lines end with CRLF, LF or CR; a CR ending one chunk and an LF starting the next are one line end;
- ``field:value`` lines (one space after the colon stripped), a line without a colon is a field
  with an empty value, lines starting with ``:`` are comments (keep-alives), unknown fields ignored;
- ``data`` lines are joined with LF, ``event`` names the event, ``id`` without NUL sets the last
  event ID, ``retry`` made only of ASCII digits sets the reconnection time;
- a blank line dispatches the event, unless its data buffer is empty;
- at end of input an event not yet terminated by a blank line is discarded.

Memory stays bounded: with ``max_event_size`` set, a line not yet ended, or the data of an event
not yet dispatched, that grows past that many characters raises :class:`EventTooLargeError`
(a server that never ends a line or an event cannot make the decoder buffer without limit).

The decoder only splits and slices ``str`` with C-level methods; there is no per-byte Python loop.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import List, Optional

__all__ = ["EventTooLargeError", "SSEDecoder", "ServerSentEvent"]


class EventTooLargeError(ValueError):
    """A line or an event grew past the decoder's ``max_event_size`` characters.

    ``events`` are the events the same input completed before it (to be delivered first).
    """

    def __init__(self, limit: int, events: Optional[List[ServerSentEvent]] = None) -> None:
        super().__init__(f"a server-sent event (or line) larger than {limit} characters")
        self.limit = limit
        self.events: List[ServerSentEvent] = events or []


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event.

    ``id`` is the stream's last event ID and ``retry`` its reconnection time in milliseconds at
    the moment of dispatch (both persist across events, as in the spec); ``None`` when never set.
    """

    event: str = "message"
    data: str = ""
    id: Optional[str] = None
    retry: Optional[int] = None


class SSEDecoder:
    """Turns arbitrarily split bytes into :class:`ServerSentEvent` values.

    Feed every received chunk to :meth:`feed`, then call :meth:`flush` once at end of input;
    :attr:`ended_mid_event` then tells whether the input stopped inside an unterminated event.

    :param max_event_size: most characters of one line or of one event's data (``None``: no limit);
        more raises :class:`EventTooLargeError`.
    :param named_without_data: also dispatch an event that has an ``event:`` name but no ``data:``
        line (with empty data). The standard drops it; a stream needs it so that a bare
        ``event: done`` still ends the stream instead of reading as a cut.
    """

    __slots__ = (
        "_aligned",
        "_data",
        "_data_size",
        "_decoder",
        "_dirty",
        "_event",
        "_last_id",
        "_limit",
        "_named_without_data",
        "_partial",
        "_partial_size",
        "_retry",
        "_skip_lf",
        "_started",
        "ended_mid_event",
    )

    def __init__(self, max_event_size: Optional[int] = None, *, named_without_data: bool = False) -> None:
        self._limit = max_event_size
        self._named_without_data = named_without_data
        self._partial_size = 0
        self._data_size = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial: List[str] = []  # pieces of the current, not yet terminated line
        self._data: List[str] = []
        self._event = ""
        self._last_id: Optional[str] = None
        self._retry: Optional[int] = None
        self._skip_lf = False  # the previous chunk ended with CR: an LF starting the next one is its pair
        self._started = False  # the BOM check is done once, on the first decoded character
        self._dirty = False  # a field other than data was seen since the last blank line
        self._aligned = False  # the UTF-8 decoder holds no partial sequence and the BOM check is done
        self.ended_mid_event = False

    def feed(self, chunk: bytes) -> List[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completes (possibly none)."""
        data = self.single_data(chunk)
        if data is not None:
            return [ServerSentEvent("message", data, self._last_id, self._retry)]
        events = self._feed_text(self._decoder.decode(chunk))
        # A chunk ending with an ASCII byte leaves no partial UTF-8 sequence in the decoder.
        self._aligned = self._started and not self._skip_lf and chunk[-1:] != b"" and chunk[-1] < 0x80
        return events

    def single_data(self, chunk: bytes) -> Optional[str]:
        """The data of ``chunk`` when it is exactly one whole ``data: ...`` event and nothing is
        pending (the common chunk of an LLM stream), else ``None`` and nothing is consumed.

        Gives what :meth:`feed` would give for it, without its line splitting: the UTF-8 decoder
        holds nothing, and a chunk within the limit in bytes is within it in characters. The event
        is a message event; the last event ID and retry stay what they were.
        """
        if (
            self._aligned
            and chunk[-2:] == b"\n\n"
            and chunk[:6] == b"data: "
            and chunk.find(b"\n") == len(chunk) - 2
            and b"\r" not in chunk
            and not (self._partial or self._data or self._dirty)
            and (self._limit is None or len(chunk) - 1 <= self._limit)
        ):
            return chunk[6:-2].decode("utf-8", "replace")
        return None

    def flush(self) -> List[ServerSentEvent]:
        """Signal end of input and return the events it completes.

        The spec discards an event not followed by a blank line, so this returns no event; it
        sets :attr:`ended_mid_event` and resets the parser (the last event ID and retry stay).
        """
        events = self._feed_text(self._decoder.decode(b"", True))
        self.ended_mid_event = self._dirty or bool(self._data) or bool(self._partial)
        self._partial.clear()
        self._data.clear()
        self._partial_size = self._data_size = 0
        self._event = ""
        self._dirty = False
        self._skip_lf = False
        return events

    def _feed_text(self, text: str) -> List[ServerSentEvent]:
        if not text:
            return []
        if not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
        if self._skip_lf:
            self._skip_lf = False
            if text[:1] == "\n":
                text = text[1:]
        if "\r" in text:
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        elif "\n" not in text:
            if text:
                self._keep_partial(text)
            return []
        if self._partial:
            self._partial.append(text)
            text = "".join(self._partial)
            self._partial.clear()
            self._partial_size = 0
        lines = text.split("\n")
        tail = lines.pop()
        events = self._process(lines)
        if tail:
            try:
                self._keep_partial(tail)
            except EventTooLargeError as exc:
                exc.events = events
                raise
        return events

    def _keep_partial(self, text: str) -> None:
        """Keep the start of a line not yet ended, within the limit."""
        self._partial_size += len(text)
        if self._limit is not None and self._partial_size > self._limit:
            raise EventTooLargeError(self._limit)
        self._partial.append(text)

    def _process(self, lines: List[str]) -> List[ServerSentEvent]:
        events: List[ServerSentEvent] = []
        data = self._data
        limit = self._limit
        for line in lines:
            if not line:
                if data or (self._named_without_data and self._event):
                    events.append(
                        ServerSentEvent(self._event or "message", "\n".join(data), self._last_id, self._retry)
                    )
                    data.clear()
                self._data_size = 0
                self._event = ""
                self._dirty = False
                continue
            if limit is not None:
                self._data_size += len(line) + 1  # a line counts toward its event, whatever its field
                if self._data_size > limit:
                    raise EventTooLargeError(limit, events)
            if line[:5] == "data:":  # the common line, without the general split below
                data.append(line[6:] if line[5:6] == " " else line[5:])
                continue
            if line[0] == ":":
                if limit is not None:
                    self._data_size -= len(line) + 1  # a comment is dropped at once: it is not kept
                continue
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            self._dirty = True
            if name == "data":
                data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                if "\0" not in value:
                    self._last_id = value
            elif name == "retry":
                if value.isdigit() and value.isascii():
                    self._retry = int(value)
        return events
