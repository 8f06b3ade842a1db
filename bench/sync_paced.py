"""The sync client on the real arrival pattern: one event per HTTP chunk, each arriving alone.

``python -m bench.sync_paced [--chunks 3000] [--rounds 3]`` starts ``bench/paced_server.py`` (events
``--gap`` seconds apart, so every socket read finds one event) and measures, in this process, the CPU
per chunk of one stream of ``--chunks`` chunks, best of ``--rounds`` interleaved rounds:

- ``floor (stream)``: raw urllib3, body read with ``response.stream()`` (urllib3's ``read_chunked``
  for a chunked body: one HTTP chunk per item), split on ``b"\\n\\n"``, ``data: `` stripped,
  ``json.loads``, one field read: the least a client over urllib3 does;
- ``floor (read1)``: the same, reading with ``read1`` (what ``bench/contenders/floor.py`` does);
- ``floor (stream, read timeout)``: ``floor (stream)`` with the SDK's default read timeout (600 s) on
  the socket, which makes every read a ``poll`` then a ``recv`` (the SDK always has a read timeout);
- ``tachyon_sdk``: ``ChatApi.chat_completion_stream`` iterated, the same field read.

It prints a Markdown table with each row's ratio to ``floor (stream)``.
"""

import argparse
import json
import sys
import time
from typing import Callable, Dict, Iterator, List, Optional

import urllib3

from bench.paced_server import PacedServer
from bench.payloads import AUTHORIZATION, CHAT_PATH, OPERATOR_ID, chat_request

CHUNKS = 3000
ROUNDS = 5


def _events(blocks: Iterator[bytes]) -> Iterator[Optional[str]]:
    pending = b""
    for block in blocks:
        pending += block
        *events, pending = pending.split(b"\n\n")
        for raw in events:
            data = raw[6:] if raw.startswith(b"data: ") else raw
            if data == b"[DONE]":
                return
            yield json.loads(data)["choices"][0]["delta"].get("content")
    raise RuntimeError("stream ended without [DONE]")


def _floor(url: str, chunks: int, read1: bool, timeout: bool = False) -> int:
    pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5.0, read=600.0) if timeout else None)
    headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
    headers.update({"x-operator-id": OPERATOR_ID, "Authorization": AUTHORIZATION})
    body = json.dumps(chat_request(chunks, stream=True)).encode()
    response = pool.request("POST", url + CHAT_PATH, body=body, headers=headers, preload_content=False)

    def by_read1() -> Iterator[bytes]:
        while True:
            block = response.read1(65536)
            if not block:
                return
            yield block

    count = sum(1 for _ in _events(by_read1() if read1 else response.stream(65536)))
    response.release_conn()
    pool.clear()
    return count


def _tachyon(url: str, chunks: int) -> int:
    from tachyon_sdk import ApiClient, ChatApi, Configuration

    with ApiClient(Configuration(host=url)) as client:
        count = 0
        with ChatApi(client).chat_completion_stream(OPERATOR_ID, AUTHORIZATION, chat_request(chunks)) as stream:
            for chunk in stream:
                chunk.choices[0].delta  # noqa: B018 - the field every contender reads
                count += 1
        return count


CONTENDERS: Dict[str, Callable[[str, int], int]] = {
    "floor (stream)": lambda url, chunks: _floor(url, chunks, read1=False),
    "floor (read1)": lambda url, chunks: _floor(url, chunks, read1=True),
    "floor (stream, read timeout)": lambda url, chunks: _floor(url, chunks, read1=False, timeout=True),
    "tachyon_sdk": _tachyon,
}


def measure(chunks: int = CHUNKS, rounds: int = ROUNDS, gap: float = 0.0005) -> Dict[str, float]:
    """Best CPU seconds per chunk of each contender."""
    results: Dict[str, float] = {}
    with PacedServer(gap=gap) as server:
        for run in CONTENDERS.values():
            run(server.url, 50)  # warm up: imports, caches
        best = {name: float("inf") for name in CONTENDERS}
        for _ in range(rounds):  # interleaved, so that a busy moment of the machine touches every contender
            for name, run in CONTENDERS.items():
                start = time.process_time()
                count = run(server.url, chunks)
                best[name] = min(best[name], (time.process_time() - start) / count)
        results.update(best)
    return results


def table(results: Dict[str, float]) -> List[str]:
    base = results["floor (stream)"]
    lines = ["| contender | CPU per chunk (µs) | vs floor (stream) |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {value * 1e6:.2f} | {value / base:.2f}× |" for name, value in results.items()]
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.sync_paced [--chunks N] [--rounds N] [--gap SECONDS]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.sync_paced", description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=CHUNKS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--gap", type=float, default=0.0005)
    args = parser.parse_args(argv)
    results = measure(args.chunks, args.rounds, args.gap)
    print("\n".join(table(results)))
    ratio = results["tachyon_sdk"] / results["floor (stream)"]
    fair = results["tachyon_sdk"] / results["floor (stream, read timeout)"]
    print(
        f"\nTarget (≤ 1.3× the floor reading with stream()): {'met' if ratio <= 1.3 else '**missed**'} "
        f"({ratio:.2f}×; {fair:.2f}× the same floor with a read timeout, as the SDK always has)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
