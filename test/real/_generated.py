"""Fixtures of ``test_generated_packages.py``: each real document generated with one command, installed, mocked.

Each document is generated with no extra flag (``python -m codegen --spec DOC --package P --output DIR``)
and ``pip install``-ed into a target directory of its own (nothing from an index: the build backend
and the dependencies are this environment's own); the targets go on ``sys.path``, so the tests import
the installed packages. One ``mypy --strict`` runs over all of them. ``generated_mock(key)`` is a Prism
dynamic mock of the document, started once per session: the Tachyon and Emissary ones are
``conftest.py``'s (shared with ``test_prism_mocks.py``), the Atoma and Mistral ones are seeded, so the
answers Prism makes up are the same in every run.
"""

import os
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import pytest

from test.contract._prism import ROOT, run_prism

TIMEOUT = 600  # seconds for one subprocess (pip, mypy over all the packages); each ends long before
PRISM_SEED = "tachyon-sdk-real"

# key -> (document under ../shared/real-specs, package name)
DOCUMENTS: Dict[str, Tuple[str, str]] = {
    "atoma_46e43c3": ("atoma/atoma-proxy@46e43c3_openapi.yml", "atoma_46e43c3"),
    "atoma_bd869bb": ("atoma/atoma-proxy@bd869bb_openapi.yml", "atoma_bd869bb"),
    "mistral_14761ca": ("testsdk-mistral/mistral-openapi@tryAGI-Mistral-14761ca.yaml", "mistral_14761ca"),
    "mistral_8a53300": ("testsdk-mistral/mistral-openapi@tryAGI-Mistral-8a53300.yaml", "mistral_8a53300"),
    "emissary": ("emissary/emissary-python@2cdc630_orignial_openapi.yaml", "emissary_client"),
    "tachyon": ("tachyon/openapi.json", "tachyon_api"),
}
_SHARED_MOCKS = {"tachyon": "tachyon_mock", "emissary": "emissary_mock"}  # conftest.py's fixtures


def _env(**extra: str) -> Dict[str, str]:
    result = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result["PYTHONDONTWRITEBYTECODE"] = "1"
    result.update(extra)
    return result


def run(args: List[str], cwd: Path, **extra: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, *args],
        cwd=str(cwd),
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@dataclass(frozen=True)
class Built:
    """One document's package: where it was generated and installed, and what the generator and pip said."""

    key: str
    package: str
    output: Path
    target: Path
    generator: "subprocess.CompletedProcess[str]"
    install: "subprocess.CompletedProcess[str]"


@pytest.fixture(scope="session")
def built(real_specs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Built]]:
    """Every document generated (one command, no extra flag) and pip-installed; the targets on sys.path."""
    root = tmp_path_factory.mktemp("generated")
    result: Dict[str, Built] = {}
    for key, (document, package) in DOCUMENTS.items():
        output, target = root / key / "out", root / key / "site"
        target.mkdir(parents=True)
        generator = run(
            ["-m", "codegen", "--spec", str(real_specs / document), "--package", package, "--output", str(output)], ROOT
        )
        install = run(
            ["-m", "pip", "--disable-pip-version-check", "install", "--no-index", "--no-build-isolation", "--no-deps"]
            + ["--target", str(target), str(output)],
            root,
        )
        result[key] = Built(key, package, output, target, generator, install)
    entries = [str(item.target) for item in result.values()]
    sys.path[:0] = entries
    try:
        yield result
    finally:
        for entry in entries:
            if entry in sys.path:
                sys.path.remove(entry)


@pytest.fixture(scope="session")
def mypy_result(
    built: Dict[str, Built], tmp_path_factory: pytest.TempPathFactory
) -> "subprocess.CompletedProcess[str]":
    """One ``mypy --strict`` over every installed package (found on MYPYPATH, as in a user's project)."""
    work = tmp_path_factory.mktemp("mypy")
    args = ["-m", "mypy", "--strict", "--cache-dir", str(work / ".mypy_cache")]
    for item in built.values():
        args += ["-p", item.package]
    return run(args, work, MYPYPATH=os.pathsep.join(str(item.target) for item in built.values()))


@pytest.fixture(scope="session")
def generated_mock(real_specs: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """``generated_mock(key)``: the URL of a Prism dynamic mock of that document, started once per session."""
    running: Dict[str, str] = {}
    with ExitStack() as stack:

        def start(key: str) -> str:
            if key not in running:
                if key in _SHARED_MOCKS:
                    running[key] = request.getfixturevalue(_SHARED_MOCKS[key])
                else:
                    document = str(real_specs / DOCUMENTS[key][0])
                    running[key] = stack.enter_context(run_prism("mock", "-d", "--seed", PRISM_SEED, document))
            return running[key]

        yield start
