"""Fixtures of the generator tests: copies of the repository in a temporary directory."""

from pathlib import Path
from typing import Callable

import pytest

from test.codegen._support import copy_repo


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the spec, generator, package, docs, README and pyproject."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def repo_copy_factory() -> Callable[[Path], Path]:
    return copy_repo
