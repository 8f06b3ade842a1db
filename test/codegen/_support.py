"""Helpers for the generator tests: the repository root, copies of it, and subprocess runs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).resolve().parent / "specs"
BANNER = "# Generated from openapi.yaml by codegen — do not edit; run python -m codegen"
TIMEOUT = 300  # seconds; every subprocess ends by itself well before

# what a copy of the repository needs to regenerate and check itself
_COPIED = ("openapi.yaml", "codegen", "tachyon_sdk", "pyproject.toml", "README.md", "docs")
_IGNORED = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache", "*.pyc")


def copy_repo(dest: Path, parts: Iterable[str] = _COPIED) -> Path:
    """Copy the parts of the repository the generator reads and writes into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in parts:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=_IGNORED)
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def env(**extra: str) -> Dict[str, str]:
    """The environment for subprocesses: no bytecode files, no inherited PYTHONPATH."""
    result = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result["PYTHONDONTWRITEBYTECODE"] = "1"
    result.update(extra)
    return result


def run(args: List[str], cwd: Path, extra_env: Optional[Dict[str, str]] = None) -> "subprocess.CompletedProcess[str]":
    """``python <args>`` in ``cwd``; output captured as text."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=str(cwd),
        env=env(**(extra_env or {})),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def snapshot(root: Path, parts: Iterable[str]) -> Dict[str, bytes]:
    """Every file under ``parts`` of ``root`` (bytecode and caches left out), by posix path.

    Inside a folder only generated files (those carrying the banner) count: a folder such as
    ``docs/`` may also hold hand-written pages, which the generator neither writes nor removes.
    """
    files: Dict[str, bytes] = {}
    for part in parts:
        base = root / part
        if base.is_file():
            files[base.relative_to(root).as_posix()] = base.read_bytes()
            continue
        for path in sorted(base.rglob("*")) if base.exists() else []:
            if path.is_file() and "__pycache__" not in path.parts and ".mypy_cache" not in path.parts:
                data = path.read_bytes()
                if data.startswith((b"# Generated from", b"<!-- Generated from")):
                    files[path.relative_to(root).as_posix()] = data
    return files


def manifest_paths(root: Path) -> List[str]:
    """The generated paths listed in ``codegen/GENERATED``."""
    lines = (root / "codegen" / "GENERATED").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#") and ":" not in line]
