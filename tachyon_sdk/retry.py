"""``RetryPolicy``: how often and how long to wait before sending a request again.

A policy is an immutable value: :meth:`RetryPolicy.increment` returns a new
policy with one retry used and the failure appended to :attr:`history`. The
waiting functions are pure (:meth:`RetryPolicy.backoff_for` takes its random
source, :func:`parse_retry_after` its clock), so they are tested without
sleeping. The loop that sends, sleeps and sends again lives in
:class:`tachyon_sdk.api_client.ApiClient`.
"""

import email.utils
import math
import random
import re
import time
from dataclasses import dataclass, replace
from typing import AbstractSet, Optional, Protocol, Tuple, Union

from ._constants import (
    DEFAULT_BACKOFF_FACTOR,
    DEFAULT_BACKOFF_JITTER,
    DEFAULT_BACKOFF_MAX,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_AFTER_MAX,
    MAX_SECONDS,
    RETRYABLE_STATUSES,
)
from .exceptions import ApiTypeError, ApiValueError

__all__ = ["RequestHistory", "RetryPolicy", "parse_retry_after"]

_DELAY_SECONDS_RE = re.compile(r"^\s*([0-9]+)\s*$")


class _Random(Protocol):
    def random(self) -> float: ...


@dataclass(frozen=True)
class RequestHistory:
    """One failed attempt: what was sent and why it is retried (a status or an error class name)."""

    method: str
    url: str
    status: Optional[int] = None
    error: Optional[str] = None


def parse_retry_after(
    value: Optional[str], now: Optional[float] = None, cap: Optional[float] = DEFAULT_RETRY_AFTER_MAX
) -> Optional[float]:
    """Seconds to wait according to a ``Retry-After`` header value (RFC 9110, section 10.2.3).

    The value is either ``delay-seconds`` (a non-negative integer) or an HTTP date; a date in the
    past means no wait. ``now`` is the current time as a POSIX timestamp (default: the clock).
    Returns ``None`` for a missing or invalid value; the result is at most ``cap`` seconds.
    """
    if value is None:
        return None
    match = _DELAY_SECONDS_RE.match(value)
    if match:
        seconds = float(match.group(1))
    else:
        parsed = email.utils.parsedate_tz(value.strip())
        if parsed is None:
            return None
        if parsed[9] is None:  # HTTP dates are GMT; mktime_tz would take local time
            parsed = parsed[:9] + (0,)
        try:
            when = email.utils.mktime_tz(parsed)
        except (OverflowError, ValueError):
            return None
        seconds = max(0.0, when - (time.time() if now is None else now))
    if cap is not None:
        seconds = min(seconds, cap)
    return seconds


