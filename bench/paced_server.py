"""A stream server for the real arrival pattern: one server-sent event per HTTP chunk, each sent alone.

``bench/server.py`` writes a whole stream at once, so a client reads many events per socket read. An
LLM sends one event at a time: ``python -m bench.paced_server`` answers
``POST /v1/llms/chat/completions`` (with ``"stream": true``; ``max_tokens`` = the number of chunk
events, as in ``bench/server.py``) with a chunked ``text/event-stream`` whose events are written one by
one, ``--gap`` seconds apart (default 0.0005), so each reaches the client in its own read. Other
requests get the same JSON completion as ``bench/server.py``. Keep-alive; it runs in its own process
(its CPU is never counted against a client), prints ``PORT <n>`` once it listens, and exits when its
parent goes away or after ``--lifetime`` seconds.
"""

import argparse
import asyncio
import os
import re
import sys
import time
from typing import List, Optional

from bench.payloads import DEFAULT_STREAM_CHUNKS, completion_body, stream_events
from bench.server import ServerProcess

_HOST = "127.0.0.1"
_MAX_TOKENS_RE = re.compile(rb'"max_tokens"\s*:\s*(\d+)')
_CONTENT_LENGTH_RE = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)")
_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
    b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
)
_BODY = completion_body()
_COMPLETION = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(_BODY) + _BODY


def _frame(event: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(event), event)


_FIRST, _MIDDLE, _LAST = (_frame(event) for event in stream_events())
_DONE = _frame(b"data: [DONE]\n\n") + b"0\r\n\r\n"


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, gap: float) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            match = _CONTENT_LENGTH_RE.search(head.lower())
            body = await reader.readexactly(int(match.group(1))) if match else b""
            if b'"stream": true' not in body and b'"stream":true' not in body:
                writer.write(_COMPLETION)
                await writer.drain()
                continue
            tokens = _MAX_TOKENS_RE.search(body)
            chunks = int(tokens.group(1)) if tokens else DEFAULT_STREAM_CHUNKS
            writer.write(_STREAM_HEAD)
            for index in range(chunks):
                writer.write(_FIRST if index == 0 else _LAST if index == chunks - 1 else _MIDDLE)
                await writer.drain()
                await asyncio.sleep(gap)
            writer.write(_DONE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _serve(port: int, gap: float, parent_pid: Optional[int], lifetime: float) -> None:
    server = await asyncio.start_server(lambda r, w: _handle(r, w, gap), _HOST, port, backlog=512)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    deadline = time.monotonic() + lifetime
    while time.monotonic() < deadline:
        if parent_pid is not None and os.getppid() != parent_pid:
            break
        await asyncio.sleep(0.2)
    server.close()


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.paced_server [--port N] [--gap SECONDS] [--parent-pid PID] [--lifetime SECONDS]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.paced_server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--gap", type=float, default=0.0005, help="seconds between two events (default 0.0005)")
    parser.add_argument("--parent-pid", type=int, default=None)
    parser.add_argument("--lifetime", type=float, default=600.0)
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args.port, args.gap, args.parent_pid, args.lifetime))
    except KeyboardInterrupt:
        pass
    return 0


class PacedServer(ServerProcess):
    """``python -m bench.paced_server`` as a child process; a context manager with :attr:`url`."""

    def __init__(self, gap: float = 0.0005, lifetime: float = 600.0) -> None:
        super().__init__(lifetime=lifetime, module="bench.paced_server", arguments=["--gap", str(gap)])
        self.gap = gap


if __name__ == "__main__":
    sys.exit(main())
