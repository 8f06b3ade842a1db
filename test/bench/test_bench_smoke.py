"""The benchmark harness runs end to end in smoke mode (tiny counts), so it cannot rot.

Speed is never asserted here: only that every workload produced a measurement for the floor and
tachyon_sdk, that nothing ended in an error, and that a contender that is not installed is
reported as such.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[2]
WORKER_WORKLOADS = ("call", "stream", "ttfc", "memory", "concurrent", "throughput")
RUN_TIMEOUT = 180  # seconds; a smoke run takes a few


def _bench(tmp_path: Path, *options: str, env: Dict[str, str]) -> Dict[str, Any]:
    output, raw = tmp_path / "RESULTS.md", tmp_path / "results.json"
    command = [sys.executable, "-m", "bench", "--smoke", "--output", str(output), "--json", str(raw),
               "--work-dir", str(tmp_path / "work"), *options]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, done.stderr
    data: Dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
    data["report"] = output.read_text(encoding="utf-8")
    return data


def _env(*paths: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*(str(path) for path in paths), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def test_smoke_run_measures_every_workload_for_the_floor_and_the_sdk(tmp_path: Path) -> None:
    data = _bench(tmp_path, env=_env())
    results = data["results"]
    for workload in WORKER_WORKLOADS:
        for name in ("floor", "tachyon"):
            result = results[workload][name]
            assert result["status"] == "ok", (workload, name, result)
            assert result["values"], (workload, name)
        for name, result in results[workload].items():
            assert result["status"] in ("ok", "unavailable", "unsupported"), (workload, name, result)
    assert results["concurrent"]["tachyon"]["values"] == [0]  # no stream failed
    assert results["import"]["tachyon"]["status"] == "ok"
    assert results["import"]["baseline"]["status"] == "ok"
    report = data["report"]
    assert report.startswith("# Benchmark results")
    assert "Smoke run" in report
    for title in (
        "## Targets",
        "## 1. ",
        "## 2. ",
        "## 3. ",
        "## 4. ",
        "## 5. ",
        "## 6. ",
        "## 7. ",
        "## 8. ",
        "## 9. ",
    ):
        assert title in report
    # the asyncio load ran on tachyon_sdk.aio with zero errors; the paced stream measured the sync client
    assert re.search(r"^\| tachyon_sdk\.aio \| \d+ \| 0 \| [1-9]", report, re.M), report
    assert re.search(r"^\| tachyon_sdk \| [0-9.]+ \| [0-9.]+ \| [0-9.]+× \|$", report, re.M), report
    # the scripts' verdicts reach the Targets table: the async load and the paced stream measured
    assert set(results["script"]) == {"bench.aio_load", "bench.sync_paced"}
    assert re.search(
        r"^\| 7a \| .* \| ([0-9.]+×, )?0 errors in \d+ streams at once.* \| (met|\*\*missed\*\*|n/a) \|", report, re.M
    )
    assert re.search(r"^\| 7b \| .* \| [0-9.]+× \| (met|\*\*missed\*\*) \|", report, re.M), report
    assert re.search(r"^\| 7c \| .* \| [0-9.]+× \| (met|\*\*missed\*\*) \|", report, re.M), report
    assert "TARGET " not in report


def test_a_contender_that_is_not_installed_is_reported_not_an_error(tmp_path: Path) -> None:
    # Packages that shadow openai and the generator and refuse to import: as if not installed.
    hidden = tmp_path / "hidden"
    for package in ("openai", "openapi_generator_cli"):
        (hidden / package).mkdir(parents=True)
        (hidden / package / "__init__.py").write_text(f"raise ImportError('{package} hidden by the test')\n")
    data = _bench(tmp_path, "--contenders", "floor,stock,openai", "--workloads", "call,stream,import", env=_env(hidden))
    results = data["results"]
    assert results["call"]["floor"]["status"] == "ok"
    for workload in ("call", "stream"):
        for name in ("stock", "openai"):
            result = results[workload][name]
            assert result["status"] == "unavailable", (workload, name, result)
            assert "not installed" in result["reason"]
    assert results["import"]["openai"]["status"] == "unavailable"
    lines: List[str] = [line for line in data["report"].splitlines() if line.startswith("| openai-python |")]
    assert lines and all("not installed" in line for line in lines)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # an exited process that nobody reaped yet is a zombie: not running
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _wait_gone(pid: int, limit: float) -> bool:
    """True once ``pid`` no longer runs (bounded wait)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.05)
    return False


def test_the_server_stops_by_itself_after_its_lifetime(tmp_path: Path) -> None:
    from bench.server import ServerProcess

    server = ServerProcess(lifetime=0.5, cwd=str(ROOT)).start()
    try:
        process = server.process
        assert process is not None
        assert process.wait(timeout=30) == 0
    finally:
        server.stop()


def test_the_server_stops_when_its_parent_dies(tmp_path: Path) -> None:
    # A parent that starts the server, prints its pid and exits without stopping it.
    script = (
        "import sys\n"
        "from bench.server import ServerProcess\n"
        "server = ServerProcess(lifetime=120, cwd=sys.argv[1]).start()\n"
        "assert server.process is not None\n"
        "print(server.process.pid, flush=True)\n"
    )
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:  # not a pipe: the server inherits it and outlives the parent
        done = subprocess.run(
            [sys.executable, "-c", script, str(ROOT)], cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=stderr,
            text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 0, errors.read_text()
    pid = int(done.stdout.split()[0])
    if not _wait_gone(pid, 30):
        os.kill(pid, 9)
        raise AssertionError("the server outlived its parent")
