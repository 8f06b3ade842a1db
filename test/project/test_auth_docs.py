"""docs/authentication.md runs as written against a LocalServer standing in for each real host.

Each python block of the page runs in a fresh interpreter; only what points at the real
services changes: ``server_index=N`` becomes the local server's ``host``, and the placeholder
keys become the key the local server requires. Every block must finish without an exception,
and the requests the server recorded must carry the credentials the page says they do.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from tachyon_sdk.testing import LocalServer

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "authentication.md"
BLOCKS: List[str] = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(api_key="emissary-key-for-docs") as local:
        yield local


def _env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACHYON_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _localised(code: str, server: LocalServer) -> str:
    code = re.sub(r"server_index=\d+", f"host={server.url!r}", code)
    return code.replace('"xxxxx"', repr(server.api_key)).replace('"another-key"', repr(server.api_key))


def test_the_page_has_one_example_per_way_of_authenticating() -> None:
    assert len(BLOCKS) == 3
    assert "chat_completion(" in BLOCKS[0] and '{"api_key": "xxxxx"}' in BLOCKS[1] and "_request_auth" in BLOCKS[2]


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_each_example_runs_against_the_local_server(server: LocalServer, index: int) -> None:
    before = len(server.requests)

    done = subprocess.run(
        [sys.executable, "-c", _localised(BLOCKS[index], server)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    sent = server.requests[before:]
    assert len(sent) == 1
    headers = {name.lower(): value for name, value in sent[0].headers.items()}
    if index == 0:
        assert headers["x-operator-id"] == "tn_xxxxxx" and "x-api-key" not in headers
    else:
        assert "authorization" not in headers and "x-api-key" in headers
