"""Import statements of a generated module, in the order and layout ``ruff``'s isort rules keep.

A :class:`Scope` hands out the local name of every helper a module uses (``typing.List``,
``pydantic.Field``, runtime classes...). A helper whose name is also the name of a generated class visible
in the module (a schema called ``List``, ``Field`` or ``BaseModel``) is imported under a private alias
(``from typing import List as _List``), so no schema name can shadow what the generated code needs.
"""

import re
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from codegen.pyfmt import LINE_LENGTH

__all__ = ["Scope", "format_imports", "natural_key"]

_STDLIB = frozenset({"datetime", "importlib", "typing"})
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> Tuple[object, ...]:
    """Case-insensitive natural order (``foo2`` before ``foo10``), as isort compares names."""
    parts: List[object] = []
    for index, chunk in enumerate(_DIGITS.split(text.lower())):
        parts.append((1, int(chunk)) if index % 2 else (0, chunk))
    return (tuple(parts), text)


def _member_key(name: str) -> Tuple[int, Tuple[object, ...]]:
    if len(name) > 1 and name.isupper():
        group = 0  # CONSTANTS
    elif name[:1].isupper():
        group = 1  # Classes
    else:
        group = 2  # functions and variables
    return (group, natural_key(name))


class Scope:
    """The names one generated module binds: generated classes it defines or imports, and helpers."""

    def __init__(self, first_party: Iterable[str], taken: Iterable[str] = ()) -> None:
        self._first_party = {name.split(".")[0] for name in first_party}
        self.taken: Set[str] = set(taken)
        self._imports: Dict[Tuple[str, str], str] = {}

    def use(self, module: str, name: str) -> str:
        """Import ``name`` from ``module`` (once) and return the name to write in code."""
        key = (module, name)
        if key not in self._imports:
            self._imports[key] = name if name not in self.taken else "_" + name
        return self._imports[key]

    def use_class(self, module: str, name: str) -> str:
        """Import a generated class under its own name."""
        self._imports[(module, name)] = name
        return name

    def lines(self) -> List[str]:
        """The import block: sections (stdlib, third party, first party) separated by a blank line."""
        return format_imports(
            [(module, name, local) for (module, name), local in self._imports.items()], self._first_party
        )


def _section(module: str, first_party: Set[str]) -> int:
    root = module.split(".")[0]
    if root in _STDLIB:
        return 0
    if root in first_party:
        return 2
    return 1


def format_imports(
    imports: Sequence[Tuple[str, str, str]],
    first_party: Iterable[str],
    indent: str = "",
    suffix: str = "",
    reexport: bool = False,
) -> List[str]:
    """``from module import name [as local]`` lines, grouped, sorted and wrapped as isort does it.

    ``suffix`` is appended to every statement (``  # noqa: E402`` for imports after code); ``reexport``
    writes every name as ``X as X`` (an explicit re-export for type checkers).
    """
    roots = {name.split(".")[0] for name in first_party}
    sections: Dict[int, Dict[str, List[Tuple[str, str]]]] = {}
    for module, name, local in imports:
        sections.setdefault(_section(module, roots), {}).setdefault(module, []).append((name, local))
    lines: List[str] = []
    for section in sorted(sections):
        if lines:
            lines.append("")
        modules = sections[section]
        for module in sorted(modules, key=natural_key):
            members = sorted(set(modules[module]), key=lambda item: (_member_key(item[0]), item[1]))
            plain = [name for name, local in members if name == local and not reexport]
            statements: List[Tuple[str, List[str]]] = []
            if plain:
                statements.append((plain[0], plain))
            for name, local in members:
                if name != local or reexport:
                    statements.append((name, [f"{name} as {local}"]))
            # statements from one module are ordered by their first name, as isort does
            for _, names in sorted(statements, key=lambda item: _member_key(item[0])):
                lines.extend(_from_import(module, names, indent, suffix))
    return lines


def _from_import(module: str, names: List[str], indent: str, suffix: str) -> List[str]:
    line = f"{indent}from {module} import {', '.join(names)}{suffix}"
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"{indent}from {module} import ({suffix}"] + [f"{indent}    {name}," for name in names] + [f"{indent})"]
