"""``python -m bench``: runs every workload for every contender and writes ``bench/RESULTS.md``.

Order of a full run: generate (or reuse) the stock client, start the bench server in its own
process, then for each workload run every contender in a fresh worker process, round-robin over
a few rounds so that any drift of the machine touches every contender alike; then the imports in
fresh interpreters; then, for each missed target, a profile of tachyon_sdk (and the floor) on
that workload. ``--smoke`` uses tiny counts and one worker per contender: seconds, not minutes.
A contender that cannot run here is reported as such; speed is never an error.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from bench import contenders as contender_registry
from bench import imports as import_bench
from bench.report import IMPORTS, Report, Result, Results, ok, render, targets
from bench.server import ServerProcess
from bench.stock import StockClient, prepare
from bench.worker import RESULT_PREFIX

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("call", "stream", "ttfc", "memory", "concurrent", "throughput", "import", "aio", "paced")

#: Counts of the full run (about 4 minutes on a 2-core machine) and of the smoke run (seconds).
FULL: Dict[str, Dict[str, Any]] = {
    "call": {"calls": 1000, "repeats": 3, "warmup": 200, "rounds": 5},
    "stream": {"chunks": 10_000, "repeats": 3, "warmup_chunks": 2000, "rounds": 3},
    "ttfc": {"streams": 200, "chunks": 8, "warmup": 20, "rounds": 3},
    "memory": {"chunks": 100_000, "sample_every": 1000, "baseline_at": 1000, "warmup_chunks": 2000, "rounds": 1},
    "concurrent": {"threads": 64, "chunks": 1000, "timeout": 120, "rounds": 1},
    "throughput": {"threads": 16, "calls": 200, "repeats": 3, "warmup": 50, "timeout": 120, "rounds": 3},
    "import": {"runs": 20},
    "aio": {"streams": 1000, "chunks": 32, "transport_calls": 2000, "transport_streams": 64, "transport_chunks": 200},
    "paced": {"chunks": 1000, "rounds": 15, "gap": 0.0005},
}
SMOKE: Dict[str, Dict[str, Any]] = {
    "call": {"calls": 10, "repeats": 2, "warmup": 2, "rounds": 1},
    "stream": {"chunks": 100, "repeats": 2, "warmup_chunks": 10, "rounds": 1},
    "ttfc": {"streams": 3, "chunks": 4, "warmup": 1, "rounds": 1},
    "memory": {"chunks": 2000, "sample_every": 250, "baseline_at": 250, "warmup_chunks": 10, "rounds": 1},
    "concurrent": {"threads": 4, "chunks": 50, "timeout": 30, "rounds": 1},
    "throughput": {"threads": 2, "calls": 5, "repeats": 1, "warmup": 1, "timeout": 30, "rounds": 1},
    "import": {"runs": 1},
    "aio": {"streams": 10, "chunks": 4, "transport_calls": 10, "transport_streams": 2, "transport_chunks": 10},
    "paced": {"chunks": 30, "rounds": 1, "gap": 0.0005},
}
#: Smaller counts for the profiles of missed targets (cProfile slows calls down several times).
PROFILE: Dict[str, Dict[str, Any]] = {
    "call": {"calls": 500, "repeats": 1, "warmup": 50},
    "stream": {"chunks": 5000, "repeats": 1, "warmup_chunks": 500},
    "ttfc": {"streams": 100, "chunks": 8, "warmup": 10},
    "memory": {"chunks": 20_000, "sample_every": 1000, "baseline_at": 1000, "warmup_chunks": 500},
}
_WORKER_TIMEOUT = {"full": 600.0, "smoke": 60.0}


def _log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def _worker(
    contender: str, url: str, workloads: Sequence[Tuple[str, Dict[str, Any]]], env: Dict[str, str], timeout: float
) -> Dict[str, Any]:
    """Run one worker process; its results by workload (errors become ``error`` results)."""
    spec = {"contender": contender, "url": url, "workloads": [[name, params] for name, params in workloads]}
    command = [sys.executable, "-m", "bench.worker", json.dumps(spec)]
    try:
        done = subprocess.run(command, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        failed: Result = {"status": "error", "reason": f"worker timed out after {timeout:.0f} s"}
        return {"results": {name: dict(failed) for name, _ in workloads}}
    line = next((text for text in reversed(done.stdout.splitlines()) if text.startswith(RESULT_PREFIX)), None)
    if line is None:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        failed = {"status": "error", "reason": f"worker failed: {last[:300]}"}
        return {"results": {name: dict(failed) for name, _ in workloads}}
    output: Dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
    return output


def _merge(previous: Optional[Result], new: Result) -> Result:
    """Fold one round's result into the previous rounds' (values and extras concatenated)."""
    if previous is None:
        merged = dict(new)
        merged["extra"] = {
            key: value if isinstance(value, list) else [value] for key, value in new.get("extra", {}).items()
        }
        return merged
    if previous.get("status") != "ok":
        return previous
    if new.get("status") != "ok":
        return new
    previous["values"] = previous["values"] + new["values"]
    for key, value in new.get("extra", {}).items():
        items = previous["extra"].setdefault(key, [])
        items.extend(value if isinstance(value, list) else [value])
    if "profile" in new:
        previous["profile"] = new["profile"]
    return previous


def _environment() -> List[Tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    return [
        ("machine", f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, {cpu}"),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
    ]


def _stock_notes(stock: StockClient) -> List[str]:
    if stock.path is None:
        return [f"Not measured: {stock.reason}."]
    notes = [
        f"Generated from this repository's `openapi.yaml` into the bench work directory (never committed), "
        f"{'in this run' if stock.generated_now else 'reused from an earlier run (same spec and generator)'}:",
        "",
        f"    {stock.command}",
        "",
        "The spec is passed unchanged: the generator accepts our OpenAPI 3.1 document without extra options "
        "or preprocessing. It cannot stream (it reads a `text/event-stream` answer as one body), so its "
        'streaming cells read "cannot stream".',
    ]
    if stock.warnings:
        notes += ["", "Warnings the generator printed:", ""] + [f"- {warning}" for warning in stock.warnings]
    return notes


def _parse(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark tachyon_sdk against its floor and peers."
    )
    parser.add_argument("--smoke", action="store_true", help="tiny counts: proves the harness works, in seconds")
    parser.add_argument("--output", type=Path, default=None, help="Markdown report (default bench/RESULTS.md)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results as JSON here")
    parser.add_argument(
        "--work-dir", type=Path, default=None, help="where the stock client is generated (default bench/.work)"
    )
    parser.add_argument("--contenders", default=",".join(contender_registry.names()),
                        help="comma-separated subset of: " + ", ".join(contender_registry.names()))  # fmt: skip
    parser.add_argument(
        "--workloads", default=",".join(WORKLOADS), help="comma-separated subset of: " + ", ".join(WORKLOADS)
    )
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument("--analysis", type=Path, default=None,
                        help="Markdown appended to a full run's report (default bench/ANALYSIS.md when present)")  # fmt: skip
    args = parser.parse_args(argv)
    for option, allowed in (("contenders", contender_registry.names()), ("workloads", WORKLOADS)):
        chosen = [item.strip() for item in getattr(args, option).split(",") if item.strip()]
        unknown = [item for item in chosen if item not in allowed]
        if unknown:
            parser.error(f"unknown {option}: {', '.join(unknown)}")
        setattr(args, option, chosen)
    return args


def _run_workloads(
    chosen: Sequence[str], names: Sequence[str], settings: Dict[str, Dict[str, Any]], smoke: bool,
    url: str, env: Dict[str, str], stock: StockClient, versions: Dict[str, str],
) -> Results:  # fmt: skip
    results: Results = {}
    timeout = _WORKER_TIMEOUT["smoke" if smoke else "full"]
    runnable = [name for name in names if not (name == "stock" and stock.path is None)]
    for name in names:
        if name not in runnable:
            for workload in chosen:
                results.setdefault(workload, {})[name] = {"status": "unavailable", "reason": stock.reason}
    if smoke:  # one worker per contender, every workload in it
        for name in runnable:
            _log(f"{name}: {', '.join(chosen)}")
            output = _worker(name, url, [(w, _params(settings[w])) for w in chosen], env, timeout)
            versions.update(output.get("versions", {}))
            for workload, result in output["results"].items():
                results.setdefault(workload, {})[name] = _merge(None, result)
        return results
    for workload in chosen:
        rounds = settings[workload].get("rounds", 1)
        for round_index in range(rounds):
            for name in runnable:
                _log(f"{workload} round {round_index + 1}/{rounds}: {name}")
                output = _worker(name, url, [(workload, _params(settings[workload]))], env, timeout)
                versions.update(output.get("versions", {}))
                table = results.setdefault(workload, {})
                table[name] = _merge(table.get(name), output["results"][workload])
    return results


def _params(settings: Dict[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in settings.items() if key != "rounds"}


def _profiles(missed: Sequence[str], url: str, env: Dict[str, str], names: Sequence[str]) -> List[Tuple[str, str]]:
    """cProfile of tachyon_sdk and of the floor on each missed workload."""
    profiles: List[Tuple[str, str]] = []
    for workload in missed:
        if workload not in PROFILE:  # imports: the -X importtime breakdown is in every full report
            continue
        for name in ("tachyon", "floor"):
            if name not in names:
                continue
            _log(f"profile {workload}: {name}")
            params = dict(PROFILE[workload], profile=True)
            output = _worker(name, url, [(workload, params)], env, _WORKER_TIMEOUT["full"])
            result = output["results"][workload]
            text = result.get("profile") or f"no profile: {result.get('reason', result.get('status'))}"
            title = f"{workload}: {contender_registry.CONTENDERS[name][0]} ({_settings_line(PROFILE[workload])})"
            profiles.append((title, text))
    return profiles


def _import_breakdown(env: Dict[str, str], keys: Sequence[str]) -> List[Tuple[str, str]]:
    """``python -X importtime`` of each import statement: own time by package, slowest modules."""
    breakdown: List[Tuple[str, str]] = []
    for key in keys:
        label, statement = IMPORTS[key]
        table = import_bench.importtime(statement, env, str(ROOT))
        if table is None:
            continue
        lines = [f"{statement}: {table['total_ms']:.1f} ms of imports (-X importtime, interpreter start-up included)",
                 "", "own time by top-level package (ms):"]  # fmt: skip
        lines += [f"  {name:<28} {own:8.1f}" for name, own in table["packages"]]
        lines += ["", "slowest modules (own ms, cumulative ms):"]
        lines += [f"  {name:<60} {own:8.1f} {cumulative:8.1f}" for name, own, cumulative in table["modules"]]
        breakdown.append((f"import: {label}", "\n".join(lines)))
    return breakdown


def _settings_line(params: Dict[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in params.items())


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the bench; returns 1 only when tachyon_sdk or the floor could not be measured at all."""
    args = _parse(argv)
    settings = SMOKE if args.smoke else FULL
    output = args.output or ROOT / "bench" / "RESULTS.md"
    work_dir = args.work_dir or ROOT / "bench" / ".work"
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    names: List[str] = args.contenders
    chosen: List[str] = [workload for workload in WORKLOADS if workload in args.workloads]
    versions: Dict[str, str] = {}

    stock = StockClient(reason="not selected")
    if "stock" in names:
        _log("stock client: generating or reusing")
        stock = prepare(ROOT / "openapi.yaml", work_dir)
        if stock.generator_version:
            versions["openapi-generator"] = stock.generator_version
    env = import_bench.child_env([str(ROOT), *([stock.path] if stock.path else [])])

    worker_workloads = [workload for workload in chosen if workload != "import" and workload not in SCRIPTS]
    results: Results = {}
    profiles: List[Tuple[str, str]] = []
    breakdown: List[Tuple[str, str]] = []
    lifetime = 120.0 if args.smoke else 1800.0
    with ServerProcess(lifetime=lifetime, cwd=str(ROOT)) as server:
        _log(f"server on {server.url}")
        results.update(_run_workloads(worker_workloads, names, settings, args.smoke, server.url, env, stock, versions))
        if "import" in chosen:
            results["import"] = _run_imports(names, settings["import"]["runs"], env, stock)
        if "import" in chosen and not args.smoke:
            breakdown = _import_breakdown(
                env, [key for key in ("tachyon_ready", "stock") if ok(results["import"].get(key))]
            )
        if not args.smoke and not args.no_profile:
            missed = sorted(
                {t.profile_workload for t in targets(results) if t.status == "missed" and t.profile_workload}
            )
            profiles = _profiles(missed, server.url, env, names)

    sections = _script_sections(chosen, settings, env, results)

    analysis_path = args.analysis or ROOT / "bench" / "ANALYSIS.md"
    analysis = analysis_path.read_text(encoding="utf-8") if not args.smoke and analysis_path.is_file() else ""
    report = Report(
        mode="smoke" if args.smoke else "full",
        started=started.strftime("%Y-%m-%d %H:%M UTC"),
        seconds=time.perf_counter() - clock,
        environment=_environment(),
        settings={key: dict(value) for key, value in settings.items() if key in chosen},
        results=results,
        versions=versions,
        stock_notes=_stock_notes(stock) if "stock" in names else [],
        profiles=profiles,
        import_breakdown=breakdown,
        analysis=analysis,
        sections=sections,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(report), encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"results": results, "versions": versions}, indent=1), encoding="utf-8")
    for target in targets(results):
        _log(f"target {target.key:<3} {target.status:<8} {target.measured:<12} {target.text}")
    _log(f"wrote {output} in {report.seconds:.0f} s")
    broken = [
        f"{workload}/{name}"
        for workload, table in results.items()
        for name, result in table.items()
        if name in ("tachyon", "floor", "baseline") and result.get("status") == "error"
    ]
    if broken:
        _log("could not measure: " + ", ".join(broken))
        return 1
    return 0


