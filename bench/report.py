"""Statistics, target checks and the Markdown of ``bench/RESULTS.md``.

Every number in a table is the median over the repeated runs; the spread is the range of the
runs (min–max), or the 10th–90th percentiles for per-stream samples. Ratios divide medians.
"""

import statistics
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bench.contenders import CONTENDERS

Result = Dict[str, Any]
Results = Dict[str, Dict[str, Result]]  # workload -> contender (or import key) -> result

#: Import statements measured by workload 4, by key: (label, statement).
IMPORTS: Dict[str, Tuple[str, str]] = {
    "baseline": ("`import urllib3, pydantic`", "import urllib3, pydantic"),
    "baseline_models": (
        "`import urllib3; from pydantic import BaseModel, Field, TypeAdapter`",
        "import urllib3; from pydantic import BaseModel, Field, TypeAdapter",
    ),
    "tachyon": ("`import tachyon_sdk`", "import tachyon_sdk"),
    "tachyon_ready": (
        "`from tachyon_sdk import ApiClient, ChatApi, ChatCompletionRequest, Configuration`",
        "from tachyon_sdk import ApiClient, ChatApi, ChatCompletionRequest, Configuration",
    ),
    "stock": ("`import stock_client` (OpenAPI Generator python)", "import stock_client"),
    "openai": ("`import openai`", "import openai"),
}

WORKLOAD_TITLES: Dict[str, str] = {
    "call": "1. Non-streamed chat completion, many calls on one client",
    "stream": "2. One long stream",
    "ttfc": "3. Time to first chunk",
    "import": "4. Import in a fresh interpreter",
    "memory": "5. Memory",
    "throughput": "6. Throughput with threads sharing one client",
}


def median(values: Sequence[float]) -> Optional[float]:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ok(result: Optional[Result]) -> bool:
    return bool(result) and result is not None and result.get("status") == "ok" and bool(result.get("values"))


def med(result: Optional[Result]) -> Optional[float]:
    return median(result["values"]) if result is not None and ok(result) else None


def extra_median(result: Optional[Result], key: str) -> Optional[float]:
    """Median of an ``extra`` entry (a list after merging the rounds), ignoring ``None``."""
    if result is None or not ok(result):
        return None
    value = result.get("extra", {}).get(key)
    items = value if isinstance(value, list) else [value]
    numbers = [item for item in items if isinstance(item, (int, float))]
    return median(numbers)


def num(value: Optional[float], unit: str = "") -> str:
    """A number with three significant digits or so."""
    if value is None:
        return "—"
    size = abs(value)
    text = (
        f"{value:.0f}"
        if size >= 100
        else f"{value:.1f}"
        if size >= 10
        else f"{value:.2f}"
        if size >= 0.1
        else f"{value:.3f}"
    )
    return text + unit


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def ratio_text(value: Optional[float]) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}×" if value < 0.1 else f"{value:.2f}×"


def spread(result: Result, percentiles: bool = False) -> str:
    values = result["values"]
    if percentiles:
        return f"{num(percentile(values, 0.1))}–{num(percentile(values, 0.9))}"
    return f"{num(min(values))}–{num(max(values))}"


def status_text(result: Optional[Result]) -> str:
    """The cell for a contender that has no number: why."""
    if result is None:
        return "not run"
    status = result.get("status")
    reason = str(result.get("reason", ""))
    if status == "unsupported":
        return reason or "unsupported"
    if status == "unavailable":
        return reason or "not installed"
    return f"error: {reason}" if reason else "error"


@dataclass
class Target:
    """One target of the issue, checked on this run."""

    key: str
    workload: str
    text: str
    measured: str
    status: str  # "met" | "missed" | "n/a" | "reported"
    note: str = ""
    profile_workload: Optional[str] = None  # workload whose tachyon profile explains a miss


def _check(
    key: str,
    workload: str,
    text: str,
    value: Optional[float],
    limit: float,
    shown: str,
    why: str,
    profile: Optional[str],
) -> Target:
    if value is None:
        return Target(key, workload, text, "—", "n/a", why)
    return Target(key, workload, text, shown, "met" if value <= limit else "missed", profile_workload=profile)


