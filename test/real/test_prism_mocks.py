"""The SDK against Prism mocks of the real services' documents (``tox -e real``).

Prism runs in dynamic mock mode with ``--errors`` on the real Tachyon document (chat operations)
and the real Emissary document (deployment operations); see ``conftest.py``. Through the public
API (``ChatApi``, ``DeploymentsApi``) over real sockets:

- every non-streamed answer parses: 32 calls per operation, each with a different valid request
  (every request field of the real documents and the OpenAI-compatible extras, explicit nulls,
  dicts and models). The answer Prism generates is new each call. Each must decode into the
  operation's model, keep every field of the body (``to_dict()`` equals the JSON that came), and
  give its text through ``helpers.answer_text``;
- every request the SDK sends passes Prism's validation, security included: Prism answers a
  request the document does not allow with an error status (422/400, 401 for security), which
  the SDK raises, and reports violations in the ``sl-violations`` header, which must be absent.
  Streamed requests are judged the same way: the documents declare only ``application/json``
  answers, so Prism, which validates a request before it negotiates the answer, ends a valid
  streamed request with 406 (no ``text/event-stream`` content) and an invalid one with 422/400/401.
- negative controls show that the checks bite: a deployment call without ``X-API-Key`` (a bearer
  token instead) is refused with 401 as ``UnauthorizedException``; bodies the documents forbid,
  sent by hand, are refused.
"""

import json
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import urllib3

from tachyon_sdk import ApiClient, ChatApi, Configuration, DeploymentsApi
from tachyon_sdk.exceptions import ApiException, UnauthorizedException
from tachyon_sdk.helpers import answer_text
from tachyon_sdk.models import (
    ChatCompletionRequest,
    ChatCompletionResponse,
    ChatCompletionWithChatroomResponse,
    GetChatCompletionsFromDeploymentRequestBody,
    GetChatCompletionsFromDeploymentResponseBody,
    GetCompletionsFromDeploymentRequestBody,
    GetCompletionsFromDeploymentResponseBody,
)
from test.contract._prism import violations

pytestmark = pytest.mark.real

CALLS_PER_OPERATION = 32
STREAMED_CALLS_PER_OPERATION = 8
API_KEY = "emissary-key-1234"

# -- request bodies -----------------------------------------------------------------------------

WEATHER_TOOL: Dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather of a city on a day",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "City name"},
                "day": {"type": "string", "enum": ["today", "tomorrow"]},
            },
            "required": ["city"],
        },
        "strict": True,
    },
}
SEARCH_TOOL: Dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "search_docs",
        "description": "Search the product documentation",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
            "required": ["query", "limit"],
        },
        "strict": None,
    },
}
CLOCK_TOOL: Dict[str, Any] = {  # no parameters at all
    "type": "function",
    "function": {
        "name": "now",
        "description": "The current time",
        "parameters": {"type": "object", "properties": {}, "required": []},
        "strict": False,
    },
}

CHAT_MESSAGES: List[List[Dict[str, Any]]] = [
    [{"role": "user", "content": "Hello! How can you help me today?"}],
    [
        {"role": "system", "content": "You are a terse assistant."},
        {"role": "user", "content": "Explain recursion in one sentence."},
    ],
    [{"role": "user", "content": "Hi, I am John.", "name": "john_doe", "tool_calls": None}],
    [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Summarise this:"},
                {"type": "text", "text": "The quick brown fox jumps over the lazy dog."},
            ],
        }
    ],
    [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
            ],
        }
    ],
    [
        {"role": "user", "content": "Weather in Paris tomorrow?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris", "day": "tomorrow"}'},
                }
            ],
        },
        {"role": "tool", "content": '{"forecast": "sunny", "high_c": 24}', "tool_call_id": "call_1"},
        {"role": "user", "content": "Should I bring an umbrella?"},
    ],
    [
        {"role": "user", "content": "こんにちは 👋 — ça va?"},
        {"role": "assistant", "content": "Très bien, merci ! 元気です。"},
        {"role": "user", "content": 'Et toi, "vraiment"?\n\tBackslash: \\ and emoji: 🚀'},
    ],
    [{"role": "user", "content": "Repeat after me: " + "lorem ipsum " * 200}],
    [
        {"role": "system", "content": [{"type": "text", "text": "Answer in JSON."}]},
        {"role": "user", "content": ""},
    ],
]

