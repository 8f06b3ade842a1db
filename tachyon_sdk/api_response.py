"""``ApiResponse[T]``: the decoded data of a response with its status and headers."""

from dataclasses import dataclass
from typing import Generic, Mapping, Optional, TypeVar

from ._log import mask_headers

__all__ = ["ApiResponse"]

T = TypeVar("T")


@dataclass(repr=False)
class ApiResponse(Generic[T]):
    """What ``<operation>_with_http_info`` returns.

    :param status_code: HTTP status code.
    :param headers: response headers (case-insensitive mapping).
    :param data: the decoded body (a model, or a ``Stream`` for streamed responses).
    :param raw_data: the body bytes; ``None`` for a stream, whose bytes are read as it is iterated.
    """

    status_code: int
    headers: Mapping[str, str]
    data: T
    raw_data: Optional[bytes] = None

    def __repr__(self) -> str:
        raw = "None" if self.raw_data is None else f"<{len(self.raw_data)} bytes>"
        return (
            f"ApiResponse(status_code={self.status_code}, headers={mask_headers(self.headers)!r}, "
            f"data={self.data!r}, raw_data={raw})"
        )
