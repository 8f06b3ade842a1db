"""Sentinels and type aliases shared by the runtime and the generated code.

``USE_DEFAULT`` means "take the value from the client's configuration"; ``None``
means "off" (no timeout, no retries). Keeping the two apart lets a caller switch
a default off for one call without knowing what the default is.
"""

from typing import Any, Mapping, Optional, Tuple, Union

from typing_extensions import Final

from .retry import RetryPolicy

__all__ = ["USE_DEFAULT", "DeadlineArg", "RequestAuth", "RetriesArg", "TimeoutArg", "TimeoutValue"]


class _UseDefault:
    """Type of the :data:`USE_DEFAULT` singleton; copying or pickling gives the same object."""

    _instance: "Optional[_UseDefault]" = None

    def __new__(cls) -> "_UseDefault":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "USE_DEFAULT"

    def __copy__(self) -> "_UseDefault":
        return self

    def __deepcopy__(self, memo: Any) -> "_UseDefault":
        return self

    def __reduce__(self) -> str:
        return "USE_DEFAULT"


USE_DEFAULT: Final = _UseDefault()
"""Use the client's configured value (timeout, retries)."""

TimeoutValue = Union[None, float, int, Tuple[Optional[float], Optional[float]]]
"""A timeout: ``None`` (none), seconds for both connect and read, or ``(connect, read)``."""

TimeoutArg = Union[None, float, int, Tuple[Optional[float], Optional[float]], _UseDefault]
"""``_request_timeout``: a :data:`TimeoutValue` or :data:`USE_DEFAULT`."""

RetriesArg = Union[None, int, RetryPolicy, _UseDefault]
"""``_retries``: retries after the first attempt, a :class:`RetryPolicy`, ``None``/``0`` (none) or
:data:`USE_DEFAULT`."""

DeadlineArg = Union[None, float, int, _UseDefault]
"""``_deadline``: seconds the whole call (or stream) may take, ``None`` (no deadline) or :data:`USE_DEFAULT`."""

RequestAuth = Mapping[str, Any]
"""``_request_auth``: ``{"in": "header"|"query"|"cookie", "key": str, "value": str, "type": str}``."""