CHAT_OPTIONS: List[Dict[str, Any]] = [
    {},
    {"model": "google_ai:gemini-2.0-flash-exp", "temperature": 0.2, "top_p": 0.9},
    {"max_completion_tokens": 256, "n": 3, "stream": False},
    {
        "memory_settings": {"extract_memory": True, "max_memories": 20, "min_relevance_score": 0},
        "communication_style": "casual",
        "explanation_style": "concise",
        "technical_level": "beginner",
    },
    {"web_search": {"query": "latest Rust release notes", "max_results": 5}},
    {"response_format": {"type": "json_object"}},
    {
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "answer",
                "schema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
            },
        }
    },
    {"tools": [WEATHER_TOOL, SEARCH_TOOL], "tool_choice": "auto"},
    {"tools": [CLOCK_TOOL], "tool_choice": "any", "max_completion_tokens": 1},
    {"frequency_penalty": -2, "presence_penalty": 2, "temperature": 0, "n": 10, "user": "user-42"},
    {"max_tokens": 100, "seed": 7, "stop": ["\n\n", "END"], "logit_bias": {"50256": -100, "15496": 2.5}},
    {  # explicit nulls where both the real document and the SDK allow them
        "model": None,
        "frequency_penalty": None,
        "presence_penalty": None,
        "temperature": None,
        "top_p": None,
        "n": None,
        "max_completion_tokens": None,
        "memory_settings": None,
        "response_format": None,
        "tools": None,
        "tool_choice": None,
        "user": None,
        "communication_style": None,
        "explanation_style": None,
        "technical_level": None,
        "stream": None,
    },
    {
        "stop": "END",
        "functions": [{"name": "get_weather", "description": "Weather of a city", "parameters": {"type": "object"}}],
        "function_call": "auto",
    },
    {
        "memory_settings": {"extract_memory": False, "max_memories": 1, "min_relevance_score": 1},
        "temperature": 2,
        "top_p": 0,
        "web_search": {"query": "x"},
    },
    {  # every field at once
        "model": "anthropic:claude-3-5-sonnet",
        "frequency_penalty": 0.5,
        "presence_penalty": -0.5,
        "max_completion_tokens": 2048,
        "max_tokens": 2048,
        "n": 2,
        "temperature": 1.3,
        "top_p": 0.95,
        "stream": False,
        "response_format": {"type": "text"},
        "tools": [WEATHER_TOOL, SEARCH_TOOL, CLOCK_TOOL],
        "tool_choice": "auto",
        "user": "user-1234",
        "memory_settings": {"extract_memory": True, "max_memories": 5, "min_relevance_score": 0.7},
        "communication_style": "formal",
        "explanation_style": "step-by-step",
        "technical_level": "expert",
        "web_search": {"query": "Paris weather tomorrow", "max_results": 10},
        "seed": 123,
        "stop": ["stop", "halt", "end", "quit"],
        "logit_bias": {"1": 100, "2": -100},
    },
]

DEPLOYMENT_MESSAGES: List[List[Dict[str, Any]]] = [
    [{"role": "user", "content": "Hello, how are you?"}],
    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 + 2?"}],
    [
        {"role": "user", "content": "Tell me a joke."},
        {"role": "assistant", "content": "Why did the chicken cross the road?"},
        {"role": "user", "content": "Why?"},
    ],
    [{"role": "user", "content": "Übersetze: 「猫」 → English 🐱"}],
    [{"role": "user", "content": ""}],
    [{"role": "user", "content": "Long context: " + "data " * 500}],
]

PROMPTS: List[str] = [
    "What is the capital of France?",
    "Once upon a time",
    "def fibonacci(n):\n    ",
    "Translate to German: good morning",
    "",
    "Émoji and unicode: 🚀 — ✓ — 中文",
    "Long prompt: " + "token " * 500,
]

DEPLOYMENT_OPTIONS: List[Dict[str, Any]] = [
    {},
    {
        "temperature": 0.7,
        "max_new_tokens": 500,
        "top_p": 0.9,
        "top_k": 50,
        "no_repeat_ngram_size": 2,
        "do_sample": True,
    },
    {"streaming": False},
    {"temperature": 0, "do_sample": False},
    {"max_new_tokens": 1},
    {"top_k": 1, "top_p": 1},
    {"no_repeat_ngram_size": 3, "temperature": 1.5, "streaming": False, "max_new_tokens": 2048},
    {"do_sample": True, "top_k": 100},
]


def _chat_body(index: int) -> Dict[str, Any]:
    messages = CHAT_MESSAGES[index % len(CHAT_MESSAGES)]
    options = CHAT_OPTIONS[(index * 7) % len(CHAT_OPTIONS)]
    return {"messages": messages, **options}


def _deployment_chat_body(index: int) -> Dict[str, Any]:
    messages = DEPLOYMENT_MESSAGES[index % len(DEPLOYMENT_MESSAGES)]
    return {"messages": messages, **DEPLOYMENT_OPTIONS[(index * 3) % len(DEPLOYMENT_OPTIONS)]}


