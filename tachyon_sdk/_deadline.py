"""``Deadline``: the overall time budget of one call, from its first byte sent to its last byte read.

The read timeout bounds each wait for data; a server that trickles a byte now and then never
trips it. A deadline bounds the whole: every connect, pool and read wait of the call is cut to
what is left of it, retries stop when their wait would pass it, and a stream checks it before
each read. When it passes, the call raises :class:`~tachyon_sdk.exceptions.ApiTimeoutError`
with ``phase="deadline"``.
"""

import math
import time
from typing import Any, Optional

from ._types import TimeoutValue
from .exceptions import ApiTimeoutError

__all__ = ["Deadline"]


class Deadline:
    """A point in time (``time.monotonic``) by which a call must be over."""

    __slots__ = ("expires", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (``0.0`` once passed)."""
        return max(0.0, self.expires - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.expires

    def error(self, what: str, response_started: bool = False) -> ApiTimeoutError:
        """The exception raised when the deadline passes during ``what``."""
        return ApiTimeoutError(
            f"{what}: the deadline of {self.seconds:g} s passed", phase="deadline", response_started=response_started
        )

    def check(self, what: str, response_started: bool = False) -> None:
        """:raises ApiTimeoutError: ``phase="deadline"`` when the deadline has passed."""
        if time.monotonic() >= self.expires:
            raise self.error(what, response_started)

    def cut(self, timeout: TimeoutValue) -> TimeoutValue:
        """``timeout`` with the connect and read waits cut to what is left (never below a millisecond)."""
        left = max(self.remaining(), 0.001)
        if isinstance(timeout, tuple):
            connect, read = timeout
        else:
            connect = read = timeout
        return (_min(connect, left), _min(read, left))

    def bound_socket(self, response: Any, read_timeout: Optional[float]) -> None:
        """Cut the socket timeout of an open response to what is left, before one more read."""
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(_min(read_timeout, max(self.remaining(), 0.001)))


def _min(value: Optional[float], left: float) -> float:
    return left if value is None or math.isinf(value) else min(float(value), left)
