"""Faults queued on a :class:`~tachyon_sdk.testing.LocalServer` for its next requests.

Each fault is a frozen value. A request that the server would answer with
success takes the oldest queued fault that applies to it (its ``path`` pattern
matches, and for the stream faults, the request asks for a stream); faults that
do not apply stay queued, in order.
"""

import fnmatch
from dataclasses import dataclass
from typing import Any, Optional, Tuple


@dataclass(frozen=True)
class Fault:
    """Base of the queued faults; ``path`` is a glob the request path must match (``None``: any)."""

    path: Optional[str]

    #: Whether the fault only applies to a request that asks for a stream.
    streams_only = False

    def applies_to(self, path: str, streamed: bool) -> bool:
        if self.streams_only and not streamed:
            return False
        return self.path is None or fnmatch.fnmatchcase(path, self.path)


@dataclass(frozen=True)
class Fail(Fault):
    """Answer with ``status`` and an error body instead of the real answer."""

    status: int
    retry_after: Optional[str]
    body: Any
    headers: Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Delay(Fault):
    """Wait ``seconds`` before answering, then answer normally."""

    seconds: float


@dataclass(frozen=True)
class Reset(Fault):
    """Reset the TCP connection (RST) instead of answering."""


@dataclass(frozen=True)
class CutStream(Fault):
    """Send ``after`` events of a stream, then close the connection without ``[DONE]``.

    With ``graceful``, the HTTP body is ended properly (the last chunk of the chunked
    encoding is sent and the connection stays open): only ``[DONE]`` is missing.
    """

    after: int
    graceful: bool

    streams_only = True


@dataclass(frozen=True)
class ErrorEvent(Fault):
    """Send ``after`` events of a stream, then an ``error`` event, and end the stream (HTTP status stays 200).

    The event's data is ``body`` when given, else the error body of the API the request
    went to for ``status`` and ``message`` (Tachyon ``{"error": "<Variant>: message"}``,
    Emissary ``{"status", "error"}``).
    """

    after: int
    message: str
    status: int
    body: Any

    streams_only = True