def _completion_body(index: int) -> Dict[str, Any]:
    prompt = PROMPTS[index % len(PROMPTS)]
    return {"prompt": prompt, **DEPLOYMENT_OPTIONS[(index * 5) % len(DEPLOYMENT_OPTIONS)]}


def _as_given(body: Dict[str, Any], model: Any, index: int) -> Any:
    """Every other call passes the body as the request model instead of a dict."""
    return model.from_dict(body) if index % 2 else body


# -- operations ---------------------------------------------------------------------------------

Call = Callable[..., Any]  # (client, index, body, **call options) -> ApiResponse


def _chat(client: ApiClient, index: int, body: Dict[str, Any], **kw: Any) -> Any:
    api = ChatApi(client)
    request = _as_given(body, ChatCompletionRequest, index)
    return api.chat_completion_with_http_info(f"tn_{index:04d}", f"Bearer sk-{index}", request, **kw)


def _chatroom(client: ApiClient, index: int, body: Dict[str, Any], **kw: Any) -> Any:
    api = ChatApi(client)
    request = _as_given(body, ChatCompletionRequest, index)
    room = ["room-1", "room 2/é", "01J9ZK3V8Q", "ch_" + "x" * 40][index % 4]
    return api.chat_completion_on_chatroom_with_http_info(room, f"tn_{index:04d}", f"Bearer sk-{index}", request, **kw)


def _deployment_chat(client: ApiClient, index: int, body: Dict[str, Any], **kw: Any) -> Any:
    api = DeploymentsApi(client)
    request = _as_given(body, GetChatCompletionsFromDeploymentRequestBody, index)
    return api.get_chat_completions_from_deployment_with_http_info(f"proj-{index}", f"dep-{index}", request, **kw)


def _deployment_completion(client: ApiClient, index: int, body: Dict[str, Any], **kw: Any) -> Any:
    api = DeploymentsApi(client)
    request = _as_given(body, GetCompletionsFromDeploymentRequestBody, index)
    return api.get_completions_from_deployment_with_http_info(f"proj-{index}", f"dep-{index}", request, **kw)


# name -> (call, body builder, stream flag, answer model, which mock)
OPERATIONS: Dict[str, Tuple[Call, Callable[[int], Dict[str, Any]], str, type, str]] = {
    "chat_completion": (_chat, _chat_body, "stream", ChatCompletionResponse, "tachyon"),
    "chat_completion_on_chatroom": (_chatroom, _chat_body, "stream", ChatCompletionWithChatroomResponse, "tachyon"),
    "get_chat_completions_from_deployment": (
        _deployment_chat,
        _deployment_chat_body,
        "streaming",
        GetChatCompletionsFromDeploymentResponseBody,
        "emissary",
    ),
    "get_completions_from_deployment": (
        _deployment_completion,
        _completion_body,
        "streaming",
        GetCompletionsFromDeploymentResponseBody,
        "emissary",
    ),
}

NON_STREAMED = [(name, i) for name in OPERATIONS for i in range(CALLS_PER_OPERATION)]
STREAMED = [(name, i) for name in OPERATIONS for i in range(STREAMED_CALLS_PER_OPERATION)]


@pytest.fixture(scope="module")
def clients(tachyon_mock: str, emissary_mock: str) -> Iterator[Dict[str, ApiClient]]:
    """One client per mock; the Emissary one holds the ``api_key`` the deployment operations need."""
    tachyon = ApiClient(Configuration(host=tachyon_mock, retries=0))
    emissary = ApiClient(Configuration(host=emissary_mock, retries=0, api_key={"api_key": API_KEY}))
    with tachyon, emissary:
        yield {"tachyon": tachyon, "emissary": emissary}


def _raw_text(raw: Dict[str, Any]) -> str:
    """The answer's text read from the JSON itself, the way the real documents lay it out."""
    if "choices" in raw:
        parts = []
        for choice in raw["choices"]:
            for key in ("message", "delta"):
                content = (choice.get(key) or {}).get("content")
                if isinstance(content, str) and content:
                    parts.append(content)
                    break
        return "".join(parts)
    response = raw.get("response")
    return response if isinstance(response, str) else ""


def _call(clients: Dict[str, ApiClient], name: str, index: int, body: Dict[str, Any], **kw: Any) -> Any:
    call, _, _, _, mock = OPERATIONS[name]
    return call(clients[mock], index, body, **kw)


