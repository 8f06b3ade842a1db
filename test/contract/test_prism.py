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
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import urllib3

import tachyon_sdk
from tachyon_sdk.testing import LocalServer
from test.contract._prism import run_prism, violations

pytestmark = pytest.mark.prism

OPERATOR = "tn_contract"


@pytest.fixture(scope="module")
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="module")
def prism_url(local_server: LocalServer) -> Iterator[str]:
    with run_prism("proxy", "openapi.yaml", local_server.url) as url:
        yield url


@pytest.fixture()
def client(local_server: LocalServer, prism_url: str) -> Iterator[tachyon_sdk.ApiClient]:
    configuration = local_server.configuration()
    configuration.host = prism_url
    configuration.retries = 0
    configuration.api_key = {"api_key": local_server.api_key}  # Deployments: X-API-Key
    with tachyon_sdk.ApiClient(configuration) as api_client:
        yield api_client


CHAT_SEED: Dict[str, Any] = {  # seed 003/004: the smallest request
    "messages": [{"role": "user", "content": "Hello! How can you help me today?", "name": "john_doe"}],
}
CHAT_FULL: Dict[str, Any] = {  # every optional field of ChatCompletionRequest set
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
    "max_completion_tokens": 1024,
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
    "communication_style": "casual",
    "explanation_style": "step-by-step",
    "technical_level": "expert",
    "web_search": {"query": "Paris weather tomorrow", "max_results": 3},
    "functions": [{"name": "get_weather", "description": "Weather of a city", "parameters": {"type": "object"}}],
    "function_call": "auto",
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
    assert violations(response.headers) == []
    assert response.data.id  # decoded into the operation's model
    assert not isinstance(response.data, tachyon_sdk.Stream)


@pytest.mark.parametrize(("name", "call", "flag", "body"), CASES, ids=[case[0] for case in CASES])
def test_streamed_requests_match_the_spec(
    client: tachyon_sdk.ApiClient, name: str, call: Call, flag: str, body: Dict[str, Any]
) -> None:
    response = call(client, {**body, flag: True})
    assert response.status_code == 200
    request_side = [v for v in violations(response.headers) if v.get("location", [""])[0] == "request"]
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
    locations = [v["location"] for v in violations(response.headers)]
    assert ["request", "body", "temperature"] in locations
