"""Import cost in fresh interpreters, and ``-X importtime`` breakdowns.

Each measurement is a new ``python -c`` process that times one import statement with
``time.process_time`` (CPU) and ``time.perf_counter`` (wall) around it, so interpreter start-up
is excluded and only the statement's own cost is counted. One unmeasured run first writes the
bytecode caches.
"""

import os
import re
import subprocess
import sys
from collections import defaultdict
from typing import Any, Dict, List, Mapping, Optional, Tuple

_PREFIX = "BENCH-IMPORT "
_TIMER = (
    "import sys, time\n"
    "m0 = len(sys.modules); c0 = time.process_time(); w0 = time.perf_counter()\n"
    "{statement}\n"
    "c1 = time.process_time(); w1 = time.perf_counter()\n"
    "print('" + _PREFIX + "%r %r %d' % ((c1 - c0) * 1e3, (w1 - w0) * 1e3, len(sys.modules) - m0))\n"
)
_IMPORTTIME_RE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def _run(
    code: str, env: Mapping[str, str], cwd: str, timeout: float, extra: Tuple[str, ...] = ()
) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, *extra, "-c", code], env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def measure(
    statement: str, runs: int, env: Mapping[str, str], cwd: str, timeout: float = 60.0, warmup: bool = True
) -> Dict[str, Any]:
    """Time ``statement`` in ``runs`` fresh interpreters: CPU ms values, wall ms, module count.

    :param warmup: run it once unmeasured first, which writes the bytecode caches.

    :returns: ``{"status": "ok", "values": [...], "extra": {...}}`` or a ``status`` of
        ``unavailable`` (the statement raised ``ImportError``) or ``error``.
    """
    code = _TIMER.format(statement=statement)
    cpu: List[float] = []
    wall: List[float] = []
    modules = 0
    first = 0 if warmup else 1
    for index in range(first, runs + 1):
        try:
            done = _run(code, env, cwd, timeout)
        except subprocess.TimeoutExpired:
            return {"status": "error", "reason": f"timed out after {timeout} s"}
        line = next((text for text in done.stdout.splitlines() if text.startswith(_PREFIX)), None)
        if done.returncode != 0 or line is None:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            status = "unavailable" if "ModuleNotFoundError" in last or "ImportError" in last else "error"
            reason = f"not installed ({last})" if status == "unavailable" else last
            return {"status": status, "reason": reason[:300]}
        if index == 0:
            continue  # the first run writes the bytecode caches
        cpu_ms, wall_ms, count = line[len(_PREFIX) :].split()
        cpu.append(float(cpu_ms))
        wall.append(float(wall_ms))
        modules = int(count)
    return {"status": "ok", "values": cpu, "unit": "ms CPU", "extra": {"wall_ms": wall, "modules": modules}}


def importtime(statement: str, env: Mapping[str, str], cwd: str, top: int = 12) -> Optional[Dict[str, Any]]:
    """``python -X importtime`` of ``statement``: own time per top-level package and slowest modules.

    :returns: ``None`` when the statement fails.
    """
    try:
        done = _run(statement, env, cwd, 60.0, ("-X", "importtime"))
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    per_package: Dict[str, int] = defaultdict(int)
    modules: List[Tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        match = _IMPORTTIME_RE.match(line)
        if match is None:
            continue
        own, cumulative, name = int(match.group(1)), int(match.group(2)), match.group(4)
        per_package[name.split(".")[0]] += own
        modules.append((own, cumulative, name))
    total = sum(per_package.values())
    packages = sorted(per_package.items(), key=lambda item: item[1], reverse=True)[:top]
    slowest = sorted(modules, reverse=True)[:top]
    return {
        "statement": statement,
        "total_ms": total / 1e3,
        "packages": [(name, own / 1e3) for name, own in packages],
        "modules": [(name, own / 1e3, cumulative / 1e3) for own, cumulative, name in slowest],
    }


def child_env(paths: List[str]) -> Dict[str, str]:
    """This process's environment with ``paths`` first on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [env.get("PYTHONPATH", "")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
