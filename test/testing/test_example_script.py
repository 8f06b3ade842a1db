"""examples/chat_stream.py as a child process: local server by default, one-line errors, no tracebacks."""

import socket
import subprocess
import sys
from typing import Any, Dict, List, Optional

from tachyon_sdk.testing import DEFAULT_OPERATOR_ID, LocalServer

RUN_TIMEOUT = 60


def run_example(repo_root: Any, env: Dict[str, str], *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, str(repo_root / "examples" / "chat_stream.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=RUN_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def one_line(stderr: str) -> str:
    lines: List[str] = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def remote_env(child_env: Any, host: str, api_key: Optional[str] = "k", operator_id: Optional[str] = "op") -> Any:
    extra = {"TACHYON_HOST": host}
    if api_key is not None:
        extra["TACHYON_API_KEY"] = api_key
    if operator_id is not None:
        extra["TACHYON_OPERATOR_ID"] = operator_id
    return child_env(**extra)


def test_without_environment_it_streams_from_a_local_server(repo_root: Any, child_env: Any) -> None:
    result = run_example(repo_root, child_env(), "Hello from the example")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello from the example\n"
    assert "starting a local server" in one_line(result.stderr)


def test_default_prompt(repo_root: Any, child_env: Any) -> None:
    result = run_example(repo_root, child_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()  # the echo of the default prompt
    assert result.stdout.endswith("\n")


def test_with_tachyon_host_it_talks_to_that_server(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.set_reply("from the configured server")
        result = run_example(repo_root, remote_env(child_env, server.url, "any-key", "tn_abc"), "ignored")
        [request] = server.requests
    assert result.returncode == 0, result.stderr
    assert result.stdout == "from the configured server\n"
    assert result.stderr == ""
    assert request.body["stream"] is True
    assert request.body["messages"] == [{"role": "user", "content": "ignored"}]
    assert request.headers["x-operator-id"] == "tn_abc"
    assert request.headers["Authorization"] == "Bearer ***"


def test_connection_refused_is_a_one_line_error(repo_root: Any, child_env: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # the port is closed now: nothing listens on it
    result = run_example(repo_root, remote_env(child_env, f"http://127.0.0.1:{port}"), "hi")
    assert result.returncode == 1
    assert "cannot reach" in one_line(result.stderr)
    assert result.stdout == ""


def test_wrong_key_is_a_one_line_401_error(repo_root: Any, child_env: Any) -> None:
    with LocalServer(check_chat_key=True) as server:
        result = run_example(repo_root, remote_env(child_env, server.url, "wrong-key", DEFAULT_OPERATOR_ID), "hi")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "401" in line and "wrong-key" not in line


def test_cut_stream_is_a_one_line_error_after_the_partial_text(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.cut_stream_after(3)
        result = run_example(repo_root, remote_env(child_env, server.url), "one two three four")
    assert result.returncode == 1
    assert result.stdout == "one two \n"
    assert "stream" in one_line(result.stderr)


def test_api_error_is_a_one_line_error(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.fail_next(400, body={"message": "bad operator", "code": "x"})
        result = run_example(repo_root, remote_env(child_env, server.url), "hi")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "400" in line and "bad operator" in line


def test_out_of_credits_is_a_one_line_402_error(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.fail_next(402)
        result = run_example(repo_root, remote_env(child_env, server.url), "hi")
    assert result.returncode == 1
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert "402" in line and "PaymentRequired: Insufficient credits" in line


def test_error_event_is_a_one_line_error_after_the_partial_text(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.error_event_after(3, "model overloaded")
        result = run_example(repo_root, remote_env(child_env, server.url), "one two three four")
    assert result.returncode == 1
    assert result.stdout == "one two \n"
    line = one_line(result.stderr)
    assert "the stream reported an error: InternalServerError: model overloaded" in line


def test_plain_text_rejection_reaches_the_error_line(repo_root: Any, child_env: Any) -> None:
    with LocalServer() as server:
        server.fail_next(422, body="Failed to deserialize the JSON body into the target type: messages: bad")
        result = run_example(repo_root, remote_env(child_env, server.url), "hi")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "422" in line and "messages: bad" in line


def test_missing_key_with_host_is_a_usage_error(repo_root: Any, child_env: Any) -> None:
    result = run_example(repo_root, remote_env(child_env, "http://127.0.0.1:9", api_key=None), "hi")
    assert result.returncode == 2
    assert "TACHYON_API_KEY" in one_line(result.stderr)
