"""Fixtures of the ``real`` tests: the real services' published OpenAPI documents and Prism mocks of them.

The documents are not part of the project: they sit beside the checkout, in
``../shared/real-specs`` (relative to the repository root). ``tox -e real`` needs them, so when
``real`` tests are selected and a document is missing the run stops after collection with a
message that says what is missing and a non-zero status (never a skip); a test that asks for
``real_specs`` fails the same way. The default test run deselects the ``real`` marker and never
asks for them.

``tachyon_mock`` and ``emissary_mock`` are Prism in dynamic mock mode (``prism mock -d --errors``)
on the real Tachyon and Emissary documents, started once per session and stopped at its end:
every answer is generated from the document's schemas, and a request the document does not
allow (body, parameters, security) is answered with an HTTP error, never silently accepted.
"""

from pathlib import Path
from typing import Iterator, Optional

import pytest

from test.contract._prism import ROOT, run_prism

REAL_SPECS = ROOT.parent / "shared" / "real-specs"
TACHYON_DOCUMENT = "tachyon/openapi.json"
EMISSARY_DOCUMENT = "emissary/emissary-python@2cdc630_orignial_openapi.yaml"


def _missing() -> Optional[str]:
    """What is missing of the real documents, said for a person; ``None`` when all are there."""
    if not REAL_SPECS.is_dir():
        return (
            "The `real` tests need the real services' OpenAPI documents in ../shared/real-specs "
            f"(beside the checkout), and {REAL_SPECS} does not exist. Put the shared material there "
            "before running `tox -e real`."
        )
    for relative in (TACHYON_DOCUMENT, EMISSARY_DOCUMENT):
        if not (REAL_SPECS / relative).is_file():
            return (
                f"The `real` tests need {relative} in ../shared/real-specs, and {REAL_SPECS / relative} does not exist."
            )
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop the run once, with the message, when `real` tests are selected and the documents are missing."""
    if any(item.get_closest_marker("real") for item in session.items):
        problem = _missing()
        if problem is not None:
            pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def real_specs() -> Path:
    """The directory of the real documents (``../shared/real-specs``); fails when it is missing."""
    problem = _missing()
    if problem is not None:
        pytest.fail(problem)
    return REAL_SPECS


@pytest.fixture(scope="session", autouse=True)
def _needs_real_specs(real_specs: Path) -> None:
    """Every test under test/real needs the documents: without them it fails (never skips)."""


@pytest.fixture(scope="session")
def tachyon_document(real_specs: Path) -> Path:
    """The Tachyon API 0.58.1 document (the chat operations)."""
    return real_specs / TACHYON_DOCUMENT


@pytest.fixture(scope="session")
def emissary_document(real_specs: Path) -> Path:
    """The Emissary document of seeds 000/001 (the deployment operations, ``X-API-Key``)."""
    return real_specs / EMISSARY_DOCUMENT


@pytest.fixture(scope="session")
def tachyon_mock(tachyon_document: Path) -> Iterator[str]:
    """Base URL of a Prism dynamic mock of the real Tachyon document."""
    with run_prism("mock", "-d", "--errors", str(tachyon_document)) as url:
        yield url


@pytest.fixture(scope="session")
def emissary_mock(emissary_document: Path) -> Iterator[str]:
    """Base URL of a Prism dynamic mock of the real Emissary document."""
    with run_prism("mock", "-d", "--errors", str(emissary_document)) as url:
        yield url
