"""Problems found in a spec, as values: a level, a JSON pointer into the spec, a message.

The generator never raises for a spec problem; it collects :class:`Diagnostic` values and the command
line prints one line per problem and exits 2 when any is an error.
"""

from dataclasses import dataclass
from typing import Iterable, List, Sequence

__all__ = ["ERROR", "WARNING", "Diagnostic", "Diagnostics", "join", "pointer", "unescape"]

ERROR = "error"
WARNING = "warning"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo RFC 6901 escaping of one reference token."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: object) -> str:
    """A URI-fragment JSON pointer (RFC 6901): ``pointer("paths", "/v1/x", "post")`` ->
    ``#/paths/~1v1~1x/post``."""
    return "#" + "".join("/" + _escape(str(token)) for token in tokens)


@dataclass(frozen=True)
class Diagnostic:
    """One problem: ``level`` is ``"error"`` (nothing is written) or ``"warning"`` (output is written)."""

    level: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.pointer or '#'}: {self.message}"


class Diagnostics:
    """An ordered collection of diagnostics, filled while loading and parsing."""

    def __init__(self) -> None:
        self.items: List[Diagnostic] = []

    def error(self, where: str, message: str) -> None:
        self.items.append(Diagnostic(ERROR, where, message))

    def warning(self, where: str, message: str) -> None:
        self.items.append(Diagnostic(WARNING, where, message))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> Sequence[Diagnostic]:
        return [item for item in self.items if item.level == ERROR]

    @property
    def has_errors(self) -> bool:
        return any(item.level == ERROR for item in self.items)


def join(base: str, *tokens: object) -> str:
    """Extend a pointer made by :func:`pointer` with more tokens."""
    return base + "".join("/" + _escape(str(token)) for token in tokens)
