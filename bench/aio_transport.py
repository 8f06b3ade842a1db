"""Which asyncio HTTP library the async client runs on: aiohttp against httpx, measured.

``python -m bench.aio_transport`` starts the bench server (``bench/server.py``, its own process)
and, for each library installed, measures in this process:

- CPU per non-streamed call (``POST``, ~1 KB JSON answer, body read, no JSON decoding),
  sequential on one pooled connection;
- CPU per chunk of streams that arrive one server-sent event per HTTP chunk, read with each
  library's incremental reader (``aiohttp``: ``content.iter_any()``; ``httpx``: ``aiter_bytes()``),
  64 streams at once;
- import time of the library in a fresh interpreter (best of 5).

Everything is raw transport (no SSE decoding, no models): the part the async client delegates to
the library. It prints a Markdown table; the numbers of one run are kept in ``bench/RESULTS.md``.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional

from bench.payloads import CHAT_PATH, chat_request
from bench.server import ServerProcess

CALLS = 2000
STREAMS = 64
CHUNKS = 200
IMPORT_RUNS = 5


def _import_time(statement: str) -> Optional[float]:
    best: Optional[float] = None
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    for _ in range(IMPORT_RUNS):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            return None
        value = float(done.stdout.strip())
        best = value if best is None else min(best, value)
    return best


async def _cpu(work: Callable[[], Awaitable[int]]) -> float:
    """CPU seconds of this process per unit of work (``work`` returns how many units it did)."""
    await work()  # warm up: connections, caches
    start = time.process_time()
    units = await work()
    return (time.process_time() - start) / units


async def _aiohttp(url: str, calls: int, streams: int, chunks: int) -> Dict[str, float]:
    import aiohttp

    call_body = json.dumps(chat_request(16)).encode()
    stream_body = json.dumps(chat_request(chunks, stream=True)).encode()
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=streams)) as session:

        async def call_loop() -> int:
            for _ in range(calls):
                async with session.post(url, data=call_body, headers=headers) as resp:
                    await resp.read()
            return calls

        async def one_stream() -> int:
            count = 0
            async with session.post(url, data=stream_body, headers=headers) as resp:
                async for block in resp.content.iter_any():
                    count += block.count(b"\n\n")
            return count

        async def streams_loop() -> int:
            return sum(await asyncio.gather(*(one_stream() for _ in range(streams))))

        return {"call": await _cpu(call_loop), "chunk": await _cpu(streams_loop)}


async def _httpx(url: str, calls: int, streams: int, chunks: int) -> Dict[str, float]:
    import httpx

    call_body = json.dumps(chat_request(16)).encode()
    stream_body = json.dumps(chat_request(chunks, stream=True)).encode()
    headers = {"Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
    async with httpx.AsyncClient(limits=limits) as client:

        async def call_loop() -> int:
            for _ in range(calls):
                resp = await client.post(url, content=call_body, headers=headers)
                resp.read()
            return calls

        async def one_stream() -> int:
            count = 0
            async with client.stream("POST", url, content=stream_body, headers=headers) as resp:
                async for block in resp.aiter_bytes():
                    count += block.count(b"\n\n")
            return count

        async def streams_loop() -> int:
            return sum(await asyncio.gather(*(one_stream() for _ in range(streams))))

        return {"call": await _cpu(call_loop), "chunk": await _cpu(streams_loop)}


LIBRARIES: Dict[str, Callable[[str, int, int, int], Awaitable[Dict[str, float]]]] = {
    "aiohttp": _aiohttp,
    "httpx": _httpx,
}


def measure(calls: int = CALLS, streams: int = STREAMS, chunks: int = CHUNKS) -> Dict[str, Dict[str, Any]]:
    """Every installed library's numbers: ``{"aiohttp": {"call": s, "chunk": s, "import": s}, ...}``."""
    results: Dict[str, Dict[str, Any]] = {}
    with ServerProcess(lifetime=300.0) as server:
        url = server.url + CHAT_PATH
        for name, run in LIBRARIES.items():
            imported = _import_time(f"import {name}")
            if imported is None:
                results[name] = {"error": "not installed"}
                continue
            row: Dict[str, Any] = asyncio.run(run(url, calls, streams, chunks))
            row["import"] = imported
            results[name] = row
    return results


def table(results: Dict[str, Dict[str, Any]]) -> List[str]:
    """The Markdown rows of :func:`measure`, ratios against aiohttp."""
    base = results.get("aiohttp", {})
    lines = [
        "| library | CPU per call (µs) | CPU per stream chunk (µs) | import (ms) | call / aiohttp | chunk / aiohttp |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in results.items():
        if "error" in row:
            lines.append(f"| {name} | {row['error']} | | | | |")
            continue
        ratio_call = row["call"] / base["call"] if "call" in base else float("nan")
        ratio_chunk = row["chunk"] / base["chunk"] if "chunk" in base else float("nan")
        lines.append(
            f"| {name} | {row['call'] * 1e6:.1f} | {row['chunk'] * 1e6:.2f} | {row['import'] * 1e3:.0f} "
            f"| {ratio_call:.2f}× | {ratio_chunk:.2f}× |"
        )
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.aio_transport [--calls N] [--streams N] [--chunks N]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.aio_transport", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=CALLS)
    parser.add_argument("--streams", type=int, default=STREAMS)
    parser.add_argument("--chunks", type=int, default=CHUNKS)
    args = parser.parse_args(argv)
    print("\n".join(table(measure(args.calls, args.streams, args.chunks))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
