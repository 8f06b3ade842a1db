"""The examples in docs/ run as written: a user could call every operation from them alone.

Each python example of the generated API pages runs in a fresh interpreter against a
``LocalServer`` (only the host line is pointed at it and the server's key put in the
environment variable the page reads: ``API_KEY`` for the Deployments' ``X-API-Key``); the
pytest example of docs/testing.md runs in a child pytest.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

from tachyon_sdk.testing import LocalServer

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _python_blocks(page: Path) -> List[Tuple[str, str]]:
    """(heading of the method, code) for every python block of a generated API page."""
    text = page.read_text(encoding="utf-8")
    found = []
    for section in re.split(r"^# \*\*", text, flags=re.M)[1:]:
        name = section.split("**", 1)[0]
        for code in re.findall(r"```python\n(.*?)```", section, re.S):
            found.append((name, code))
    return found


EXAMPLES = [(page.name, name, code) for page in sorted(DOCS.glob("*Api.md")) for name, code in _python_blocks(page)]


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACHYON_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


def test_every_operation_has_an_example() -> None:
    names = {name for _, name, _ in EXAMPLES}
    for op in (
        "chat_completion",
        "chat_completion_on_chatroom",
        "get_chat_completions_from_deployment",
        "get_completions_from_deployment",
    ):
        assert op in names and f"{op}_stream" in names


@pytest.mark.parametrize(("page", "name", "code"), EXAMPLES, ids=[f"{p}:{n}" for p, n, _ in EXAMPLES])
def test_api_page_example_runs_against_the_local_server(server: LocalServer, page: str, name: str, code: str) -> None:
    assert 'host = "http://localhost"' in code
    code = code.replace('host = "http://localhost"', f"host = {server.url!r}")
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(API_KEY=server.api_key),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Exception when calling" not in result.stdout, result.stdout
    assert result.stderr == ""
    assert result.stdout.strip()


def test_testing_page_pytest_example_passes(tmp_path: Path) -> None:
    text = (DOCS / "testing.md").read_text(encoding="utf-8")
    section = text.split("## A complete pytest example", 1)[1]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    (tmp_path / "test_example.py").write_text(code, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tachyon_sdk.testing.pytest_plugin",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "failed" not in result.stdout


MODEL_PAGES = sorted(
    p
    for p in DOCS.glob("*.md")
    if not p.name.endswith("Api.md") and p.read_text(encoding="utf-8").startswith("<!-- Generated")
)


def test_model_page_examples_run() -> None:
    """Every generated model page's example (from_json, to_json, to_dict, from_dict) runs as written.

    All pages run in one interpreter, each in its own namespace, to keep the suite fast.
    """
    blocks = []
    for page in MODEL_PAGES:
        found = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        blocks.extend((page.name, code) for code in found)
    assert len(blocks) >= 40
    runner = "import sys\nfor name, code in BLOCKS:\n    try:\n        exec(compile(code, name, 'exec'), {})\n    except Exception as exc:\n        sys.exit(f'{name}: {type(exc).__name__}: {exc}')\n"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", f"BLOCKS = {blocks!r}\n{runner}"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
