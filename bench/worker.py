"""Runs workloads for one contender in this (fresh) process and prints the measurements.

``python -m bench.worker '<spec json>'`` where the spec is
``{"contender": "tachyon", "url": "http://127.0.0.1:N", "workloads": [["call", {...}], ...]}``.
The last line of stdout is ``BENCH-RESULT {json}``: per workload ``status`` (``ok``,
``unavailable``, ``unsupported`` or ``error``), ``values`` (one per repetition), ``unit`` and
``extra``. CPU is this process's CPU time (``time.process_time``: user + system, all threads),
so the server's work, done in another process, is never counted.
"""

import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import threading
import time
import traceback
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Type

from bench.contenders import Contender, Unavailable, load
from bench.payloads import expected_content

RESULT_PREFIX = "BENCH-RESULT "
STREAMING_WORKLOADS = frozenset({"stream", "ttfc", "memory", "concurrent"})
_MB = 1024 * 1024
_PROFILE_LINES = 18
_CUMULATIVE_FILTER = r"tachyon_sdk|contenders|poolmanager|connectionpool|urllib3/response"

Result = Dict[str, Any]
Factory = Callable[[int], Contender]

_profiler: Optional[cProfile.Profile] = None  # set by run_one when the workload is profiled


@contextlib.contextmanager
def _measured() -> Iterator[None]:
    """The measured part of a workload: profiled when asked (set-up, imports and warm-up are not)."""
    if _profiler is not None:
        _profiler.enable()
    try:
        yield
    finally:
        if _profiler is not None:
            _profiler.disable()


