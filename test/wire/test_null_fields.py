"""``None`` where the spec does not allow ``null``: refused in requests before sending, tolerated in answers.

Every optional field is ``Optional[...]`` in Python (unset reads as ``None``), so a request could
otherwise carry an explicit ``null`` the spec forbids (a message's ``name``, ``stream_options``'
``include_usage``, a deployment body's ``top_k``). Fields the real Tachyon request makes nullable
(``model``, ``tools``, ``stream_options``, ``content``, ``user``, ``stop`` ...) still send ``null``.
"""

import json
from typing import Any, Callable

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import ApiValueError
from test.conftest import ClientKit, ScriptedServer

from ._tachyon import SSE_HEADERS, sse

RESPONSE = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"messages": [{"role": "user", "content": "x"}], "stream_options": {"include_usage": None}},
         "stream_options.include_usage"),
        ({"messages": [{"role": "user", "content": "x", "name": None}]}, "messages.0.name"),
        ({"messages": [{"role": "tool", "content": "x", "tool_call_id": None}]}, "messages.0.tool_call_id"),
        ({"messages": [{"role": "user", "content": "x"}], "functions": None}, "functions"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("as_model", [False, True], ids=["dict", "model"])
def test_explicit_null_in_a_non_nullable_field_is_refused_before_sending(
    http_server: ScriptedServer, make_client: Callable[..., ClientKit], body: Any, field: str, as_model: bool
) -> None:
    kit = make_client()
    api = tachyon_sdk.ChatApi(kit.client)
    request = tachyon_sdk.ChatCompletionRequest.from_dict(body) if as_model else body
    with pytest.raises(ApiValueError) as info:
        api.chat_completion("tn_1", "Bearer t", request)
    assert f"chat_completion_request.{field}" in str(info.value)
    assert "null" in str(info.value)
    assert http_server.requests == []


def test_explicit_null_in_a_deployment_body_is_refused(
    http_server: ScriptedServer, make_client: Callable[..., ClientKit]
) -> None:
    api = tachyon_sdk.DeploymentsApi(make_client(api_key={"api_key": "k"}).client)
    with pytest.raises(ApiValueError, match="top_k"):
        api.get_completions_from_deployment("p", "d", {"prompt": "x", "top_k": None})
    with pytest.raises(ApiValueError, match="streaming"):
        api.get_chat_completions_from_deployment("p", "d", {"messages": [], "streaming": None})
    assert http_server.requests == []


def test_null_in_a_nullable_field_is_sent(http_server: ScriptedServer, make_client: Callable[..., ClientKit]) -> None:
    http_server.reply(200, json=RESPONSE)
    api = tachyon_sdk.ChatApi(make_client().client)
    body = {
        "messages": [
            {"role": "assistant", "content": None, "tool_calls": []},
            {"role": "user", "content": "x"},
        ],
        "user": None,
        "stop": None,
        "model": None,
        "tools": None,
        "stream_options": None,
    }
    api.chat_completion("tn_1", "Bearer t", body)
    sent = json.loads(http_server.requests[0].body)
    assert sent["messages"][0]["content"] is None
    assert [sent[name] for name in ("user", "stop", "model", "tools", "stream_options")] == [None] * 5


def test_null_in_a_non_nullable_field_of_an_answer_still_decodes(
    http_server: ScriptedServer, make_client: Callable[..., ClientKit]
) -> None:
    """``tool_id``/``tool_name``/``is_client_tool`` are not nullable in the spec; a stray ``null`` still reads."""
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "model": "m",
        "choices": [
            {
                "index": 0,
                "delta": {"tool_calls": [{"index": 0, "id": "call_1", "tool_id": None, "tool_name": None,
                                          "is_client_tool": None}]},
                "finish_reason": None,
            }
        ],
    }  # fmt: skip
    http_server.reply(200, body=sse([chunk]), headers=SSE_HEADERS)
    api = tachyon_sdk.ChatApi(make_client().client)
    with api.chat_completion_stream("tn_1", "Bearer t", {"messages": [{"role": "user", "content": "x"}]}) as stream:
        [received] = list(stream)
    [call] = received.choices[0].delta.tool_calls or []
    assert (call.id, call.tool_id, call.tool_name, call.is_client_tool) == ("call_1", None, None, None)
