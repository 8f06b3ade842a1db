"""A user's first hour, over real sockets (issue 13): typos are refused before anything is sent,
``_extra_body`` sends what the SDK does not know, answers keep what they do not declare, and a
stream's status and headers come with it from ``<op>_stream_with_http_info``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

import pytest

import tachyon_sdk
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.exceptions import ApiTypeError, ApiValidationError, ApiValueError
from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage
from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest
from tachyon_sdk.models.function_definition import FunctionDefinition
from tachyon_sdk.streaming import Stream
from test.conftest import ScriptedServer

from ._tachyon import CHAT_JSON, SSE_HEADERS, chat_chunk, sse

OPERATOR = "tn_1"
AUTHORIZATION = "Bearer sk-first-hour-0001"


@pytest.fixture
def client(http_server: ScriptedServer) -> Iterator[tachyon_sdk.ApiClient]:
    configuration = tachyon_sdk.Configuration(host=http_server.url, retries=0, api_key={"api_key": "k-first-hour"})
    with tachyon_sdk.ApiClient(configuration) as api_client:
        yield api_client


Call = Callable[[tachyon_sdk.ApiClient], Any]

TYPOS: Dict[str, Call] = {
    "top-level key of a dict body": lambda c: tachyon_sdk.ChatApi(c).chat_completion(
        OPERATOR, AUTHORIZATION, {"messages": [{"role": "user", "content": "Hi"}], "temprature": 0.2}
    ),
    "nested key of a dict body": lambda c: tachyon_sdk.ChatApi(c).chat_completion(
        OPERATOR, AUTHORIZATION, {"messages": [{"role": "user", "contnet": "Hi"}]}
    ),
    "key of a streamed dict body": lambda c: tachyon_sdk.ChatApi(c).chat_completion_stream(
        OPERATOR, AUTHORIZATION, {"messages": [{"role": "user", "content": "Hi"}], "temprature": 0.2}
    ),
    "model built with from_dict": lambda c: tachyon_sdk.ChatApi(c).chat_completion(
        OPERATOR, AUTHORIZATION, ChatCompletionRequest.from_dict({"messages": [], "temprature": 0.2})
    ),
    "deployment body": lambda c: tachyon_sdk.DeploymentsApi(c).get_completions_from_deployment(
        "p", "d", {"prompt": "Hi", "max_tokens": 5}
    ),
}
EXPECTED = {
    "top-level key of a dict body": ("temprature", "temperature"),
    "nested key of a dict body": ("messages.0.contnet", "content"),
    "key of a streamed dict body": ("temprature", "temperature"),
    "model built with from_dict": ("temprature", "temperature"),
    "deployment body": ("max_tokens", "max_new_tokens"),
}


@pytest.mark.parametrize("case", list(TYPOS))
def test_an_unknown_field_is_refused_before_sending_with_the_closest_name(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient, case: str
) -> None:
    path, suggestion = EXPECTED[case]

    with pytest.raises(ApiValidationError) as caught:
        TYPOS[case](client)

    message = str(caught.value)
    assert f".{path}: unknown field (did you mean `{suggestion}`?)" in message
    assert "_extra_body" in message
    [error] = caught.value.errors()
    assert error["type"] == "extra_forbidden" and ".".join(str(item) for item in error["loc"]) == path
    assert http_server.requests == []  # nothing was sent


def test_a_field_added_by_assignment_is_refused_when_set(client: tachyon_sdk.ApiClient) -> None:
    request = ChatCompletionRequest(messages=[{"role": "user", "content": "Hi"}])

    with pytest.raises(ApiValidationError, match=r"temprature: unknown field \(did you mean `temperature`\?\)"):
        request.temprature = 0.2  # type: ignore[attr-defined]


def test_extra_body_sends_fields_the_sdk_does_not_know(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient
) -> None:
    http_server.reply(200, json=CHAT_JSON)
    api = tachyon_sdk.ChatApi(client)
    request = ChatCompletionRequest(messages=[ChatCompletionMessage(role="user", content="Hi")], temperature=0.5)

    answer = api.chat_completion(
        OPERATOR,
        AUTHORIZATION,
        request,
        _extra_body={"reasoning_effort": "low", "temperature": 0.1, "web_search": {"query": "x", "new_knob": 1}},
    )

    assert answer.id == "chatcmpl-1"
    [sent] = http_server.requests
    assert sent.json() == {
        "messages": [{"role": "user", "content": "Hi"}],
        "temperature": 0.1,  # _extra_body wins over the body's own field
        "reasoning_effort": "low",
        "web_search": {"query": "x", "new_knob": 1},  # sent as given, not validated
    }
    assert request.temperature == 0.5  # the caller's model is unchanged
    assert "reasoning_effort" not in request.to_dict()


def test_extra_body_goes_with_a_stream_and_a_deployment(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient
) -> None:
    http_server.reply(200, body=sse([chat_chunk("Hel"), chat_chunk("lo")]), headers=SSE_HEADERS)
    http_server.reply(200, json={"id": "dep-1", "response": "Paris"})

    with tachyon_sdk.ChatApi(client).chat_completion_stream(
        OPERATOR, AUTHORIZATION, {"messages": [{"role": "user", "content": "Hi"}]}, _extra_body={"new": [1, 2]}
    ) as stream:
        assert [chunk.choices[0].delta.content for chunk in stream] == ["Hel", "lo"]
    answer = tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment(
        "p", "d", {"prompt": "Capital of France?"}, _extra_body={"repetition_penalty": 1.2}
    )

    assert answer.response == "Paris"
    streamed, deployed = http_server.requests
    assert json.loads(streamed.body) == {"messages": [{"role": "user", "content": "Hi"}], "stream": True, "new": [1, 2]}
    assert deployed.json() == {"prompt": "Capital of France?", "repetition_penalty": 1.2}


@pytest.mark.parametrize(
    ("extra", "error", "text"),
    [
        ({"stream": True}, ApiValueError, "_extra_body may not set `stream`"),
        (["new"], ApiTypeError, "_extra_body must be a mapping"),
        ({1: "x"}, ApiTypeError, "_extra_body keys must be str"),
    ],
)
def test_a_wrong_extra_body_is_refused_before_sending(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient, extra: Any, error: type, text: str
) -> None:
    with pytest.raises(error, match=text):
        tachyon_sdk.ChatApi(client).chat_completion(OPERATOR, AUTHORIZATION, {"messages": []}, _extra_body=extra)
    assert http_server.requests == []


def test_a_schema_that_allows_more_properties_takes_them(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient
) -> None:
    http_server.reply(200, json=CHAT_JSON)
    parameters = {"type": "object", "properties": {}, "required": [], "additionalProperties": False, "$defs": {}}
    tool = {"type": "function", "function": {"name": "f", "description": "d", "parameters": parameters}}

    FunctionDefinition(name="f", description="d", parameters=parameters)  # FunctionParameters is open
    tachyon_sdk.ChatApi(client).chat_completion(OPERATOR, AUTHORIZATION, {"messages": [], "tools": [tool]})

    assert http_server.requests[0].json()["tools"][0]["function"]["parameters"] == parameters


def test_answers_keep_the_fields_they_do_not_declare(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient
) -> None:
    newer = {**CHAT_JSON, "service_tier": "fast"}
    newer["choices"] = [{**CHAT_JSON["choices"][0], "message": {"role": "assistant", "content": "Hi", "audio": None}}]
    http_server.reply(200, json=newer)

    answer = tachyon_sdk.ChatApi(client).chat_completion(OPERATOR, AUTHORIZATION, {"messages": []})

    assert answer.to_dict()["service_tier"] == "fast"
    assert answer.model_extra == {"service_tier": "fast"}
    message = answer.choices[0].message
    assert message is not None and message.to_dict() == {"role": "assistant", "content": "Hi", "audio": None}


def test_stream_with_http_info_gives_status_headers_and_the_stream(
    http_server: ScriptedServer, client: tachyon_sdk.ApiClient
) -> None:
    http_server.reply(200, body=sse([chat_chunk("Hi")]), headers={**SSE_HEADERS, "x-request-id": "req-7"})

    info = tachyon_sdk.ChatApi(client).chat_completion_stream_with_http_info(
        OPERATOR, AUTHORIZATION, {"messages": [{"role": "user", "content": "Hi"}]}
    )

    assert isinstance(info, ApiResponse) and isinstance(info.data, Stream)
    assert info.status_code == 200 and info.headers["x-request-id"] == "req-7" and info.raw_data is None
    with info.data as stream:
        assert [chunk.choices[0].delta.content for chunk in stream] == ["Hi"]
    assert http_server.requests[0].json()["stream"] is True


def test_every_streaming_operation_has_a_stream_with_http_info_method() -> None:
    for api in (tachyon_sdk.ChatApi, tachyon_sdk.DeploymentsApi):
        streams = [name for name in vars(api) if name.endswith("_stream")]
        assert streams
        for name in streams:
            assert callable(getattr(api, f"{name}_with_http_info")), name


def test_the_example_script_reports_a_host_without_its_scheme_in_one_line() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if not key.startswith("TACHYON_")}
    env.update(TACHYON_HOST="localhost:8080", TACHYON_API_KEY="k", TACHYON_OPERATOR_ID="op")
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")

    result = subprocess.run(
        [sys.executable, str(root / "examples" / "chat_stream.py"), "Hi"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr == (
        "chat_stream: error: TACHYON_HOST: Invalid host 'localhost:8080': an http:// or https:// URL is expected "
        "(did you mean 'http://localhost:8080'?)\n"
    )
