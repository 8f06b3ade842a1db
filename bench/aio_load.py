"""Many concurrent streams on one asyncio client: ``tachyon_sdk.aio`` against openai-python's ``AsyncOpenAI``.

``python -m bench.aio_load [--streams 1000] [--chunks 32]`` starts the bench server
(``bench/server.py``, its own process, so its CPU is never counted), then, for each contender in
turn, in one process and one event loop with one client:

- opens ``--streams`` streams at once (``asyncio.gather``), each of ``--chunks`` chunk events, one
  HTTP chunk per event, read to ``[DONE]``;
- counts errors (any exception, per stream) and chunks; a run is valid only with zero errors;
- CPU per chunk: this process's CPU time over the whole load divided by the chunks received;
- time to first chunk at that load: from the moment every stream was started to the first chunk
  in hand, per stream (median and p95).

``tachyon_sdk.aio`` runs with ``connection_pool_maxsize`` = streams (its default of 16 would queue
them); ``AsyncOpenAI`` keeps its default pool (up to 1000 connections). One warm-up round of 50
streams precedes each measured round. It prints a Markdown table; bench/RESULTS.md keeps one run.
"""

import argparse
import asyncio
import statistics
import sys
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional

from bench.payloads import AUTHORIZATION, OPENAI_BASE_PATH, OPERATOR_ID, chat_request
from bench.server import ServerProcess

STREAMS = 1000
CHUNKS = 32
WARMUP_STREAMS = 50

StreamOnce = Callable[[int, List[float], float], Awaitable[int]]


async def _load(one: StreamOnce, streams: int, chunks: int) -> Dict[str, Any]:
    """Run ``streams`` streams at once; CPU per chunk, first-chunk times, errors."""
    firsts: List[float] = []
    errors: List[str] = []

    async def guarded(start: float) -> int:
        try:
            return await one(chunks, firsts, start)
        except Exception as exc:  # counted, never hidden: the row says how many
            errors.append(f"{type(exc).__name__}: {exc}")
            return 0

    cpu = time.process_time()
    start = time.perf_counter()
    counts = await asyncio.gather(*(guarded(start) for _ in range(streams)))
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    received = sum(counts)
    firsts.sort()
    return {
        "streams": streams,
        "chunks": received,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "cpu_per_chunk": cpu / received if received else float("nan"),
        "wall": wall,
        "ttfc_median": statistics.median(firsts) if firsts else float("nan"),
        "ttfc_p95": firsts[int(0.95 * (len(firsts) - 1))] if firsts else float("nan"),
    }


async def _tachyon(url: str, streams: int, chunks: int) -> Dict[str, Any]:
    from tachyon_sdk import Configuration, aio

    configuration = Configuration(host=url, connection_pool_maxsize=streams, retries=0)
    async with aio.ApiClient(configuration) as client:
        api = aio.ChatApi(client)

        async def one(count: int, firsts: List[float], start: float) -> int:
            received = 0
            async with api.chat_completion_stream(OPERATOR_ID, AUTHORIZATION, chat_request(count)) as stream:
                async for chunk in stream:
                    if not received:
                        firsts.append(time.perf_counter() - start)
                    received += 1
                    chunk.choices[0].delta  # noqa: B018 - read the field every contender reads
            return received

        await _load(one, WARMUP_STREAMS, chunks)
        return await _load(one, streams, chunks)


async def _openai(url: str, streams: int, chunks: int) -> Dict[str, Any]:
    import openai

    client = openai.AsyncOpenAI(
        base_url=url + OPENAI_BASE_PATH,
        api_key=AUTHORIZATION.split(" ", 1)[1],
        default_headers={"x-operator-id": OPERATOR_ID},
        max_retries=0,
    )
    create: Any = client.chat.completions.create
    try:

        async def one(count: int, firsts: List[float], start: float) -> int:
            received = 0
            stream = await create(**chat_request(count, stream=True))
            async with stream:
                async for chunk in stream:
                    if not received:
                        firsts.append(time.perf_counter() - start)
                    received += 1
                    chunk.choices[0].delta  # noqa: B018
            return received

        await _load(one, WARMUP_STREAMS, chunks)
        return await _load(one, streams, chunks)
    finally:
        await client.close()


CONTENDERS: Dict[str, Callable[[str, int, int], Awaitable[Dict[str, Any]]]] = {
    "tachyon_sdk.aio": _tachyon,
    "openai-python AsyncOpenAI": _openai,
}


