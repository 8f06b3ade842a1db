"""What makes the output an installable package: the runtime copied into it, ``pyproject.toml``, the manifest.

Three layouts, chosen by :func:`layout_of`:

- ``in-place``: the package directory already holds the hand-written runtime (this repository's own
  ``tachyon_sdk``). Only the generated parts are written; the manifest is ``codegen/GENERATED`` and the
  project's own ``pyproject.toml``/``setup.py`` package it.
- ``vendored`` (the default for any other package): the runtime modules are copied into the package with
  every ``tachyon_sdk`` import rewritten to the package's name, and a ``pyproject.toml`` is written. The
  package then needs nothing but the runtime's own requirements (urllib3, pydantic, ...), and its
  generated code always runs on the exact runtime it was generated against (generated modules use the
  runtime's internal modules, such as ``_operation``, whose shape is not a public, versioned API).
- ``dependent`` (``--runtime-package NAME``): nothing is copied; ``pyproject.toml`` declares the
  dependency on that runtime's distribution.

Outside the ``in-place`` layout the manifest is :data:`MANIFEST` at the output root, next to
``pyproject.toml``: outside the package, so it is never installed.
"""

import importlib.util
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from codegen.naming import is_identifier

__all__ = [
    "DEPENDENT",
    "IN_PLACE",
    "IN_PLACE_MANIFEST",
    "MANIFEST",
    "RUNTIME_DISTRIBUTION",
    "RUNTIME_ASYNC_REQUIREMENTS",
    "RUNTIME_PACKAGE",
    "RUNTIME_REQUIREMENTS",
    "VENDORED",
    "distribution_name",
    "layout_of",
    "package_name_problem",
    "pyproject",
    "runtime_version",
    "vendored_runtime",
]

IN_PLACE = "in-place"
VENDORED = "vendored"
DEPENDENT = "dependent"

RUNTIME_PACKAGE = "tachyon_sdk"
RUNTIME_DISTRIBUTION = "tachyon-sdk"
# The runtime's requirements (requirements.txt; a test keeps the two equal): a vendored package needs them.
RUNTIME_REQUIREMENTS = (
    "urllib3 >= 2.2.0, < 3",
    "pydantic >= 2.6.0, < 3",
    "python-dateutil >= 2.8.2",
    "typing-extensions >= 4.7.1",
)
IN_PLACE_MANIFEST = "codegen/GENERATED"
MANIFEST = ".codegen-manifest"

# The asyncio client's transport (``pip install "<package>[async]"``; setup.py's ASYNC_REQUIRES, a test keeps them equal).
RUNTIME_ASYNC_REQUIREMENTS = ("aiohttp >= 3.10, < 4",)
# Runtime files that are not copied: generated here (__init__, _servers) or about the Tachyon API itself.
_NOT_VENDORED = frozenset({"__init__.py", "_servers.py", "helpers.py"})
_RUNTIME_NAME = re.compile(r"\b" + RUNTIME_PACKAGE + r"\b")
_CONSTANT_LINES = {  # _constants.py lines that name the package: rewritten to the generated one's
    "version": re.compile(r'^SDK_VERSION = "[^"]*"$', re.M),
    "agent": re.compile(r'^USER_AGENT_PREFIX = "[^"]*"$', re.M),
}
_PEP440 = re.compile(
    r"^v?(\d+!)?\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-z0-9]+(\.[a-z0-9]+)*)?$", re.IGNORECASE
)


def package_name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot be the import name of the generated package; ``None`` when it can."""
    parts = name.split(".")
    if all(is_identifier(part) for part in parts):
        return None
    suggestion = ".".join(re.sub(r"\W", "_", part) for part in parts)
    if suggestion and suggestion[0].isdigit():
        suggestion = "_" + suggestion
    hint = f" (did you mean {suggestion}?)" if all(is_identifier(part) for part in suggestion.split(".")) else ""
    return (
        f"--package {name!r} is not a Python import name: dot-separated identifiers of letters, digits and "
        f"underscores, not starting with a digit, no keywords{hint}"
    )


def distribution_name(package: str) -> str:
    """The name in ``pyproject.toml``: ``museum_client`` -> ``museum-client``."""
    return re.sub(r"[._]+", "-", package).lower()


def pep440(version: str) -> str:
    """The document's version when it is a valid package version, else ``0.0.0``."""
    version = version.strip()
    return version if _PEP440.match(version) else "0.0.0"