def _bound(target: Target, floor_ratio: Optional[float], limit: float, peer: str) -> None:
    """Note the floor's own ratio to the peer: no client over urllib3 + json does better."""
    if floor_ratio is None or target.status == "n/a":
        return
    target.note = f"the floor itself is {ratio_text(floor_ratio)} {peer}"
    if floor_ratio > limit:
        target.note += ": out of reach for any client over urllib3 + json"


def targets(results: Results) -> List[Target]:
    """Every target of the issue, met or missed, on this run's medians."""
    call, stream, ttfc = results.get("call", {}), results.get("stream", {}), results.get("ttfc", {})
    imports, memory, throughput = results.get("import", {}), results.get("memory", {}), results.get("throughput", {})
    concurrent = results.get("concurrent", {})
    out: List[Target] = []

    def missing(*pairs: Tuple[Mapping[str, Result], str]) -> str:
        names = [name for table, name in pairs if not ok(table.get(name))]
        return "no measurement for " + ", ".join(names) if names else ""

    value = ratio(med(call.get("tachyon")), med(call.get("floor")))
    out.append(_check("1a", "call", "CPU per call ≤ 1.3× the floor", value, 1.3, ratio_text(value),
                      missing((call, "tachyon"), (call, "floor")), "call"))  # fmt: skip
    value = ratio(med(call.get("tachyon")), med(call.get("stock")))
    out.append(_check("1b", "call", "CPU per call ≤ 0.6× the stock generator client", value, 0.6, ratio_text(value),
                      missing((call, "tachyon"), (call, "stock")), "call"))  # fmt: skip
    _bound(out[-1], ratio(med(call.get("floor")), med(call.get("stock"))), 0.6, "stock")
    value = ratio(med(stream.get("tachyon")), med(stream.get("floor")))
    out.append(_check("2a", "stream", "CPU per chunk ≤ 1.5× the floor", value, 1.5, ratio_text(value),
                      missing((stream, "tachyon"), (stream, "floor")), "stream"))  # fmt: skip
    value = ratio(med(stream.get("tachyon")), med(stream.get("openai")))
    out.append(_check("2b", "stream", "CPU per chunk ≤ 0.5× openai-python", value, 0.5, ratio_text(value),
                      missing((stream, "tachyon"), (stream, "openai")), "stream"))  # fmt: skip
    _bound(out[-1], ratio(med(stream.get("floor")), med(stream.get("openai"))), 0.5, "openai-python")
    first, floor_first = med(ttfc.get("tachyon")), med(ttfc.get("floor"))
    value = None if first is None or floor_first is None else first - floor_first
    out.append(_check("3", "ttfc", "time to first chunk within 1 ms of the floor", value, 1.0,
                      f"{value:+.3f} ms" if value is not None else "—",
                      missing((ttfc, "tachyon"), (ttfc, "floor")), "ttfc"))  # fmt: skip
    value = ratio(med(imports.get("tachyon")), med(imports.get("baseline")))
    out.append(_check("4a", "import", "`import tachyon_sdk` ≤ 1.3× `import urllib3, pydantic`", value, 1.3,
                      ratio_text(value), missing((imports, "tachyon"), (imports, "baseline")), "import"))  # fmt: skip
    ready = med(imports.get("tachyon_ready"))
    if ready is not None and out[-1].status != "n/a":
        out[-1].note = (f"ready to call: {ratio_text(ratio(ready, med(imports.get('baseline'))))} of it, "
                        f"{ratio_text(ratio(ready, med(imports.get('baseline_models'))))} of urllib3 + BaseModel")  # fmt: skip
    value = ratio(med(imports.get("tachyon")), med(imports.get("stock")))
    out.append(_check("4b", "import", "`import tachyon_sdk` ≤ 0.5× importing the stock client", value, 0.5,
                      ratio_text(value), missing((imports, "tachyon"), (imports, "stock")), "import"))  # fmt: skip
    if ready is not None and out[-1].status != "n/a":
        out[-1].note = f"ready to call: {ratio_text(ratio(ready, med(imports.get('stock'))))}"
    value = med(memory.get("tachyon"))
    out.append(_check("5a", "memory", "RSS growth ≤ 2 MB over the long stream", value, 2.0,
                      num(value, " MB"), missing((memory, "tachyon")), "memory"))  # fmt: skip
    value = med(concurrent.get("tachyon"))
    out.append(_check("5b", "memory", "concurrent streams on threads sharing one ApiClient: zero errors", value, 0.0,
                      f"{value:.0f} errors" if value is not None else "—", missing((concurrent, "tachyon")), None))  # fmt: skip
    value = ratio(med(throughput.get("tachyon")), med(throughput.get("floor")))
    out.append(Target("6", "throughput", "calls per second relative to the floor, same threads",
                      ratio_text(value), "reported" if value is not None else "n/a",
                      missing((throughput, "tachyon"), (throughput, "floor"))))  # fmt: skip
    scripts = results.get("script", {})
    for key, module, workload, text in _SCRIPT_TARGETS:
        if module in scripts:
            found = scripts[module]
            out.append(Target(key, workload, text, str(found["measured"]), str(found["status"])))
        else:
            out.append(Target(key, workload, text, "—", "n/a", f"`python -m {module}` was not run"))
    value = ratio(med(imports.get("tachyon_ready")), med(imports.get("baseline_models")))
    out.append(_check("7c", "import", "`from tachyon_sdk import ApiClient, ChatApi, ChatCompletionRequest, "
                      "Configuration` ≤ 1.3× `import urllib3; from pydantic import BaseModel, Field, TypeAdapter`",
                      value, 1.3, ratio_text(value),
                      missing((imports, "tachyon_ready"), (imports, "baseline_models")), None))  # fmt: skip
    return out


