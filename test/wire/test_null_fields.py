"""``None`` where the spec does not allow ``null``: refused in requests before sending, tolerated in answers.

Every optional field is ``Optional[...]`` in Python (unset reads as ``None``), so a request could
otherwise carry an explicit ``null`` the spec forbids (``stream_options``, ``model``, a message's
``name``). Fields the spec makes nullable (``content``, ``user``) still send ``null``.
"""

import json
from typing import Any, Callable

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import ApiValueError
from test.conftest import ClientKit, ScriptedServer

RESPONSE = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
}
COMPLETION = {"id": "d1", "created": 1, "deployment_id": "dep", "text": "hi"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"messages": [{"role": "user", "content": "x"}], "stream_options": None}, "stream_options"),
        ({"messages": [{"role": "user", "content": "x"}], "model": None}, "model"),
        ({"messages": [{"role": "user", "content": "x", "name": None}]}, "messages.0.name"),
        ({"messages": [{"role": "user", "content": "x"}], "tools": None}, "tools"),
    ],
)
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
    api = tachyon_sdk.DeploymentsApi(make_client(access_token="k").client)
    with pytest.raises(ApiValueError, match="top_k"):
        api.get_completions_from_deployment("p", "d", "tn_1", {"prompt": "x", "top_k": None})
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
    }
    api.chat_completion("tn_1", "Bearer t", body)
    sent = json.loads(http_server.requests[0].body)
    assert sent["messages"][0]["content"] is None
    assert sent["user"] is None and sent["stop"] is None


def test_null_in_a_non_nullable_field_of_an_answer_still_decodes(
    http_server: ScriptedServer, make_client: Callable[..., ClientKit]
) -> None:
    http_server.reply(200, json={**COMPLETION, "finish_reason": None, "usage": None})
    api = tachyon_sdk.DeploymentsApi(make_client(access_token="k").client)
    answer = api.get_completions_from_deployment("p", "d", "tn_1", {"prompt": "x"})
    assert answer.text == "hi"
    assert answer.finish_reason is None and answer.usage is None
