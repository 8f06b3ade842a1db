"""tachyon_sdk._constants is the one file of defaults: no other runtime module defines a number of its own."""

import ast
import pathlib
from typing import Iterator, List, Tuple

import tachyon_sdk
from tachyon_sdk import _constants

PACKAGE = pathlib.Path(tachyon_sdk.__file__).parent
BANNER = "# Generated from openapi.yaml by codegen"
ORDINARY = (0, 1, -1)  # a start, a step, "none": not defaults
ALLOWED = {
    ("exceptions.py", "STATUS_EXCEPTIONS"),  # status codes are names from RFC 9110, not settings
}


def runtime_modules() -> Iterator[pathlib.Path]:
    """The hand-written runtime modules (not the generated ones, not ``_constants`` itself)."""
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "_constants.py" and not path.read_text(encoding="utf-8").startswith(BANNER):
            yield path


def numbers(node: ast.AST) -> List[float]:
    found: List[float] = []
    for item in ast.walk(node):
        if isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub) and isinstance(item.operand, ast.Constant):
            value = item.operand.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                found.append(-value)
        elif (
            isinstance(item, ast.Constant) and isinstance(item.value, (int, float)) and not isinstance(item.value, bool)
        ):
            found.append(item.value)
    return [value for value in found if value not in ORDINARY and -value not in ORDINARY]


def module_numbers(path: pathlib.Path) -> List[Tuple[str, str, List[float]]]:
    """Module-level assignments and parameter defaults holding a number other than 0, 1, -1."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: List[Tuple[str, str, List[float]]] = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            name = ", ".join(ast.unparse(target) for target in targets)
            if (path.name, name) not in ALLOWED and numbers(node.value):
                found.append((path.name, name, numbers(node.value)))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
                if numbers(default):
                    found.append((path.name, f"default of {node.name}()", numbers(default)))
    return found


def test_runtime_modules_take_their_numbers_from_constants() -> None:
    modules = list(runtime_modules())
    offenders = [entry for path in modules for entry in module_numbers(path)]

    assert {path.name for path in modules} >= {
        "api_client.py",
        "_request.py",
        "rest.py",
        "retry.py",
        "configuration.py",
        "_log.py",
    }
    assert offenders == []


def test_the_documented_defaults() -> None:
    assert (
        _constants.DEFAULT_TIMEOUT
        == (_constants.DEFAULT_CONNECT_TIMEOUT, _constants.DEFAULT_READ_TIMEOUT)
        == (5.0, 600.0)
    )
    assert _constants.DEFAULT_POOL_TIMEOUT == 60.0
    assert _constants.DEFAULT_MAX_RETRIES == 2
    assert (_constants.DEFAULT_BACKOFF_FACTOR, _constants.DEFAULT_BACKOFF_MAX) == (0.5, 8.0)
    assert _constants.DEFAULT_RETRY_AFTER_MAX == 60.0
    assert _constants.RETRYABLE_STATUSES == frozenset({408, 429, 500, 502, 503, 504})
    assert _constants.DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    assert (_constants.STREAM_DRAIN_TIMEOUT, _constants.STREAM_DRAIN_MAX_BYTES) == (0.1, 64 * 1024)