#: Targets measured by a script of its own (``bench/run.py`` SCRIPTS): key, module, workload, text.
_SCRIPT_TARGETS = (
    ("7a", "bench.aio_load", "aio",
     "1000 concurrent streams on one asyncio client: zero errors, CPU per chunk ≤ 0.5× `AsyncOpenAI`"),
    ("7b", "bench.sync_paced", "paced",
     "the sync client on one event per HTTP chunk: CPU per chunk ≤ 1.3× the floor reading with `stream()`"),
)  # fmt: skip


@dataclass
class Report:
    """Everything one run produced, for :func:`render`."""

    mode: str
    started: str
    seconds: float
    environment: List[Tuple[str, str]]
    settings: Dict[str, Dict[str, Any]]
    results: Results
    versions: Dict[str, str]
    stock_notes: List[str]
    profiles: List[Tuple[str, str]] = field(default_factory=list)  # (title, preformatted text)
    import_breakdown: List[Tuple[str, str]] = field(default_factory=list)  # (title, preformatted text)
    analysis: str = ""
    sections: List[Tuple[str, List[str]]] = field(default_factory=list)  # (title, Markdown lines) of scripts


def _label(name: str) -> str:
    return CONTENDERS[name][0] if name in CONTENDERS else name


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _ratio_table(
    results: Mapping[str, Result],
    unit: str,
    peers: Sequence[str],
    extra_column: Optional[Tuple[str, str]] = None,
    higher_is_better: bool = False,
) -> List[str]:
    header = ["contender", f"median ({unit})", "spread (min–max)"]
    if extra_column:
        header.append(extra_column[0])
    header += [f"vs {_label(peer)}" for peer in peers] + ["runs"]
    rows = []
    for name in CONTENDERS:
        result = results.get(name)
        if result is None:
            continue
        if not ok(result):
            rows.append([_label(name), status_text(result)] + [""] * (len(header) - 2))
            continue
        row = [_label(name), num(med(result)), spread(result)]
        if extra_column:
            row.append(num(extra_median(result, extra_column[1])))
        for peer in peers:
            value = ratio(med(result), med(results.get(peer)))
            row.append(ratio_text(value) if name != peer else "1.00×")
        row.append(str(len(result["values"])))
        rows.append(row)
    lines = _table(header, rows)
    if higher_is_better:
        lines.append("")
        lines.append("Higher is better here: a ratio above 1.00× is faster than the peer.")
    return lines