def rss_bytes() -> Optional[int]:
    """The resident set size of this process now, or ``None`` where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import psutil  # type: ignore[import-untyped]  # optional, for systems without /proc
    except ImportError:
        return None
    rss: int = psutil.Process().memory_info().rss
    return rss


def _mb(value: Optional[int]) -> Optional[float]:
    return None if value is None else value / _MB


def _consume(contender: Contender, chunks: int) -> int:
    count = 0
    for _ in contender.stream(chunks):
        count += 1
    if count != chunks:
        raise RuntimeError(f"stream yielded {count} chunks, expected {chunks}")
    return count


def _check(contender: Contender) -> None:
    content = contender.call()
    if content != expected_content():
        raise RuntimeError(f"unexpected message content: {content!r:.80}")


def workload_call(factory: Factory, params: Dict[str, Any]) -> Result:
    """Non-streamed calls on one client: CPU microseconds per call, per repetition."""
    contender = factory(1)
    calls, repeats = params["calls"], params["repeats"]
    _check(contender)
    for _ in range(params["warmup"]):
        contender.call()
    cpu: List[float] = []
    wall: List[float] = []
    for _ in range(repeats):
        with _measured():
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(calls):
                contender.call()
            cpu.append((time.process_time() - cpu0) / calls * 1e6)
            wall.append((time.perf_counter() - wall0) / calls * 1e6)
    contender.close()
    return {"values": cpu, "unit": "µs CPU/call", "extra": {"wall_us": wall}}


def workload_stream(factory: Factory, params: Dict[str, Any]) -> Result:
    """One stream of ``chunks`` chunks: CPU microseconds per chunk, per repetition."""
    contender = factory(1)
    chunks = params["chunks"]
    _consume(contender, params["warmup_chunks"])
    cpu: List[float] = []
    wall: List[float] = []
    for _ in range(params["repeats"]):
        with _measured():
            cpu0, wall0 = time.process_time(), time.perf_counter()
            _consume(contender, chunks)
            cpu.append((time.process_time() - cpu0) / chunks * 1e6)
            wall.append((time.perf_counter() - wall0) / chunks * 1e6)
    contender.close()
    return {"values": cpu, "unit": "µs CPU/chunk", "extra": {"wall_us": wall}}


def workload_ttfc(factory: Factory, params: Dict[str, Any]) -> Result:
    """Wall milliseconds from the call to the first chunk, one value per stream."""
    contender = factory(1)
    chunks = params["chunks"]
    values: List[float] = []
    for index in range(params["warmup"] + params["streams"]):
        with _measured() if index >= params["warmup"] else contextlib.nullcontext():
            start = time.perf_counter()
            iterator = contender.stream(chunks)
            next(iterator)
            first = time.perf_counter() - start
        for _ in iterator:
            pass
        if index >= params["warmup"]:
            values.append(first * 1e3)
    contender.close()
    return {"values": values, "unit": "ms to first chunk"}


def workload_memory(factory: Factory, params: Dict[str, Any]) -> Result:
    """RSS growth (MB) over one long stream, from a baseline taken after its first chunks."""
    contender = factory(1)
    _consume(contender, params["warmup_chunks"])
    gc.collect()
    chunks, every, baseline_at = params["chunks"], params["sample_every"], params["baseline_at"]
    base: Optional[int] = None
    peak = 0
    count = 0
    with _measured():
        for _ in contender.stream(chunks):
            count += 1
            if count % every == 0:
                rss = rss_bytes()
                if rss is None:
                    break
                if count == baseline_at:
                    base = rss
                elif base is not None:
                    peak = max(peak, rss)
    end = rss_bytes()
    contender.close()
    if base is None or end is None:
        return {"status": "unsupported", "reason": "RSS cannot be read on this system"}
    if count != chunks:
        raise RuntimeError(f"stream yielded {count} chunks, expected {chunks}")
    peak = max(peak, end, base)
    return {
        "values": [(peak - base) / _MB],
        "unit": "MB RSS growth",
        "extra": {"rss_base_mb": _mb(base), "rss_peak_mb": _mb(peak), "rss_end_mb": _mb(end)},
    }


def _run_threads(count: int, target: Callable[[int], None], start: threading.Event) -> List[threading.Thread]:
    threads = [threading.Thread(target=target, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    start.set()
    return threads


def workload_concurrent(factory: Factory, params: Dict[str, Any]) -> Result:
    """``threads`` streams at once on threads sharing one client: errors and peak RSS."""
    threads_count, chunks = params["threads"], params["chunks"]
    contender = factory(threads_count)
    _consume(contender, 100)
    gc.collect()
    before = rss_bytes()
    errors: List[str] = []
    counts = [0] * threads_count
    failed = [False] * threads_count
    start = threading.Event()

    def run(index: int) -> None:
        start.wait()
        try:
            for _ in contender.stream(chunks):
                counts[index] += 1
        except Exception as exc:  # every failure is counted and reported, never raised
            failed[index] = True
            errors.append(f"{type(exc).__name__}: {exc}")

    wall0, cpu0 = time.perf_counter(), time.process_time()
    threads = _run_threads(threads_count, run, start)
    peak = before or 0
    deadline = time.monotonic() + params["timeout"]
    while any(thread.is_alive() for thread in threads) and time.monotonic() < deadline:
        peak = max(peak, rss_bytes() or 0)
        time.sleep(0.01)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    hung = sum(thread.is_alive() for thread in threads)
    failures = sum(1 for index in range(threads_count) if failed[index] or counts[index] != chunks)
    contender.close()
    return {
        "values": [failures],
        "unit": "errors",
        "extra": {
            "rss_before_mb": _mb(before),
            "rss_peak_mb": _mb(peak) if before is not None else None,
            "chunks": sum(counts),
            "expected_chunks": chunks * threads_count,
            "hung_threads": hung,
            "first_error": errors[0] if errors else None,
            "wall_s": wall,
            "cpu_us_per_chunk": cpu / max(sum(counts), 1) * 1e6,
        },
    }


def workload_throughput(factory: Factory, params: Dict[str, Any]) -> Result:
    """Non-streamed calls from ``threads`` threads sharing one client: calls per second (wall)."""
    threads_count, calls = params["threads"], params["calls"]
    contender = factory(threads_count)
    _check(contender)
    for _ in range(params["warmup"]):
        contender.call()
    errors: List[str] = []
    rates: List[float] = []
    cpu_per_call: List[float] = []
    for _ in range(params["repeats"]):
        start = threading.Event()

        def run(_index: int, start: threading.Event = start) -> None:
            start.wait()
            try:
                for _ in range(calls):
                    contender.call()
            except Exception as exc:  # reported below
                errors.append(f"{type(exc).__name__}: {exc}")

        wall0, cpu0 = time.perf_counter(), time.process_time()
        for thread in _run_threads(threads_count, run, start):
            thread.join(params["timeout"])
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        if errors:
            raise RuntimeError(f"{len(errors)} calls failed, first: {errors[0]}")
        rates.append(threads_count * calls / wall)
        cpu_per_call.append(cpu / (threads_count * calls) * 1e6)
    contender.close()
    return {"values": rates, "unit": "calls/s", "extra": {"cpu_us_per_call": cpu_per_call}}


WORKLOADS: Dict[str, Callable[[Factory, Dict[str, Any]], Result]] = {
    "call": workload_call,
    "stream": workload_stream,
    "ttfc": workload_ttfc,
    "memory": workload_memory,
    "concurrent": workload_concurrent,
    "throughput": workload_throughput,
}


def _profile_text(profiler: cProfile.Profile) -> str:
    """Top functions by own time, then the SDK's and urllib3's entry points by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(_PROFILE_LINES)
    out.write("\n--- cumulative, SDK and transport entry points ---\n")
    stats.sort_stats("cumulative").print_stats(_CUMULATIVE_FILTER, _PROFILE_LINES)
    text = out.getvalue()
    prefixes = sorted({p for p in sys.path if p and os.path.isdir(p)} | {os.getcwd()}, key=len, reverse=True)
    for prefix in prefixes:
        text = text.replace(prefix.rstrip(os.sep) + os.sep, "")
    keep = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("Ordered by", "List reduced", "Random listing")):
            continue
        keep.append(line.rstrip())
    return "\n".join(keep)


def run_one(cls: Type[Contender], url: str, name: str, params: Dict[str, Any]) -> Result:
    """Run one workload; failures become an ``error`` result."""
    if name in STREAMING_WORKLOADS and not cls.can_stream:
        return {"status": "unsupported", "reason": "cannot stream"}

    def factory(pool_size: int) -> Contender:
        return cls(url, pool_size)

    global _profiler
    profiler = _profiler = cProfile.Profile() if params.get("profile") else None
    try:
        result = WORKLOADS[name](factory, params)
    except Exception as exc:
        tail = traceback.format_exc().strip().splitlines()[-6:]
        return {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:300], "traceback": tail}
    finally:
        _profiler = None
    result.setdefault("status", "ok")
    if profiler is not None:
        result["profile"] = _profile_text(profiler)
    return result


def run(spec: Dict[str, Any]) -> Dict[str, Any]:
    """Run every workload of the spec for its contender, in order."""
    workloads: List[Tuple[str, Dict[str, Any]]] = [(name, params) for name, params in spec["workloads"]]
    try:
        cls = load(spec["contender"])
    except Unavailable as exc:
        reason = str(exc)
        return {"results": {name: {"status": "unavailable", "reason": reason} for name, _ in workloads}}
    results = {name: run_one(cls, spec["url"], name, params) for name, params in workloads}
    return {"results": results, "versions": cls.versions()}


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = run(json.loads(args[0]))
    sys.stdout.write(RESULT_PREFIX + json.dumps(output) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
