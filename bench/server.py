"""The bench server: fixed chat-completion answers on 127.0.0.1, as fast as one process can.

It runs in its own process (``python -m bench.server``) so that its CPU time is never counted
against a client. Every answer is precomputed bytes written by an asyncio protocol:

- ``POST /v1/llms/chat/completions`` without ``"stream": true``: a ~1 KB ``ChatCompletionResponse``
  (``Content-Length`` framing, keep-alive);
- with ``"stream": true``: ``text/event-stream`` with chunked transfer encoding, one HTTP chunk
  per ``data: {...}\\n\\n`` event, as many chunk events as the body's ``max_tokens``, no delay
  between them, then ``data: [DONE]``. Writing follows the transport's flow control, so a slow
  reader never makes the server buffer a whole stream.

The process stops by itself: when its parent process goes away (checked every 0.2 s) and in any
case after ``--lifetime`` seconds. It prints ``PORT <n>`` on stdout once it listens.
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from types import TracebackType
from typing import IO, List, Optional, Sequence, Type

from bench.payloads import CHAT_PATH, DEFAULT_STREAM_CHUNKS, DONE_EVENT, completion_body, stream_events

_HOST = "127.0.0.1"
_WRITE_SLICE = 64 * 1024  # bytes handed to the transport at a time while streaming
_MAX_HEAD = 64 * 1024  # a request head larger than this is refused
_WATCHDOG_PERIOD = 0.2
_STREAM_CACHE_SIZE = 8  # stream bodies kept, by chunk count
_MAX_TOKENS_RE = re.compile(rb'"max_tokens"\s*:\s*(\d+)')
_STREAM_RE = re.compile(rb'"stream"\s*:\s*true')
_CONTENT_LENGTH_RE = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)")


def _frame(event: bytes) -> bytes:
    """One HTTP/1.1 chunk carrying ``event``."""
    return b"%x\r\n%s\r\n" % (len(event), event)


def _json_answer(status: bytes, body: bytes, close: bool = False) -> bytes:
    connection = b"Connection: close\r\n" if close else b""
    return (
        b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
        + b"Content-Length: %d\r\n" % len(body) + connection + b"\r\n" + body
    )  # fmt: skip


_COMPLETION = _json_answer(b"200 OK", completion_body())
_NOT_FOUND = _json_answer(b"404 Not Found", b'{"error":{"message":"not found","type":"not_found"}}')
_BAD_REQUEST = _json_answer(b"400 Bad Request", b'{"error":{"message":"bad request"}}', close=True)
_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
    b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
)
_FIRST, _MIDDLE, _LAST = (_frame(event) for event in stream_events())
_END = _frame(DONE_EVENT) + b"0\r\n\r\n"


class _StreamBodies:
    """Whole stream answers (head included) by chunk count; a few are kept."""

    def __init__(self) -> None:
        self._cache: OrderedDict[int, bytes] = OrderedDict()

    def get(self, chunks: int) -> bytes:
        body = self._cache.get(chunks)
        if body is None:
            if chunks <= 0:
                events = b""
            elif chunks == 1:
                events = _LAST
            else:
                events = _FIRST + _MIDDLE * (chunks - 2) + _LAST
            body = _STREAM_HEAD + events + _END
            self._cache[chunks] = body
            while len(self._cache) > _STREAM_CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(chunks)
        return body


class _Connection(asyncio.Protocol):
    """One client connection: parses requests (pipelining allowed) and writes answers in order."""

    def __init__(self, bodies: _StreamBodies) -> None:
        self._bodies = bodies
        self._buffer = bytearray()
        self._transport: Optional[asyncio.Transport] = None
        self._writable = asyncio.Event()
        self._writable.set()
        self._streaming = False
        self._lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._lost = True
        self._writable.set()  # wake a stream writer so it sees the loss

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if not self._streaming:
            self._serve()

    def _serve(self) -> None:
        """Answer every complete request in the buffer, stopping at a stream (it resumes later)."""
        transport = self._transport
        assert transport is not None
        buffer = self._buffer
        while not self._lost:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEAD:
                    transport.write(_BAD_REQUEST)
                    transport.close()
                return
            head = bytes(buffer[:end]).lower()
            match = _CONTENT_LENGTH_RE.search(head)
            if match is None and b"\r\ntransfer-encoding:" in head:
                transport.write(_BAD_REQUEST)  # chunked request bodies are not needed by any contender
                transport.close()
                return
            total = end + 4 + (int(match.group(1)) if match else 0)
            if len(buffer) < total:
                return
            body = bytes(buffer[end + 4 : total])
            del buffer[:total]
            close = b"\r\nconnection: close" in head
            request_line = head.split(b"\r\n", 1)[0].split(b" ")
            target = request_line[1].split(b"?", 1)[0] if len(request_line) > 1 else b""
            if request_line[0] != b"post" or target.decode("latin-1") != CHAT_PATH:
                transport.write(_NOT_FOUND)
            elif _STREAM_RE.search(body):
                tokens = _MAX_TOKENS_RE.search(body)
                chunks = int(tokens.group(1)) if tokens else DEFAULT_STREAM_CHUNKS
                self._streaming = True
                asyncio.get_running_loop().create_task(self._write_stream(self._bodies.get(chunks), close))
                return
            else:
                transport.write(_COMPLETION)
            if close:
                transport.close()
                return

    async def _write_stream(self, answer: bytes, close: bool) -> None:
        transport = self._transport
        assert transport is not None
        view = memoryview(answer)
        for offset in range(0, len(answer), _WRITE_SLICE):
            await self._writable.wait()
            if self._lost:
                return
            transport.write(view[offset : offset + _WRITE_SLICE])
        self._streaming = False
        if close:
            transport.close()
        elif self._buffer:
            self._serve()


async def _serve_forever(port: int, parent_pid: Optional[int], lifetime: float, out: IO[str]) -> None:
    loop = asyncio.get_running_loop()
    bodies = _StreamBodies()
    server = await loop.create_server(lambda: _Connection(bodies), _HOST, port, backlog=512)
    sockets = server.sockets or ()
    out.write(f"PORT {sockets[0].getsockname()[1]}\n")
    out.flush()
    deadline = time.monotonic() + lifetime
    try:
        while time.monotonic() < deadline:
            if parent_pid is not None and os.getppid() != parent_pid:
                break  # the parent is gone: nobody will ever stop us
            await asyncio.sleep(_WATCHDOG_PERIOD)
    finally:
        server.close()


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.server [--port N] [--parent-pid PID] [--lifetime SECONDS]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--parent-pid", type=int, default=None, help="exit when this process is no longer the parent")
    parser.add_argument("--lifetime", type=float, default=900.0, help="exit after this many seconds (default 900)")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve_forever(args.port, args.parent_pid, args.lifetime, sys.stdout))
    except KeyboardInterrupt:
        pass
    return 0


class ServerProcess:
    """Runs ``python -m bench.server`` (or another bench server ``module`` that prints ``PORT <n>`` and takes
    ``--parent-pid`` and ``--lifetime``) as a child process; a context manager.

    :param lifetime: seconds after which the server exits even if nobody stops it.
    :param cwd: working directory of the child (the repository root, so ``bench`` imports).
    :param arguments: the module's own options.
    """

    def __init__(
        self,
        lifetime: float = 900.0,
        cwd: Optional[str] = None,
        start_timeout: float = 20.0,
        module: str = "bench.server",
        arguments: Sequence[str] = (),
    ) -> None:
        self.lifetime = lifetime
        self.cwd = cwd
        self.start_timeout = start_timeout
        self.module = module
        self.arguments = list(arguments)
        self.process: Optional[subprocess.Popen[str]] = None
        self.port = 0

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{_HOST}:{self.port}"

    def start(self) -> "ServerProcess":
        command = [
            sys.executable, "-m", self.module, *self.arguments,
            "--parent-pid", str(os.getpid()), "--lifetime", str(self.lifetime),
        ]  # fmt: skip
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [self.cwd or os.getcwd(), env.get("PYTHONPATH", "")]))
        self.process = subprocess.Popen(command, cwd=self.cwd, stdout=subprocess.PIPE, text=True, env=env)
        line: List[str] = []
        stdout = self.process.stdout
        assert stdout is not None
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line or not line[0].startswith("PORT "):
            self.stop()
            raise RuntimeError(f"the bench server did not start within {self.start_timeout} s")
        self.port = int(line[0].split()[1])
        return self

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stdout is not None:
            process.stdout.close()
        self.process = None

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.stop()


if __name__ == "__main__":
    sys.exit(main())