@pytest.mark.parametrize(("name", "index"), NON_STREAMED, ids=[f"{n}-{i:02d}" for n, i in NON_STREAMED])
def test_every_non_streamed_answer_parses_and_every_request_passes(
    clients: Dict[str, ApiClient], name: str, index: int
) -> None:
    _, build, _, answer_model, _ = OPERATIONS[name]
    body = build(index)
    try:
        response = _call(clients, name, index, body)
    except ApiException as exc:  # a request Prism refused, or an answer the SDK could not read
        pytest.fail(f"{name} #{index} with {json.dumps(body)[:500]} failed:\n{exc}\nWhole body: {exc.body}")
    assert response.status_code == 200
    assert violations(response.headers) == []
    raw = json.loads(response.raw_data)
    assert isinstance(response.data, answer_model), raw
    assert response.data.to_dict() == raw  # every field kept, with its value
    assert answer_text(response.data) == _raw_text(raw)


@pytest.mark.parametrize(("name", "index"), STREAMED, ids=[f"{n}-{i:02d}" for n, i in STREAMED])
def test_every_streamed_request_passes(clients: Dict[str, ApiClient], name: str, index: int) -> None:
    """A streamed request passes validation: Prism gets as far as looking for an event-stream answer."""
    _, build, flag, _, _ = OPERATIONS[name]
    body = {**build(index + 3), flag: True}
    if flag == "stream" and index % 2:
        body["stream_options"] = {"include_usage": True}
    with pytest.raises(ApiException) as caught:
        response = _call(clients, name, index, body)
        response.data.close()
    assert caught.value.status == 406, str(caught.value)
    assert "text/event-stream" in (caught.value.server_message or ""), str(caught.value)


# -- negative controls --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["get_chat_completions_from_deployment", "get_completions_from_deployment"])
def test_a_deployment_call_without_the_api_key_is_refused(emissary_mock: str, name: str) -> None:
    """Security is checked: a bearer token (what the SDK used to send) is not the document's X-API-Key."""
    call, build, _, _, _ = OPERATIONS[name]
    configuration = Configuration(host=emissary_mock, retries=0, access_token=API_KEY)
    with ApiClient(configuration) as client, pytest.raises(UnauthorizedException) as caught:
        call(client, 0, build(0))
    assert caught.value.status == 401
    # the same call with the key passes
    keyed = Configuration(host=emissary_mock, retries=0, api_key={"api_key": API_KEY})
    with ApiClient(keyed) as client:
        assert call(client, 0, build(0)).status_code == 200


def _post(url: str, body: Dict[str, Any], headers: Dict[str, str]) -> Any:
    http = urllib3.PoolManager()
    try:
        return http.request(
            "POST", url, body=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
        )
    finally:
        http.clear()


CHAT_HEADERS = {"x-operator-id": "tn_1", "Authorization": "Bearer sk-1"}


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"messages": [{"role": "user", "content": "hi"}], "n": 11}, ["body", "n"]),
        ({"messages": [{"role": "user", "content": "hi"}], "tool_choice": "required"}, ["body", "tool_choice"]),
        (
            {"messages": [{"role": "user", "content": "hi"}], "memory_settings": {"max_memories": 5}},
            ["body", "memory_settings"],
        ),
        ({"messages": "hi"}, ["body", "messages"]),
    ],
)
def test_the_tachyon_mock_refuses_a_body_its_document_forbids(
    tachyon_mock: str, body: Dict[str, Any], location: List[str]
) -> None:
    for accept in ("application/json", "text/event-stream"):  # before it negotiates the answer
        response = _post(f"{tachyon_mock}/v1/llms/chat/completions", body, {**CHAT_HEADERS, "Accept": accept})
        assert response.status == 422
        found = [v["location"][: len(location)] for v in json.loads(response.data)["validation"]]
        assert location in found


def test_the_tachyon_mock_refuses_a_call_without_its_headers(tachyon_mock: str) -> None:
    response = _post(f"{tachyon_mock}/v1/llms/chat/completions", {"messages": []}, {"x-operator-id": "tn_1"})
    assert response.status == 422
    found = json.loads(response.data)["validation"]
    assert any(v["location"][0] == "header" and "'authorization'" in v["message"].lower() for v in found), found


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("completions", {"prompt": 42}, "prompt"),
        ("completions", {"temperature": 0.5}, "prompt"),
        ("chat/completions", {"messages": "hello"}, "messages"),
        ("chat/completions", {"messages": [{"role": "tool", "content": "x"}]}, "messages"),
    ],
)
def test_the_emissary_mock_refuses_a_body_its_document_forbids(
    emissary_mock: str, path: str, body: Dict[str, Any], field: str
) -> None:
    url = f"{emissary_mock}/v1/projects/p/deployments/d/{path}"
    response = _post(url, body, {"X-API-Key": API_KEY})
    assert response.status == 400
    found = violations(response.headers)
    assert any(field in v["location"] or f"'{field}'" in v["message"] for v in found), found
    without_key = _post(url, body, {})
    assert without_key.status == 401
