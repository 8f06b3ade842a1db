"""File IR -> bytes with Jinja2, and the output tree: write, check, manifest, stale files.

The Jinja environment is built once per process (templates are compiled on first use and reused). It uses
``StrictUndefined`` (a missing IR attribute is an error, never an empty string), ``trim_blocks``,
``lstrip_blocks`` and ``keep_trailing_newline``; autoescaping is off (the output is Python and Markdown).
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple

import jinja2

from codegen.files import Layout, Options

__all__ = [
    "MANIFEST",
    "README_BEGIN",
    "README_END",
    "Plan",
    "apply",
    "check",
    "environment",
    "plan",
]

MANIFEST = "codegen/GENERATED"
README_BEGIN = "<!-- BEGIN GENERATED: api-and-model-index -->"
README_END = "<!-- END GENERATED: api-and-model-index -->"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_BANNERS = ("# Generated from ", "<!-- Generated from ")
_environment: Optional[jinja2.Environment] = None


def environment() -> jinja2.Environment:
    """The shared Jinja environment."""
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,
            auto_reload=False,
        )
    return _environment


@dataclass(frozen=True)
class Plan:
    """What the output tree should hold."""

    files: Dict[str, bytes]  # posix path relative to the root -> content (manifest included)
    readme_path: str
    readme_block: str
    generated_dirs: Tuple[str, ...]  # where a banner file not in ``files`` is stale
    manifest: str = MANIFEST  # path of the manifest, relative to the root


def _manifest(paths: Sequence[str], spec_name: str, sha256: str) -> bytes:
    lines = [
        f"# Files written by python -m codegen from {spec_name}; regenerate them, do not edit them.",
        f"spec-sha256: {sha256}",
        *sorted(paths),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def plan(
    layout: Layout,
    options: Options,
    sha256: str,
    extra: Optional[Dict[str, bytes]] = None,
    manifest: str = MANIFEST,
) -> Plan:
    """Render every file of ``layout``; ``extra`` files (the copied runtime, ``pyproject.toml``) are
    written as given; the manifest, listing them all, goes to ``manifest``."""
    env = environment()
    files: Dict[str, bytes] = dict(extra or {})
    for template, path, file_ir in layout.files:
        files[path] = env.get_template(template).render(f=file_ir).encode("utf-8")
    files[manifest] = _manifest(list(files), options.spec_name, sha256)
    block = env.get_template("readme_block.md.j2").render(f=layout.readme)
    package_dir = options.package.replace(".", "/")
    return Plan(
        files=files,
        readme_path=options.readme,
        readme_block=block,
        generated_dirs=(f"{package_dir}/api", f"{package_dir}/models", options.docs_dir),
        manifest=manifest,
    )


def _splice_readme(text: str, block: str) -> Optional[str]:
    """README text with the generated block replaced; ``None`` when the markers are missing."""
    start = text.find(README_BEGIN)
    end = text.find(README_END)
    if start < 0 or end < start:
        return None
    return text[: start + len(README_BEGIN)] + "\n" + block + text[end:]


def _has_banner(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            first = handle.readline(200).decode("utf-8", "replace")
    except OSError:
        return False
    return first.startswith(_BANNERS) and "by codegen" in first


def _manifest_paths(root: Path, manifest: str) -> List[str]:
    try:
        text = (root / manifest).read_text(encoding="utf-8")
    except OSError:
        return []
    return [line for line in text.splitlines() if line and not line.startswith("#") and ":" not in line]


def _stale(root: Path, wanted: Plan) -> List[str]:
    """Files the generator wrote before but would not write now."""
    found: Set[str] = {path for path in _manifest_paths(root, wanted.manifest) if (root / path).is_file()}
    for directory in wanted.generated_dirs:
        base = root / directory
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(name for name in dirnames if name != "__pycache__")
            for filename in filenames:
                path = Path(dirpath) / filename
                if path.suffix in (".py", ".md") and _has_banner(path):
                    found.add(path.relative_to(root).as_posix())
    return sorted(path for path in found if path not in wanted.files)


def _read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None


def check(root: Path, wanted: Plan) -> List[str]:
    """One line per difference between the tree at ``root`` and ``wanted``; empty when up to date."""
    problems: List[str] = []
    for path in sorted(wanted.files):
        current = _read(root / path)
        if current is None:
            problems.append(f"missing: {path}")
        elif current != wanted.files[path]:
            problems.append(f"differs: {path}")
    problems.extend(f"stale: {path}" for path in _stale(root, wanted))
    readme = _read(root / wanted.readme_path)
    if readme is not None:
        text = readme.decode("utf-8", "replace")
        spliced = _splice_readme(text, wanted.readme_block)
        if spliced is not None and spliced != text:
            problems.append(f"differs: {wanted.readme_path} (generated block)")
    return problems


def apply(root: Path, wanted: Plan) -> Tuple[List[str], List[str]]:
    """Write what changed and delete stale files; returns (written, removed) paths."""
    removed = _stale(root, wanted)
    for path in removed:
        (root / path).unlink()
    written: List[str] = []
    for path in sorted(wanted.files):
        target = root / path
        if _read(target) == wanted.files[path]:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(wanted.files[path])
        written.append(path)
    readme_path = root / wanted.readme_path
    readme = _read(readme_path)
    if readme is not None:
        text = readme.decode("utf-8")
        spliced = _splice_readme(text, wanted.readme_block)
        if spliced is not None and spliced != text:
            readme_path.write_bytes(spliced.encode("utf-8"))
            written.append(wanted.readme_path)
    return written, removed