#: Workloads measured by a script of their own (its own server, its own process): title, module, options.
SCRIPTS: Dict[str, List[Tuple[str, str, Dict[str, str]]]] = {
    "aio": [
        (
            "7. asyncio transport: aiohttp against httpx (raw, no SSE, no models)",
            "bench.aio_transport",
            {"--calls": "transport_calls", "--streams": "transport_streams", "--chunks": "transport_chunks"},
        ),
        (
            "8. Concurrent streams on one asyncio client: tachyon_sdk.aio against AsyncOpenAI",
            "bench.aio_load",
            {"--streams": "streams", "--chunks": "chunks"},
        ),
    ],
    "paced": [
        (
            "9. The sync client on the real arrival pattern: one event per HTTP chunk, each alone",
            "bench.sync_paced",
            {"--chunks": "chunks", "--rounds": "rounds", "--gap": "gap"},
        ),
    ],
}


def _script_sections(
    chosen: Sequence[str], settings: Dict[str, Dict[str, Any]], env: Dict[str, str], results: Dict[str, Any]
) -> List[Tuple[str, List[str]]]:
    """The Markdown each script prints, under its title; a script that fails says so in its section.

    A script's ``TARGET <status> <measured>`` line goes to ``results["script"][module]`` (the Targets
    table), not to its section.
    """
    sections: List[Tuple[str, List[str]]] = []
    found: Dict[str, Any] = results.setdefault("script", {})
    for workload in chosen:
        for title, module, options in SCRIPTS.get(workload, []):
            arguments = [str(value) for flag, key in options.items() for value in (flag, settings[workload][key])]
            _log(f"{module} {' '.join(arguments)}")
            settings_text = ", ".join(f"{key} {settings[workload][key]}" for key in options.values())
            lines = [f"Settings: {settings_text}. See the docstring of `{module.replace('.', '/')}.py`.", ""]
            try:
                done = subprocess.run(
                    [sys.executable, "-m", module, *arguments],
                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
                )  # fmt: skip
            except subprocess.TimeoutExpired:
                lines.append("did not finish within 900 s")
            else:
                for line in done.stdout.rstrip().splitlines():
                    if line.startswith("TARGET "):
                        status, _, measured = line[len("TARGET ") :].partition(" ")
                        found[module] = {"status": status, "measured": measured}
                    else:
                        lines.append(line)
                if done.returncode != 0:
                    lines += ["", f"exit status {done.returncode}: {done.stderr.strip()[-500:]}"]
            sections.append((title, lines))
    return sections


def _run_imports(names: Sequence[str], runs: int, env: Dict[str, str], stock: StockClient) -> Dict[str, Result]:
    """Every import statement in fresh interpreters, round-robin so that drift touches all alike."""
    wanted = {
        "baseline": "floor",
        "baseline_models": "floor",
        "tachyon": "tachyon",
        "tachyon_ready": "tachyon",
        "stock": "stock",
        "openai": "openai",
    }
    table: Dict[str, Result] = {}
    keys = [key for key in IMPORTS if wanted[key] in names or key.startswith("baseline")]
    if "stock" in keys and stock.path is None:
        table["stock"] = {"status": "unavailable", "reason": stock.reason}
        keys.remove("stock")
    _log(f"import: {runs} rounds of {', '.join(keys)}")
    for round_index in range(runs):
        for key in keys:
            if round_index and table[key].get("status") != "ok":
                continue
            measured = import_bench.measure(IMPORTS[key][1], 1, env, str(ROOT), warmup=round_index == 0)
            table[key] = _merge(table.get(key), measured)
    return table