def _runtime_dir() -> Path:
    spec = importlib.util.find_spec(RUNTIME_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the runtime package {RUNTIME_PACKAGE} is not installed; it is copied into the output")
    return Path(next(iter(spec.submodule_search_locations)))


def runtime_version() -> str:
    """The version of the runtime that would be copied."""
    text = (_runtime_dir() / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    return match.group(1) if match else "0.0.0"


def _has_banner(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.readline(200).startswith(b"# Generated from ")
    except OSError:
        return False


def layout_of(root: Path, package: str, runtime: Optional[str]) -> str:
    """``in-place`` when the package is its own runtime (given, or found hand-written in the output),
    ``dependent`` when another runtime package was named, else ``vendored``."""
    if runtime is not None and runtime != package:
        return DEPENDENT
    marker = root / package.replace(".", "/") / "_operation.py"
    if runtime == package or (marker.is_file() and not _has_banner(marker)):
        return IN_PLACE
    return VENDORED


def vendored_runtime(package: str, spec_name: str, version: str) -> Dict[str, bytes]:
    """The runtime's modules (and ``py.typed``) for ``package``, by path relative to the output root."""
    source = _runtime_dir()
    package_dir = package.replace(".", "/")
    files: Dict[str, bytes] = {}
    banner = (
        f"# Generated from {spec_name} by codegen: the {RUNTIME_DISTRIBUTION} {runtime_version()} runtime, "
        f"imports renamed — do not edit; run python -m codegen"
    )
    # the asyncio runtime (aio/, its __init__ generated) is copied too: the generated aio API classes use it
    for path in sorted([*source.glob("*.py"), *(source / "aio").glob("*.py")]):
        if path.name in _NOT_VENDORED:
            continue
        text = _RUNTIME_NAME.sub(package, path.read_text(encoding="utf-8"))
        if path.name == "_constants.py":
            text = _rewrite_constants(text, package, version)
        lines = [banner, text]
        files[f"{package_dir}/{path.relative_to(source).as_posix()}"] = "\n".join(lines).encode("utf-8")
    files[f"{package_dir}/py.typed"] = b""
    return files


def _rewrite_constants(text: str, package: str, version: str) -> str:
    replacements = {
        "version": f'SDK_VERSION = "{version}"',
        "agent": f'USER_AGENT_PREFIX = "{distribution_name(package)}-python"',
    }
    for key, pattern in _CONSTANT_LINES.items():
        text, count = pattern.subn(replacements[key], text)
        if count != 1:
            raise RuntimeError(f"the runtime's _constants.py has no single {pattern.pattern!r} line to rewrite")
    return text


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _toml_list(values: Iterable[str], indent: str = "    ") -> List[str]:
    return ["[", *(f"{indent}{_toml(value)}," for value in values), "]"]


def pyproject(
    banner: str,
    package: str,
    version: str,
    description: str,
    dependencies: Tuple[str, ...],
    subpackages: Tuple[str, ...],
    async_dependencies: Tuple[str, ...] = (),
) -> bytes:
    """A ``pyproject.toml`` that builds the generated package with setuptools (``pip install DIR``)."""
    packages = [package, *(f"{package}.{name}" for name in subpackages)]
    lines = [
        banner,
        "[build-system]",
        'requires = ["setuptools>=61"]',
        'build-backend = "setuptools.build_meta"',
        "",
        "[project]",
        f"name = {_toml(distribution_name(package))}",
        f"version = {_toml(pep440(version))}",
        f"description = {_toml(description)}",
        'requires-python = ">=3.10"',
        "dependencies = " + "\n".join(_toml_list(dependencies)),
        "",
    ]
    if async_dependencies:  # the asyncio client (``<package>.aio``): pip install "<distribution>[async]"
        lines += ["[project.optional-dependencies]", "async = " + "\n".join(_toml_list(async_dependencies)), ""]
    lines += [
        "[tool.setuptools]",
        "packages = " + "\n".join(_toml_list(packages)),
        "",
        "[tool.setuptools.package-data]",
        f'{_toml(package)} = ["py.typed"]',
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