@dataclass(frozen=True)
class RetryPolicy:
    """An immutable retry policy.

    :param total: retries left after the current attempt; a negative value means exhausted.
    :param backoff_factor: wait before retry ``n`` is ``backoff_factor * 2 ** (n - 1)`` ...
    :param backoff_max: ... at most this many seconds ...
    :param backoff_jitter: ... less a random fraction of at most this much of it.
    :param retry_after_max: the largest wait taken from a ``Retry-After`` header.
    :param status_forcelist: statuses that are retried.
    :param respect_retry_after: wait as ``Retry-After`` says (when present and valid).
    :param history: the failed attempts so far, oldest first.
    """

    total: int = DEFAULT_MAX_RETRIES
    backoff_factor: float = DEFAULT_BACKOFF_FACTOR
    backoff_max: float = DEFAULT_BACKOFF_MAX
    backoff_jitter: float = DEFAULT_BACKOFF_JITTER
    retry_after_max: float = DEFAULT_RETRY_AFTER_MAX
    status_forcelist: AbstractSet[int] = RETRYABLE_STATUSES
    respect_retry_after: bool = True
    history: Tuple[RequestHistory, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.total, bool) or not isinstance(self.total, int):
            raise ApiTypeError(f"RetryPolicy.total must be an int, got {type(self.total).__name__}")
        for name in ("backoff_factor", "backoff_max", "retry_after_max", "backoff_jitter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ApiTypeError(f"RetryPolicy.{name} must be a number, got {type(value).__name__}")
            if not math.isfinite(value) or value < 0 or value > MAX_SECONDS:
                raise ApiValueError(f"RetryPolicy.{name} must be a finite number of seconds from 0 to {MAX_SECONDS:g}")
        if not 0 <= self.backoff_jitter <= 1:
            raise ApiValueError("RetryPolicy.backoff_jitter must be between 0 and 1")
        if not isinstance(self.respect_retry_after, bool):
            raise ApiTypeError("RetryPolicy.respect_retry_after must be True or False")
        try:
            statuses = frozenset(self.status_forcelist)
        except TypeError:
            raise ApiTypeError("RetryPolicy.status_forcelist must be a collection of HTTP statuses") from None
        if not all(type(status) is int and 100 <= status <= 599 for status in statuses):
            raise ApiValueError("RetryPolicy.status_forcelist must hold HTTP statuses (ints from 100 to 599)")
        object.__setattr__(self, "status_forcelist", statuses)
        object.__setattr__(self, "history", tuple(self.history))

    @classmethod
    def from_value(cls, value: Union[None, int, "RetryPolicy"]) -> "RetryPolicy":
        """A policy from ``Configuration.retries`` or ``_retries``: ``None``/``0`` mean no retries."""
        if isinstance(value, RetryPolicy):
            return value
        if value is None:
            return cls(total=0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiTypeError(f"retries must be None, an int or a RetryPolicy, got {type(value).__name__}")
        if value < 0:
            raise ApiValueError("retries must not be negative")
        return cls(total=value)

    @property
    def retries_done(self) -> int:
        """Number of retries already used."""
        return len(self.history)

    def is_exhausted(self) -> bool:
        """``True`` once more retries were asked for than allowed."""
        return self.total < 0

    def is_retryable_status(self, status: int) -> bool:
        """``True`` when a response with this status should be sent again."""
        return status in self.status_forcelist

    def increment(
        self, method: str, url: str, *, status: Optional[int] = None, error: Optional[BaseException] = None
    ) -> "RetryPolicy":
        """Return a new policy with one retry used and this failure recorded.

        The caller checks :meth:`is_exhausted` on the result: an exhausted policy means the failure
        is final and must be reported.
        """
        entry = RequestHistory(
            method=method, url=url, status=status, error=type(error).__name__ if error is not None else None
        )
        return replace(self, total=self.total - 1, history=self.history + (entry,))

    def backoff_for(self, attempt: int, rng: Optional[_Random] = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based), with jitter, capped.

        ``rng`` provides ``random()`` in ``[0, 1)`` (default: the ``random`` module); the result lies
        in ``[(1 - backoff_jitter) * b, b]`` with ``b = min(backoff_max, backoff_factor * 2 ** (attempt - 1))``.
        """
        if attempt < 1:
            return 0.0
        base = min(self.backoff_max, self.backoff_factor * 2.0 ** min(attempt - 1, 62))
        fraction = random.random() if rng is None else rng.random()
        return base * (1.0 - self.backoff_jitter * fraction)

    def parse_retry_after(self, value: Optional[str], now: Optional[float] = None) -> Optional[float]:
        """:func:`parse_retry_after` capped at :attr:`retry_after_max`."""
        return parse_retry_after(value, now, self.retry_after_max)

    def wait_for(
        self, retry_after: Optional[str] = None, rng: Optional[_Random] = None, now: Optional[float] = None
    ) -> float:
        """Seconds to wait before the next retry: ``Retry-After`` when honoured and valid, else backoff."""
        if self.respect_retry_after:
            seconds = self.parse_retry_after(retry_after, now)
            if seconds is not None:
                return seconds
        return self.backoff_for(self.retries_done, rng)

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(total={self.total}, backoff_factor={self.backoff_factor}, "
            f"backoff_max={self.backoff_max}, backoff_jitter={self.backoff_jitter}, "
            f"retry_after_max={self.retry_after_max}, status_forcelist={sorted(self.status_forcelist)}, "
            f"respect_retry_after={self.respect_retry_after}, history={len(self.history)})"
        )