def _settings_text(settings: Mapping[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in settings.items() if key != "profile")


def render(report: Report) -> str:
    """The Markdown of ``RESULTS.md``."""
    results = report.results
    out: List[str] = ["# Benchmark results", ""]
    out.append(f"Written by `python -m bench{' --smoke' if report.mode == 'smoke' else ''}` on {report.started} "
               f"({report.mode} run, {report.seconds:.0f} s). Do not edit: run the bench again.")  # fmt: skip
    if report.mode == "smoke":
        out += ["", "**Smoke run**: tiny counts that only prove the harness works; the numbers mean nothing."]
    out += ["", "Ratios are what we compare; absolute times depend on this machine and are context only.",
            "CPU is the client process's CPU time (`time.process_time`: user + system, all threads); the server "
            "runs in another process and is never counted. Every contender talks to the same server, the same "
            "path and the same payloads, each in a fresh subprocess. See `bench/README.md`.", ""]  # fmt: skip
    out += _table(["", ""], report.environment + sorted(report.versions.items()))
    out += ["", "## Targets", ""]
    rows = []
    for target in targets(results):
        mark = {"met": "met", "missed": "**missed**", "n/a": "n/a", "reported": "reported"}[target.status]
        rows.append([target.key, target.text, target.measured, mark + (f" ({target.note})" if target.note else "")])
    out += _table(["#", "target (tachyon_sdk)", "measured", "result"], rows)

    def section(workload: str, lines: List[str]) -> None:
        out.extend(["", f"## {WORKLOAD_TITLES[workload]}", ""] + lines)

    if "call" in results:
        section("call", [f"Settings: {_settings_text(report.settings.get('call', {}))}. "
                         "Client CPU per call; wall time for context.", ""]
                + _ratio_table(results["call"], "µs CPU/call", ["floor", "stock"], ("wall µs/call", "wall_us")))  # fmt: skip
    if "stream" in results:
        section("stream", [f"Settings: {_settings_text(report.settings.get('stream', {}))}. "
                           "Client CPU per chunk over the whole stream (request included).", ""]
                + _ratio_table(results["stream"], "µs CPU/chunk", ["floor", "openai"], ("wall µs/chunk", "wall_us")))  # fmt: skip
    if "ttfc" in results:
        rows = []
        floor = med(results["ttfc"].get("floor"))
        for name in CONTENDERS:
            result = results["ttfc"].get(name)
            if result is None:
                continue
            if not ok(result):
                rows.append([_label(name), status_text(result), "", "", ""])
                continue
            value = med(result)
            delta = "—" if value is None or floor is None else f"{value - floor:+.3f} ms"
            rows.append([_label(name), num(value), spread(result, percentiles=True), delta, str(len(result["values"]))])
        section("ttfc", [f"Settings: {_settings_text(report.settings.get('ttfc', {}))}. "
                         "Wall time from the call to the first chunk in hand, per stream, on a warm connection.", ""]
                + _table(["contender", "median (ms)", "spread (p10–p90)", "vs floor", "streams"], rows))  # fmt: skip
    if "import" in results:
        rows = []
        imports = results["import"]
        for key, (label, _statement) in IMPORTS.items():
            result = imports.get(key)
            if result is None:
                continue
            if not ok(result):
                rows.append([label, status_text(result), "", "", "", "", "", ""])
                continue
            rows.append([label, num(med(result)), spread(result), num(extra_median(result, "wall_ms")),
                         ratio_text(ratio(med(result), med(imports.get("baseline")))),
                         ratio_text(ratio(med(result), med(imports.get("baseline_models")))),
                         ratio_text(ratio(med(result), med(imports.get("stock")))),
                         f"{extra_median(result, 'modules') or 0:.0f}"])  # fmt: skip
        section("import", [f"Settings: {_settings_text(report.settings.get('import', {}))}. "
                           "CPU time of the statement alone, in a fresh interpreter (start-up excluded). "
                           "`import tachyon_sdk` is lazy: the API and model modules load on first use, so the "
                           "second tachyon_sdk row (what a first call needs) is shown next to it. `import pydantic` "
                           "is lazy too: the second baseline adds the model machinery every pydantic client loads.",
                           ""]
                + _table(["statement", "median (ms CPU)", "spread (min–max)", "wall (ms)",
                          "vs urllib3, pydantic", "vs urllib3 + BaseModel", "vs stock", "modules it loads"], rows))  # fmt: skip
    if "memory" in results or "concurrent" in results:
        lines = [f"Long stream: {_settings_text(report.settings.get('memory', {}))}. RSS is sampled every "
                 "`sample every` chunks; growth is the peak minus the RSS at chunk `baseline at`.", ""]  # fmt: skip
        rows = []
        for name in CONTENDERS:
            result = results.get("memory", {}).get(name)
            if result is None:
                continue
            if not ok(result):
                rows.append([_label(name), status_text(result), "", "", ""])
                continue
            rows.append([_label(name), num(med(result)), num(extra_median(result, "rss_base_mb")),
                         num(extra_median(result, "rss_peak_mb")), num(extra_median(result, "rss_end_mb"))])  # fmt: skip
        lines += _table(["contender", "RSS growth (MB)", "RSS at baseline (MB)", "peak (MB)", "end (MB)"], rows)
        lines += ["", f"Concurrent streams: {_settings_text(report.settings.get('concurrent', {}))}, one client "
                  "shared by every thread (`connection_pool_maxsize` = threads).", ""]  # fmt: skip
        rows = []
        for name in CONTENDERS:
            result = results.get("concurrent", {}).get(name)
            if result is None:
                continue
            if not ok(result):
                rows.append([_label(name), status_text(result)] + [""] * 5)
                continue
            extra = result.get("extra", {})
            first_error = extra.get("first_error")
            errors = f"{med(result) or 0:.0f}"
            if isinstance(first_error, list):
                first_error = next((item for item in first_error if item), None)
            if first_error:
                errors += f" (first: {str(first_error)[:120]})"
            rows.append([_label(name), errors, f"{int(extra_median(result, 'chunks') or 0)}",
                         num(extra_median(result, "rss_before_mb")), num(extra_median(result, "rss_peak_mb")),
                         num(extra_median(result, "wall_s")), num(extra_median(result, "cpu_us_per_chunk"))])  # fmt: skip
        lines += _table(["contender", "errors", "chunks received", "RSS before (MB)", "RSS peak (MB)", "wall (s)",
                         "µs CPU/chunk"], rows)  # fmt: skip
        section("memory", lines)
    if "throughput" in results:
        lines = [f"Settings: {_settings_text(report.settings.get('throughput', {}))}. Calls per second of wall "
                 "time, all threads together, one client shared by every thread.", ""]  # fmt: skip
        lines += _ratio_table(
            results["throughput"], "calls/s", ["floor"], ("µs CPU/call", "cpu_us_per_call"), higher_is_better=True
        )
        section("throughput", lines)
    for title, lines in report.sections:
        out.extend(["", f"## {title}", ""] + lines)
    if report.import_breakdown:
        out += ["", "## Where the import time goes", "",
                "`python -X importtime` of the ready-to-call import and of the stock client, one run each.", ""]  # fmt: skip
        for title, text in report.import_breakdown:
            out += [f"### {title}", "", "```", text.rstrip(), "```", ""]
    if report.stock_notes:
        out += ["", "## The stock OpenAPI Generator client", ""] + report.stock_notes
    if report.profiles:
        out += ["", "## Profiles of missed targets", "",
                "Taken by the harness in this run, in separate processes under `cProfile` (which inflates "
                "per-call costs: compare shares, not absolute times).", ""]  # fmt: skip
        for title, text in report.profiles:
            out += [f"### {title}", "", "```", text.rstrip(), "```", ""]
    if report.analysis:
        out += ["", report.analysis.strip()]
    return "\n".join(out).rstrip() + "\n"
