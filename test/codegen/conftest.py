"""Fixtures of the generator tests: copies of the repository, and the clients generated from test specs."""

import subprocess
from pathlib import Path
from typing import Callable, Dict, Iterator

import pytest

from test.codegen._clients import Generated, generate_all, on_path, run_mypy, run_ruff
from test.codegen._support import copy_repo


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the spec, generator, package, docs, README and pyproject."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def repo_copy_factory() -> Callable[[Path], Path]:
    return copy_repo


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Every feature and public spec generated once, importable for the whole session."""
    result = generate_all(tmp_path_factory.mktemp("clients"))
    with on_path(result):
        yield result


@pytest.fixture(scope="session")
def lint_results(generated: Generated) -> Dict[str, "subprocess.CompletedProcess[str]"]:
    """One ``mypy --strict``, one ``ruff check`` and one ``ruff format --check`` over every client."""
    return {
        "mypy": run_mypy(generated),
        "ruff check": run_ruff(generated, "check"),
        "ruff format": run_ruff(generated, "format", "--check"),
    }
