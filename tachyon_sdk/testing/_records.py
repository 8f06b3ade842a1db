"""What the local server records of each request it receives (secrets masked)."""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Tuple

# Headers whose values are credentials. Authorization-like headers keep their scheme.
_SCHEME_HEADERS = frozenset({"authorization", "proxy-authorization"})
_SECRET_HEADERS = frozenset({"cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"})
MASK = "***"


def mask_header(name: str, value: str) -> str:
    """``value`` with any credential replaced by ``***`` (``Authorization: Bearer ***``)."""
    lowered = name.lower()
    if lowered in _SCHEME_HEADERS:
        scheme, _, credentials = value.strip().partition(" ")
        if credentials:
            return f"{scheme} {MASK}"
        return MASK if value else value
    if lowered in _SECRET_HEADERS:
        return MASK
    return value


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive view of request headers (a repeated header's values joined by ``, ``)."""

    __slots__ = ("_items", "_index")

    def __init__(self, items: Iterable[Tuple[str, str]] = ()) -> None:
        self._items: Tuple[Tuple[str, str], ...] = tuple(items)
        index: Dict[str, str] = {}
        for name, value in self._items:
            key = name.lower()
            index[key] = f"{index[key]}, {value}" if key in index else value
        self._index = index

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for name, _ in self._items:
            if name.lower() not in seen:
                seen.add(name.lower())
                yield name

    def __len__(self) -> int:
        return len(self._index)

    def items_raw(self) -> Tuple[Tuple[str, str], ...]:
        """Every header as received (name case and repetitions kept), masked."""
        return self._items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._index) == {str(k).lower(): v for k, v in other.items()}
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received, as recorded in :attr:`LocalServer.requests`.

    ``headers`` has credentials masked (``Authorization: Bearer ***``); ``body`` is the
    parsed JSON body (``None`` when there was none or it was not JSON); ``raw_body``
    the bytes received; ``operation`` the operationId of the route it matched
    (``None`` for an unknown path).
    """

    method: str
    path: str
    headers: Headers
    body: Any
    raw_body: bytes
    operation: Optional[str]

    @property
    def json(self) -> Any:
        """Alias of :attr:`body`."""
        return self.body


def masked_headers(items: Iterable[Tuple[str, str]]) -> Headers:
    return Headers((name, mask_header(name, value)) for name, value in items)
