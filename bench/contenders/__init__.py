"""The clients compared by the bench, each behind the same small interface.

Every contender sends the same request (:func:`bench.payloads.chat_request`) the way its users
would, reads the same answers and touches the same field of each result, so the only difference
measured is the client itself. A contender module imports its library at the top; when that
fails the contender is *unavailable* (reported as such, never an error).
"""

import abc
import importlib
from typing import Dict, Iterator, List, Optional, Tuple, Type

__all__ = ["CONTENDERS", "Contender", "Unavailable", "load", "names"]


class Unavailable(Exception):
    """The contender cannot run on this machine (library not installed, client not generated...)."""


class Contender(abc.ABC):
    """One client, built once per worker process and shared by all of its threads.

    :param base_url: ``http://127.0.0.1:<port>`` of the bench server.
    :param pool_size: connections the client may keep open at once (threads sharing it).
    """

    #: Whether the client can read a ``text/event-stream`` answer chunk by chunk.
    can_stream = True

    @abc.abstractmethod
    def __init__(self, base_url: str, pool_size: int) -> None: ...

    @abc.abstractmethod
    def call(self) -> Optional[str]:
        """One non-streamed chat completion; returns the message content."""

    def stream(self, chunks: int) -> Iterator[Optional[str]]:
        """One streamed chat completion of ``chunks`` chunks; yields each chunk's delta content."""
        raise NotImplementedError("cannot stream")

    @abc.abstractmethod
    def close(self) -> None:
        """Close the client's connections."""

    @staticmethod
    def versions() -> Dict[str, str]:
        """Versions of the libraries this contender measures, for the report."""
        return {}


#: key -> (table label, module, class name). The order is the order of every table.
CONTENDERS: Dict[str, Tuple[str, str, str]] = {
    "floor": ("floor (urllib3 + json)", "bench.contenders.floor", "Floor"),
    "tachyon": ("tachyon_sdk", "bench.contenders.tachyon", "Tachyon"),
    "stock": ("OpenAPI Generator python", "bench.contenders.stock", "Stock"),
    "openai": ("openai-python", "bench.contenders.openai_python", "OpenAIPython"),
}


def names() -> List[str]:
    """Every contender key, in table order."""
    return list(CONTENDERS)


def load(name: str) -> Type[Contender]:
    """The contender class for ``name``.

    :raises Unavailable: its library cannot be imported here.
    """
    _label, module_name, class_name = CONTENDERS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = exc.name or str(exc)
        raise Unavailable(f"not installed ({missing} cannot be imported)") from exc
    cls: Type[Contender] = getattr(module, class_name)
    return cls
