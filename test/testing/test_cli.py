"""``python -m tachyon_sdk.testing`` as a child process: URL first, a real request, clean stop on SIGINT/SIGTERM."""

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Tuple

import pytest

from tachyon_sdk.testing import DEFAULT_API_KEY

RUN_TIMEOUT = 20


def start(child_env: Callable[..., Dict[str, str]], *args: str) -> "subprocess.Popen[str]":
    return subprocess.Popen(
        [sys.executable, "-m", "tachyon_sdk.testing", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=child_env(),
    )


def post(url: str, path: str, body: Dict[str, Any], headers: Dict[str, str]) -> Any:
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def stop(proc: "subprocess.Popen[str]", signum: int) -> Tuple[int, str, str]:
    proc.send_signal(signum)
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_prints_its_url_serves_and_stops_cleanly(child_env: Any, signum: int) -> None:
    proc = start(child_env, "--api-key", "cli-key")
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    answer = post(
        url,
        "/v1/projects/p/deployments/d/completions",
        {"prompt": "hello cli"},
        {"X-API-Key": "cli-key", "Content-Type": "application/json"},
    )
    assert answer["response"] == "hello cli"
    code, out, err = stop(proc, signum)
    assert code == 0
    assert "Traceback" not in err
    assert "cli-key" not in out + err
    assert "POST /v1/projects/p/deployments/d/completions -> 200" in err  # requests are logged on stderr


def test_cli_options_chunk_delay_check_chat_key_and_agent_events(child_env: Any) -> None:
    proc = start(child_env, "--chunk-delay", "0.001", "--check-chat-key", "--agent-events", "--quiet")
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    headers = {"x-operator-id": "op", "Content-Type": "application/json"}
    request = urllib.request.Request(
        url + "/v1/llms/chat/completions",
        data=json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode(),
        headers={**headers, "Authorization": "Bearer not-the-key"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 401
    assert json.loads(info.value.read()) == {"error": "Unauthorized: invalid token"}
    info.value.close()
    request = urllib.request.Request(
        url + "/v1/llms/chatrooms/r/chat/completions",
        data=json.dumps({"messages": [{"role": "user", "content": "hi"}], "stream": True}).encode(),
        headers={**headers, "Authorization": "Bearer " + DEFAULT_API_KEY},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b'event: say\ndata: {"text":"hi"}\n\nevent: done\ndata: {}\n\n'
    code, _, err = stop(proc, signal.SIGINT)
    assert code == 0
    assert "Traceback" not in err and "->" not in err  # --quiet: no request log


def test_cli_port_in_use_is_a_one_line_error(child_env: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tachyon_sdk.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=RUN_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 1
    lines: List[str] = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot listen on 127.0.0.1:")
    assert result.stdout == ""


def test_cli_help(child_env: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tachyon_sdk.testing", "--help"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0
    for option in ("--port", "--host", "--api-key", "--chunk-delay", "--check-chat-key", "--agent-events"):
        assert option in result.stdout
