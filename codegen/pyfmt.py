"""Python source text already in ``ruff format``'s layout, so no formatter runs after generation.

Expressions are built as small trees (:class:`Atom`, :class:`Group`, :class:`Keyword`) and laid out the
way the formatter would accept them: on one line when it fits in :data:`LINE_LENGTH`, otherwise the
outermost bracket is split one item per line with a trailing comma (the "magic trailing comma" that makes
the formatter keep the split), recursively. A subscript with a single item is split without a comma,
since ``X[a,]`` would mean a tuple.
"""

from dataclasses import dataclass
from typing import List, Sequence, Tuple, Union

__all__ = [
    "LINE_LENGTH",
    "Atom",
    "Group",
    "Keyword",
    "Node",
    "annotated_assignment",
    "assignment",
    "call",
    "docstring",
    "flat",
    "lay_out",
    "py_literal",
    "py_str",
    "subscript",
    "tuple_of",
]

LINE_LENGTH = 120
INDENT = "    "


@dataclass(frozen=True)
class Atom:
    """Text that is never split (a name, a literal, an attribute chain)."""

    text: str


@dataclass(frozen=True)
class Keyword:
    """``name=value`` inside a call, or ``"key": value`` inside a dict display (``key`` includes the
    separator)."""

    key: str
    value: "Node"


@dataclass(frozen=True)
class Group:
    """``head`` followed by a bracketed, comma-separated list of items: a call, subscript or display.

    ``subscript`` marks ``X[...]``; ``explode`` forces the split even when the group fits (used for
    method calls the reader should see one argument per line).
    """

    head: str
    opening: str
    items: Tuple["Node", ...]
    closing: str
    subscript: bool = False
    explode: bool = False


Node = Union[Atom, Keyword, Group]


def call(head: str, *items: "Node", explode: bool = False) -> Group:
    return Group(head, "(", tuple(items), ")", explode=explode)


def subscript(head: str, *items: "Node") -> Group:
    return Group(head, "[", tuple(items), "]", subscript=True)


def tuple_of(*items: "Node") -> Group:
    return Group("", "(", tuple(items), ")")


def flat(node: "Node") -> str:
    """The node on one line."""
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Keyword):
        return node.key + flat(node.value)
    inner = ", ".join(flat(item) for item in node.items)
    if node.opening == "(" and not node.head and len(node.items) == 1:
        inner += ","  # a one-element tuple
    return node.head + node.opening + inner + node.closing


def _fits(text: str) -> bool:
    return len(text) <= LINE_LENGTH


def lay_out(node: "Node", indent: str = "", prefix: str = "", suffix: str = "") -> List[str]:
    """Lines for ``prefix + node + suffix`` at ``indent``, split as the formatter would keep them."""
    line = indent + prefix + flat(node) + suffix
    exploded = isinstance(node, Group) and node.explode and node.items
    if not exploded and _fits(line):
        return [line]
    if isinstance(node, Keyword):
        return lay_out(node.value, indent, prefix + node.key, suffix)
    if isinstance(node, Atom) or not node.items:
        return [line]
    inner = indent + INDENT
    lines = [indent + prefix + node.head + node.opening]
    single_subscript = node.subscript and len(node.items) == 1
    for item in node.items:
        lines.extend(lay_out(item, inner, "", "" if single_subscript else ","))
    lines.append(indent + node.closing + suffix)
    return lines


def assignment(indent: str, target: str, value: "Node") -> List[str]:
    """``target = value`` (``target`` includes any annotation and the ``" = "``): flat when it fits;
    else the value's own brackets are split when their opening line fits; else the value is wrapped in
    parentheses on lines of its own when that makes it fit, as the formatter prefers."""
    whole = indent + target + flat(value)
    exploded = isinstance(value, Group) and value.explode and value.items
    if _fits(whole) and not exploded:
        return [whole]
    if isinstance(value, Group) and value.items and _fits(indent + target + value.head + value.opening):
        return lay_out(value, indent, target)
    inner = indent + INDENT
    opener = value.head + value.opening if isinstance(value, Group) and value.items else flat(value)
    if _fits(indent + target + "(") and _fits(inner + opener):
        return [indent + target + "("] + lay_out(value, inner) + [indent + ")"]
    return lay_out(value, indent, target)


def annotated_assignment(indent: str, name: str, annotation: "Node", value: Union["Node", None]) -> List[str]:
    """``name: annotation = value`` (or without a value): the value is split or parenthesized first (see
    :func:`assignment`); the annotation is split only when even ``name: annotation = (`` does not fit."""
    if value is None:
        return lay_out(annotation, indent, name + ": ")
    target = name + ": " + flat(annotation) + " = "
    if _fits(indent + target + "(") or not isinstance(annotation, Group):
        return assignment(indent, target, value)
    lines = lay_out(annotation, indent, name + ": ", " = " + flat(value))
    if len(lines) == 1:  # the annotation did not need splitting after all (cannot happen: it is too long)
        return assignment(indent, target, value)
    last = lines.pop()
    closing = last[len(indent) :].split(" = ", 1)[0] + " = "
    return lines + assignment(indent, closing, value)


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str, quote: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char == quote:
        return "\\" + char
    if not char.isprintable():
        code = ord(char)
        if code < 0x100:
            return f"\\x{code:02x}"
        if code < 0x10000:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}"
    return char


def py_str(text: str) -> str:
    """A string literal as the formatter writes it: double quotes unless the text holds more double quotes
    than single ones."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + "".join(_escape_char(char, quote) for char in text) + quote


def py_literal(value: object) -> str:
    """A Python literal for a JSON value (``true`` -> ``True``, ``null`` -> ``None``, dicts and lists)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_str(str(value))


def _docstring_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()


def docstring(paragraphs: Sequence[str], indent: str) -> List[str]:
    """A docstring from paragraphs (each may hold newlines), in the formatter's normal form: summary on
    the opening line, continuation lines at the docstring's indentation, closing quotes on their own line."""
    text_lines: List[str] = []
    for paragraph in paragraphs:
        block = [_docstring_text(line.expandtabs(4)) for line in paragraph.strip("\n").splitlines()]
        while block and not block[-1].strip():
            block.pop()
        if not block:
            continue
        if text_lines:
            text_lines.append("")
        text_lines.extend(block)
    if not text_lines:
        text_lines = [""]
    first = text_lines[0].strip()
    rest = _dedent(text_lines[1:])
    if not rest:
        if first.endswith('"'):
            first = first[:-1] + '\\"'
        return [indent + '"""' + first + '"""']
    lines = [indent + '"""' + first]
    lines.extend((indent + line) if line.strip() else "" for line in rest)
    lines.append(indent + '"""')
    return lines


def _dedent(lines: Sequence[str]) -> List[str]:
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    return [line[cut:] if line.strip() else "" for line in lines]
