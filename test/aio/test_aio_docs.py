"""The first example of docs/asyncio.md runs as written, against the scripted server."""

import os
import re
import subprocess
import sys
from pathlib import Path

from ..conftest import ScriptedServer
from ..wire._tachyon import CHAT_JSON, SSE_HEADERS, chat_chunk, sse

ROOT = Path(__file__).resolve().parents[2]


def test_calls_and_streams_example_runs(http_server: ScriptedServer) -> None:
    text = (ROOT / "docs" / "asyncio.md").read_text(encoding="utf-8")
    example = re.findall(r"```python\n(.*?)```", text, re.S)[0]
    http_server.reply(200, json=CHAT_JSON)
    http_server.reply(200, body=sse([chat_chunk("Hel"), chat_chunk("lo")]), headers=SSE_HEADERS)
    env = dict(os.environ, TACHYON_HOST=http_server.url, TACHYON_API_KEY="sk-docs-0001")

    done = subprocess.run(
        [sys.executable, "-c", example], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == "Hello\nHello\n"
    assert [request.header("authorization") for request in http_server.requests] == ["Bearer sk-docs-0001"] * 2