def measure(streams: int = STREAMS, chunks: int = CHUNKS) -> Dict[str, Dict[str, Any]]:
    """Each contender's row (``{"error": ...}`` when it cannot run here)."""
    results: Dict[str, Dict[str, Any]] = {}
    with ServerProcess(lifetime=600.0) as server:
        for name, run in CONTENDERS.items():
            try:
                results[name] = asyncio.run(run(server.url, streams, chunks))
            except ImportError as exc:
                results[name] = {"error": f"not installed ({exc.name})"}
    return results


def table(results: Dict[str, Dict[str, Any]]) -> List[str]:
    """Markdown rows, CPU per chunk as a ratio to AsyncOpenAI."""
    base: Optional[float] = results.get("openai-python AsyncOpenAI", {}).get("cpu_per_chunk")
    lines = [
        "| contender | streams at once | errors | chunks | CPU per chunk (µs) | vs AsyncOpenAI "
        "| first chunk median (ms) | first chunk p95 (ms) | wall (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in results.items():
        if "error" in row:
            lines.append(f"| {name} | {row['error']} | | | | | | | |")
            continue
        ratio = f"{row['cpu_per_chunk'] / base:.2f}×" if base else "n/a"
        lines.append(
            f"| {name} | {row['streams']} | {row['errors']} | {row['chunks']} | {row['cpu_per_chunk'] * 1e6:.1f} "
            f"| {ratio} | {row['ttfc_median'] * 1e3:.0f} | {row['ttfc_p95'] * 1e3:.0f} | {row['wall']:.2f} |"
        )
    for name, row in results.items():
        if row.get("first_error"):
            lines.append(f"\n{name}: first error: {row['first_error']}")
    return lines


def verdict(results: Dict[str, Dict[str, Any]]) -> str:
    """The target line: CPU per chunk ≤ 0.5× AsyncOpenAI with zero errors."""
    ours = results.get("tachyon_sdk.aio", {})
    peer = results.get("openai-python AsyncOpenAI", {})
    if "error" in ours:
        return f"Target (≤ 0.5× AsyncOpenAI per chunk, zero errors): not measured ({ours['error']})."
    errors = f"{ours['errors']} errors"
    if "cpu_per_chunk" not in peer:
        return f"Target (≤ 0.5× AsyncOpenAI per chunk, zero errors): AsyncOpenAI not measured; {errors}."
    ratio = ours["cpu_per_chunk"] / peer["cpu_per_chunk"]
    met = ratio <= 0.5 and ours["errors"] == 0
    return f"Target (≤ 0.5× AsyncOpenAI per chunk, zero errors): {'met' if met else '**missed**'} ({ratio:.2f}×, {errors})."


def target_line(results: Dict[str, Dict[str, Any]]) -> str:
    """The machine-read form of :func:`verdict` for the Targets table of ``python -m bench``."""
    ours = results.get("tachyon_sdk.aio", {})
    peer = results.get("openai-python AsyncOpenAI", {})
    if "error" in ours or "errors" not in ours:
        return f"TARGET missed tachyon_sdk.aio not measured ({ours.get('error', 'no result')})"
    if "cpu_per_chunk" not in peer:  # the zero-errors half can still be judged
        status = "n/a" if ours["errors"] == 0 else "missed"
        return (
            f"TARGET {status} {ours['errors']} errors in {ours['streams']} streams at once (AsyncOpenAI not measured)"
        )
    ratio = ours["cpu_per_chunk"] / peer["cpu_per_chunk"]
    status = "met" if ratio <= 0.5 and ours["errors"] == 0 else "missed"
    return f"TARGET {status} {ratio:.2f}×, {ours['errors']} errors in {ours['streams']} streams at once"


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.aio_load [--streams N] [--chunks N]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.aio_load", description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=STREAMS)
    parser.add_argument("--chunks", type=int, default=CHUNKS)
    args = parser.parse_args(argv)
    results = measure(args.streams, args.chunks)
    print("\n".join(table(results)))
    print("\n" + verdict(results))
    print(target_line(results))
    errors = sum(row.get("errors", 0) for name, row in results.items() if name == "tachyon_sdk.aio")
    return 1 if errors or "error" in results.get("tachyon_sdk.aio", {}) else 0


if __name__ == "__main__":
    sys.exit(main())
