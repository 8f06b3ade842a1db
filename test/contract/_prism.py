"""Start and stop the Prism pinned in package.json, for the contract tests and the ``real`` tests.

``run_prism(*args)`` is a context manager: it installs the pinned Prism with ``npm ci`` when
``node_modules`` lacks it, starts ``prism <args> -h 127.0.0.1 -p <free port>``, waits (at most
:data:`START_TIMEOUT` seconds) until the port accepts connections and yields the base URL; on exit
it stops the process (terminate, then kill) and waits for it. Prism's output goes to a temporary
log whose tail is in the failure message when Prism exits early or never listens.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
NPM_TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def _wait_for_port(port: int, proc: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Prism exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"Prism did not listen within {START_TIMEOUT} s:\n{_tail(log)}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the Prism tests (.ci/run installs it)")
    if not PRISM.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the pinned Prism (npm ci)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, timeout=NPM_TIMEOUT)
    return node


@contextmanager
def run_prism(*args: str) -> Iterator[str]:
    """Run ``prism <args>`` on 127.0.0.1 and yield its base URL (``http://127.0.0.1:<port>``)."""
    node = _node()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "prism.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [node, str(PRISM), *args, "-h", "127.0.0.1", "-p", str(port)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1"},
            )
            try:
                _wait_for_port(port, proc, log)
                yield f"http://127.0.0.1:{port}"
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=STOP_TIMEOUT)


def violations(headers: Any) -> List[Dict[str, Any]]:
    """The violations Prism reports in the ``sl-violations`` response header (none: ``[]``)."""
    raw = headers.get("sl-violations") if headers is not None else None
    return json.loads(raw) if raw else []
