"""Request-contract tests: Prism, driven by openapi.yaml alone, checks what the SDK sends.

Prism runs as a validating proxy (``prism proxy openapi.yaml <local server>``) in front of
``tachyon_sdk.testing.LocalServer``. Every operation goes through the SDK twice, with the seed
examples and with every optional field set, streamed and not; Prism reports what breaks the
spec in the ``sl-violations`` response header. This proves that what the SDK puts on the wire
is what ``openapi.yaml`` says, independently of our own generator and server.

Prism buffers ``text/event-stream`` bodies and judges them as one JSON object, so for streamed
requests only the request-side violations count. Run with ``tox -e prism`` (or
``pytest -m prism``); the fixture installs the pinned Prism with ``npm ci`` when it is missing.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import urllib3

import tachyon_sdk
from tachyon_sdk.testing import LocalServer

pytestmark = pytest.mark.prism

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
OPERATOR = "tn_contract"
START_TIMEOUT = 90.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, proc: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Prism exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"Prism did not listen within {START_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="module")
def prism_url(local_server: LocalServer) -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the Prism contract tests (.ci/run installs it)")
    if not PRISM.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the pinned Prism (npm ci)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, timeout=600)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "prism.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    node,
                    str(PRISM),
                    "proxy",
                    str(ROOT / "openapi.yaml"),
                    local_server.url,
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                ],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1"},
            )
            try:
                _wait_for_port(port, proc, log)
                yield f"http://127.0.0.1:{port}"
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)


@pytest.fixture()
def client(local_server: LocalServer, prism_url: str) -> Iterator[tachyon_sdk.ApiClient]:
    configuration = local_server.configuration()
    configuration.host = prism_url
    configuration.retries = 0
    with tachyon_sdk.ApiClient(configuration) as api_client:
        yield api_client


def _violations(headers: Any) -> List[Dict[str, Any]]:
    raw = headers.get("sl-violations")
    return json.loads(raw) if raw else []


CHAT_SEED: Dict[str, Any] = {  # seed 003/004: the smallest request
    "messages": [{"role": "user", "content": "Hello! How can you help me today?", "name": "john_doe"}],
}
CHAT_FULL: Dict[str, Any] = {  # every optional field of ChatCompletionRequest set (Tachyon's and the OpenAI extras)
    "messages": [
        {"role": "system", "content": "You are terse.", "name": "setup"},
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "content": "sunny", "tool_call_id": "call_1"},
        {"role": "user", "content": "Thanks, and tomorrow?"},
    ],
    "model": "meta-llama/Llama-3.3-70B-Instruct",
    "frequency_penalty": 0,
    "presence_penalty": 0.5,
    "logit_bias": {"50256": -100},
    "max_tokens": 2048,
    "max_completion_tokens": 2048,
    "n": 1,
    "response_format": {"type": "json_object"},
    "seed": 123,
    "stop": ["stop", "halt"],
    "stream_options": {"include_usage": True},
    "temperature": 0.7,
    "top_p": 1,
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather of a city",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                },
                "strict": False,
            },
        }
    ],
    "tool_choice": "auto",
    "user": "user-1234",
    "memory_settings": {"extract_memory": True, "max_memories": 5, "min_relevance_score": 0.7},
    "communication_style": "concise",
    "explanation_style": "examples",
    "technical_level": "expert",
    "web_search": {"query": "Paris weather tomorrow", "max_results": 3},
}
DEPLOYMENT_OPTIONS: Dict[str, Any] = {  # seeds 000/001
    "temperature": 0.7,
    "max_new_tokens": 500,
    "top_p": 0.9,
    "top_k": 50,
    "no_repeat_ngram_size": 2,
    "do_sample": True,
}
DEPLOYMENT_CHAT_SEED: Dict[str, Any] = {
    "messages": [{"role": "user", "content": "Hello, how are you?"}],
    "streaming": False,
}
DEPLOYMENT_CHAT_FULL: Dict[str, Any] = {
    "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello, how are you?"},
        {"role": "assistant", "content": "Fine."},
        {"role": "user", "content": "Good."},
    ],
    **DEPLOYMENT_OPTIONS,
}
COMPLETION_SEED: Dict[str, Any] = {"prompt": "What is the capital of France?"}
COMPLETION_FULL: Dict[str, Any] = {"prompt": "What is the capital of France?", **DEPLOYMENT_OPTIONS}

Call = Callable[[tachyon_sdk.ApiClient, Dict[str, Any]], Any]


def _chat(api_client: tachyon_sdk.ApiClient, body: Dict[str, Any]) -> Any:
    return tachyon_sdk.ChatApi(api_client).chat_completion_with_http_info(OPERATOR, "Bearer contract", body)


def _chatroom(api_client: tachyon_sdk.ApiClient, body: Dict[str, Any]) -> Any:
    api = tachyon_sdk.ChatApi(api_client)
    return api.chat_completion_on_chatroom_with_http_info("room 1/é", OPERATOR, "Bearer contract", body)


def _deployment_chat(api_client: tachyon_sdk.ApiClient, body: Dict[str, Any]) -> Any:
    api = tachyon_sdk.DeploymentsApi(api_client)
    return api.get_chat_completions_from_deployment_with_http_info("proj-1", "dep-1", body)


def _deployment_completion(api_client: tachyon_sdk.ApiClient, body: Dict[str, Any]) -> Any:
    api = tachyon_sdk.DeploymentsApi(api_client)
    return api.get_completions_from_deployment_with_http_info("proj-1", "dep-1", body)


CASES: List[Tuple[str, Call, str, Dict[str, Any]]] = [
    ("chat-seed", _chat, "stream", CHAT_SEED),
    ("chat-full", _chat, "stream", CHAT_FULL),
    ("chatroom-seed", _chatroom, "stream", CHAT_SEED),
    ("chatroom-full", _chatroom, "stream", CHAT_FULL),
    ("deployment-chat-seed", _deployment_chat, "streaming", DEPLOYMENT_CHAT_SEED),
    ("deployment-chat-full", _deployment_chat, "streaming", DEPLOYMENT_CHAT_FULL),
    ("completion-seed", _deployment_completion, "streaming", COMPLETION_SEED),
    ("completion-full", _deployment_completion, "streaming", COMPLETION_FULL),
]


@pytest.mark.parametrize(("name", "call", "flag", "body"), CASES, ids=[case[0] for case in CASES])
def test_non_streamed_requests_and_answers_match_the_spec(
    client: tachyon_sdk.ApiClient, name: str, call: Call, flag: str, body: Dict[str, Any]
) -> None:
    response = call(client, {**body, flag: False})
    assert response.status_code == 200
    assert _violations(response.headers) == []
    assert response.data.id  # decoded into the operation's model
    assert not isinstance(response.data, tachyon_sdk.Stream)


@pytest.mark.parametrize(("name", "call", "flag", "body"), CASES, ids=[case[0] for case in CASES])
def test_streamed_requests_match_the_spec(
    client: tachyon_sdk.ApiClient, name: str, call: Call, flag: str, body: Dict[str, Any]
) -> None:
    response = call(client, {**body, flag: True})
    assert response.status_code == 200
    request_side = [v for v in _violations(response.headers) if v.get("location", [""])[0] == "request"]
    assert request_side == []
    with response.data as stream:
        chunks = list(stream)
    assert chunks


def test_prism_reports_a_request_that_breaks_the_spec(prism_url: str) -> None:
    """The check above is not vacuous: a body the SDK would refuse is flagged by Prism."""
    http = urllib3.PoolManager()
    try:
        response = http.request(
            "POST",
            f"{prism_url}/v1/llms/chat/completions",
            body=json.dumps({"messages": [{"role": "user", "content": "hi"}], "temperature": 5}).encode(),
            headers={"Content-Type": "application/json", "x-operator-id": OPERATOR, "Authorization": "Bearer x"},
        )
    finally:
        http.clear()
    locations = [v["location"] for v in _violations(response.headers)]
    assert ["request", "body", "temperature"] in locations
