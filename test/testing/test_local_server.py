"""LocalServer over real sockets, spoken to with plain http.client (no SDK involved)."""

import http.client
import json
import socket
from typing import Any, Dict, List

import pytest

from tachyon_sdk.testing import DEFAULT_API_KEY, DEFAULT_MODEL, LocalServer

CHAT = "/v1/llms/chat/completions"
CHATROOM = "/v1/llms/chatrooms/room-1/chat/completions"
DEP_CHAT = "/v1/projects/proj/deployments/dep/chat/completions"
DEP_COMPLETIONS = "/v1/projects/proj/deployments/dep/completions"

SPEC_CHAT = "/v1/llms/chat/completions"
SPEC_CHATROOM = "/v1/llms/chatrooms/{chatroom_id}/chat/completions"
SPEC_DEP_CHAT = "/v1/projects/{project_id}/deployments/{deployment_id}/chat/completions"
SPEC_DEP_COMPLETIONS = "/v1/projects/{project_id}/deployments/{deployment_id}/completions"

PROMPT = "Who is the best French painter?"


def chat_body(**extra: Any) -> Dict[str, Any]:
    return {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": PROMPT}], **extra}


def dep_chat_body(**extra: Any) -> Dict[str, Any]:
    return {"messages": [{"role": "user", "content": PROMPT}], **extra}


def data_events(answer: Any) -> List[Any]:
    """The JSON data of every event before [DONE], checking the stream ends with exactly one [DONE]."""
    events = answer.events()
    assert answer.complete
    assert [e.data for e in events].count("[DONE]") == 1
    assert events[-1].data == "[DONE]"
    assert all(e.event is None for e in events)
    return [e.json() for e in events[:-1]]


# -- lifecycle --------------------------------------------------------------------------------------


def test_with_block_starts_and_stops_a_server_on_127_0_0_1() -> None:
    with LocalServer() as server:
        assert server.running
        assert server.url == f"http://127.0.0.1:{server.port}"
        port = server.port
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


def test_start_and_stop_without_with_block_and_restart() -> None:
    server = LocalServer()
    assert server.start() is server
    assert server.start() is server  # already running: no-op
    assert "127.0.0.1" in repr(server)
    server.stop()
    server.stop()  # idempotent
    assert repr(server) == "<LocalServer stopped>"
    server.start()
    try:
        assert server.running
    finally:
        server.stop()


def test_stop_ends_a_stream_in_progress_and_events_are_not_buffered(server: LocalServer) -> None:
    # With a long delay between events, the first event still arrives at once: it is sent
    # as produced. Stopping the server then ends the stream without [DONE].
    server.set_reply("one two three", chunk_delay=30)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        body = json.dumps(chat_body(stream=True))
        headers = {"x-operator-id": "op", "Authorization": "Bearer t", "Content-Type": "application/json"}
        conn.request("POST", CHAT, body, headers)
        response = conn.getresponse()
        assert response.status == 200
        first = response.read1()
        assert first.startswith(b"data: {")
        server.stop()
        with pytest.raises(http.client.IncompleteRead):
            response.read()
    finally:
        conn.close()


def test_keep_alive_serves_several_requests_on_one_connection(server: LocalServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"x-operator-id": "op", "Authorization": "Bearer t", "Content-Type": "application/json"}
    try:
        conn.request("POST", CHAT, json.dumps(chat_body()), headers)
        first = conn.getresponse()
        assert first.status == 200 and first.read()
        sock = conn.sock
        conn.request("POST", CHAT, json.dumps(chat_body(stream=True)), headers)
        second = conn.getresponse()
        assert second.getheader("Transfer-Encoding") == "chunked"
        assert second.read().endswith(b"data: [DONE]\n\n")
        conn.request("POST", CHAT, json.dumps(chat_body()), headers)
        third = conn.getresponse()
        assert third.status == 200 and third.read()
        assert conn.sock is sock
    finally:
        conn.close()


# -- the four operations ----------------------------------------------------------------------------


def test_chat_completion_is_a_chat_completion_with_explicit_nulls(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body())
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json()
    checker.check(body, checker.response_schema(SPEC_CHAT, "200"))
    assert body["object"] == "chat.completion"
    assert body["model"] == DEFAULT_MODEL
    assert isinstance(body["created"], int)
    assert body["system_fingerprint"] is None
    assert body["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": PROMPT, "tool_calls": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    assert body["usage"] == {"prompt_tokens": 8, "completion_tokens": 6, "total_tokens": 14}


def test_chat_completion_stream_carries_explicit_nulls_and_ends_with_done(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(stream=True, model="my-model"))
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    assert answer.headers["Transfer-Encoding"] == "chunked"
    chunks = data_events(answer)
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_CHAT, "200", "text/event-stream"))
        assert "usage" not in chunk
        assert chunk["object"] == "chat.completion.chunk" and isinstance(chunk["created"], int)
        [choice] = chunk["choices"]
        assert set(choice) == {"index", "delta", "logprobs", "finish_reason"} and choice["logprobs"] is None
        assert set(choice["delta"]) == {"role", "content", "tool_calls"} and choice["delta"]["tool_calls"] is None
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert {c["model"] for c in chunks} == {"my-model"}
    deltas = [c["choices"][0]["delta"] for c in chunks]
    assert deltas[0] == {"role": "assistant", "content": "", "tool_calls": None}
    assert [d["role"] for d in deltas[1:]] == [None] * (len(deltas) - 1)  # "role": null after the first
    assert [d["content"] for d in deltas[1:-1]] == ["Who ", "is ", "the ", "best ", "French ", "painter?"]
    assert deltas[-1] == {"role": None, "content": None, "tool_calls": None}
    finish = [c["choices"][0]["finish_reason"] for c in chunks]
    assert finish == [None] * (len(chunks) - 1) + ["stop"]  # "finish_reason": null until the last


def test_chat_stream_usage_in_a_last_chunk_when_asked(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(stream=True, stream_options={"include_usage": True}))
    chunks = data_events(answer)
    for chunk in chunks:
        checker.check(chunk, "ChatCompletionChunkResponse")
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 8, "completion_tokens": 6, "total_tokens": 14}
    assert all(c["usage"] is None for c in chunks[:-1])


def test_chatroom_answer_has_null_created_and_no_chatroom_id(client: Any, checker: Any) -> None:
    body = client.post(CHATROOM, chat_body()).json()
    checker.check(body, checker.response_schema(SPEC_CHATROOM, "200"))
    assert "created" in body and body["created"] is None
    assert "chatroom_id" not in body
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"]["content"] == PROMPT
    assert body["choices"][0]["finish_reason"] == "stop"


def test_chatroom_chunks_have_no_created_no_chatroom_id_and_finish_only_last(client: Any, checker: Any) -> None:
    streamed = client.post("/v1/llms/chatrooms/room%2F2/chat/completions", chat_body(stream=True))
    chunks = data_events(streamed)
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_CHATROOM, "200", "text/event-stream"))
        assert set(chunk) == {"id", "object", "model", "choices"}  # no created, no chatroom_id
    *middle, last = chunks
    assert all("finish_reason" not in c["choices"][0] for c in middle)
    assert last["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    assert middle[0]["choices"][0]["delta"] == {"role": "assistant", "content": "Who "}
    assert all(set(c["choices"][0]["delta"]) == {"content"} for c in middle[1:])
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks) == PROMPT


def test_chatroom_agent_events_switch(server: LocalServer, client: Any) -> None:
    server.agent_events = True
    answer = client.post(CHATROOM, chat_body(stream=True))
    assert answer.status == 200 and answer.complete
    events = answer.events()
    assert [e.event for e in events] == ["say"] * 6 + ["done"]
    assert "".join(e.json()["text"] for e in events[:-1]) == PROMPT
    assert all(e.data != "[DONE]" for e in events)  # `event: done` ends this stream
    # only streamed chatroom requests change; the plain chat stream keeps its chunks
    assert data_events(client.post(CHAT, chat_body(stream=True)))[0]["object"] == "chat.completion.chunk"
    assert client.post(CHATROOM, chat_body()).json()["choices"][0]["message"]["content"] == PROMPT
    server.reset()
    assert not server.agent_events
    with LocalServer(agent_events=True) as other:
        assert other.agent_events


def test_deployment_chat_completion_is_id_and_response(client: Any, checker: Any) -> None:
    body = client.post(DEP_CHAT, dep_chat_body(temperature=0.7, max_new_tokens=500, top_k=50)).json()
    checker.check(body, checker.response_schema(SPEC_DEP_CHAT, "200"))
    assert set(body) == {"id", "response"}
    assert body["response"] == PROMPT

    chunks = data_events(client.post(DEP_CHAT, dep_chat_body(streaming=True)))
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_DEP_CHAT, "200", "text/event-stream"))
        assert set(chunk) == {"id", "response"}
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert [c["response"] for c in chunks] == ["Who ", "is ", "the ", "best ", "French ", "painter?"]


def test_deployment_completion_is_id_and_response(client: Any, checker: Any) -> None:
    body = client.post(DEP_COMPLETIONS, {"prompt": "What is the capital of France?"}).json()
    checker.check(body, checker.response_schema(SPEC_DEP_COMPLETIONS, "200"))
    assert body["response"] == "What is the capital of France?"
    assert set(body) == {"id", "response"}

    chunks = data_events(client.post(DEP_COMPLETIONS, {"prompt": "Paris is nice", "streaming": True}))
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_DEP_COMPLETIONS, "200", "text/event-stream"))
    assert [c["response"] for c in chunks] == ["Paris ", "is ", "nice"]


def test_streaming_false_answers_json(client: Any) -> None:
    answer = client.post(DEP_COMPLETIONS, {"prompt": "x", "streaming": False})
    assert answer.headers["Content-Type"] == "application/json"
    answer = client.post(CHAT, chat_body(stream=None))
    assert answer.json()["object"] == "chat.completion"


def test_set_reply_replaces_the_echo_until_cleared(server: LocalServer, client: Any) -> None:
    server.set_reply("Claude Monet.")
    assert client.post(CHAT, chat_body()).json()["choices"][0]["message"]["content"] == "Claude Monet."
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).json()["response"] == "Claude Monet."
    chunks = data_events(client.post(DEP_CHAT, dep_chat_body(streaming=True)))
    assert [c["response"] for c in chunks] == ["Claude ", "Monet."]
    server.set_reply(None)
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).json()["response"] == "p"


def test_limits_the_real_services_read_and_n(client: Any) -> None:
    body = client.post(CHAT, chat_body(max_completion_tokens=2)).json()
    assert body["choices"][0]["message"]["content"] == "Who is "
    assert body["choices"][0]["finish_reason"] == "length"
    # Tachyon ignores the OpenAI-style max_tokens and stop
    body = client.post(CHAT, chat_body(max_tokens=2, stop=["French"])).json()
    assert body["choices"][0]["message"]["content"] == PROMPT
    assert body["choices"][0]["finish_reason"] == "stop"
    assert client.post(DEP_COMPLETIONS, {"prompt": "a b c", "max_new_tokens": 1}).json()["response"] == "a "
    body = client.post(CHAT, chat_body(n=2)).json()
    assert [c["index"] for c in body["choices"]] == [0, 1]
    chunks = data_events(client.post(CHAT, chat_body(n=2, stream=True)))
    for index in (0, 1):
        text = "".join(ch["delta"].get("content") or "" for c in chunks for ch in c["choices"] if ch["index"] == index)
        assert text == PROMPT


def test_content_parts_are_echoed_as_text(client: Any) -> None:
    body = chat_body()
    body["messages"][-1]["content"] = [
        {"type": "text", "text": "Describe"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        {"type": "text", "text": "this."},
    ]
    assert client.post(CHAT, body).json()["choices"][0]["message"]["content"] == "Describe this."


def test_chunked_request_body_is_accepted(server: LocalServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        payload = json.dumps(chat_body()).encode()
        conn.request(
            "POST",
            CHAT,
            body=iter([payload[:10], payload[10:]]),
            headers={
                "x-operator-id": "op",
                "Authorization": "Bearer t",
                "Content-Type": "application/json",
                "Transfer-Encoding": "chunked",
            },
            encode_chunked=True,
        )
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["choices"][0]["message"]["content"] == PROMPT
    finally:
        conn.close()


# -- checks as the real services do ---------------------------------------------------------------------


def test_unknown_path_is_404_and_wrong_method_is_405(client: Any, checker: Any) -> None:
    answer = client.post("/v1/nothing", chat_body())
    assert (answer.status, answer.body) == (404, b"")  # axum's fallback
    answer = client.post("/v1/projects/p/nothing", {})
    assert answer.status == 404
    checker.check(answer.json(), "APIErrorNotFound")
    assert answer.json()["code"] == "object_not_found"
    answer = client.request(CHAT, method="GET", headers={})
    assert (answer.status, answer.body, answer.headers["Allow"]) == (405, b"", "POST")
    answer = client.request(DEP_CHAT, method="HEAD", headers={})
    assert answer.status == 405 and answer.body == b""


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "missing Authorization"),
        ("Basic dXNlcjpwdw==", "malformed Authorization"),
        ("Bearer ", "malformed Authorization"),
        ("token-without-scheme", "malformed Authorization"),
    ],
)
@pytest.mark.parametrize("path", [CHAT, CHATROOM])
def test_chat_without_a_bearer_token_is_401_tachyon_error(
    client: Any, checker: Any, path: str, authorization: Any, detail: str
) -> None:
    answer = client.post(path, chat_body(), Authorization=authorization)
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/json"
    error = answer.json()
    checker.check(error, "ErrorResponse")
    assert error["error"].startswith("Unauthorized: " + detail)
    assert set(error) == {"error"}


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no key at all
        {"X-API-Key": "wrong-key"},
        {"X-API-Key": DEFAULT_API_KEY + "x"},
        {"X-API-Key": ""},
        {"Authorization": "Bearer " + DEFAULT_API_KEY},  # no Bearer for deployments
    ],
    ids=["missing", "wrong", "longer", "empty", "bearer"],
)
@pytest.mark.parametrize("path", [DEP_CHAT, DEP_COMPLETIONS])
def test_deployments_check_the_x_api_key_401(client: Any, checker: Any, path: str, headers: Dict[str, str]) -> None:
    body = {"prompt": "p"} if path == DEP_COMPLETIONS else dep_chat_body()
    answer = client.request(path, body, headers={"Content-Type": "application/json", **headers})
    assert answer.status == 401
    assert answer.json() == {"status": 401, "error": "Unauthorized"}
    checker.check(answer.json(), "APIErrorUnauthorized")
    assert "wrong-key" not in answer.body.decode()
    ok = client.request(path, body, headers={"Content-Type": "application/json", "x-api-key": DEFAULT_API_KEY})
    assert ok.status == 200  # the header name is case-insensitive


def test_deployments_need_no_operator_id(client: Any) -> None:
    answer = client.post(DEP_COMPLETIONS, {"prompt": "p"}, x_operator_id=None)
    assert answer.status == 200


def test_chat_accepts_any_bearer_unless_check_chat_key(server: LocalServer, client: Any) -> None:
    assert client.post(CHAT, chat_body(), Authorization="Bearer anything").status == 200
    server.check_chat_key = True
    answer = client.post(CHAT, chat_body(), Authorization="Bearer anything")
    assert answer.status == 401 and answer.json() == {"error": "Unauthorized: invalid token"}
    assert client.post(CHAT, chat_body(), Authorization="Bearer " + server.api_key).status == 200


def test_api_key_is_settable(server: LocalServer, client: Any) -> None:
    server.api_key = "new-key"
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}, x_api_key=DEFAULT_API_KEY).status == 401
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}, x_api_key="new-key").status == 200
    with LocalServer("custom") as other:
        assert other.api_key == "custom"


@pytest.mark.parametrize("operator_id", [None, "", "  "])
def test_missing_operator_id_is_400_tachyon_error(client: Any, checker: Any, operator_id: Any) -> None:
    answer = client.post(CHAT, chat_body(), x_operator_id=operator_id)
    assert answer.status == 400
    checker.check(answer.json(), "ErrorResponse")
    assert answer.json() == {"error": "BadRequest: missing x-operator-id header"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "missing field `messages`"),
        ({"messages": "hi"}, 'messages: invalid type: string "hi", expected a sequence'),
        (chat_body(temperature=2.5), "temperature: invalid value: floating point `2.5`, expected a value between 0 and 2"),
        (chat_body(temperature=-0.1), "temperature: invalid value: floating point `-0.1`, expected a value between 0 and 2"),
        (chat_body(temperature="hot"), 'temperature: invalid type: string "hot", expected f64'),
        (chat_body(max_completion_tokens=1.5), "max_completion_tokens: invalid type: floating point `1.5`, expected i32"),
        (chat_body(max_completion_tokens=2**31), "max_completion_tokens: invalid value: integer `2147483648`, expected i32"),
        (chat_body(n=11), "n: invalid value: integer `11`, expected a value between 1 and 10"),
        (chat_body(n=0), "n: invalid value: integer `0`, expected a value between 1 and 10"),
        (chat_body(stream="yes"), 'stream: invalid type: string "yes", expected a boolean'),
        (chat_body(stop=["a", "b", "c", "d", "e"]), "stop: invalid length 5, expected at most 4 items"),
        (chat_body(stop=7), "stop: data did not match any variant of untagged enum"),
        ({"messages": [{"content": "x"}]}, "messages[0]: missing field `role`"),
        ({"messages": [{"role": 1}]}, "messages[0].role: invalid type: integer `1`, expected a string"),
        (chat_body(logit_bias={"50256": -101}), "logit_bias.50256: invalid value: integer `-101`, expected a value between -100 and 100"),
        (chat_body(tool_choice="sometimes"), "tool_choice: unknown variant `sometimes`, expected `auto` or `any`"),
        (chat_body(tools=[{"type": "function", "function": {"name": "f"}}]), "tools[0].function: missing field `description`"),
        (chat_body(memory_settings={"extract_memory": True, "max_memories": 50, "min_relevance_score": 0.5}), "memory_settings.max_memories: invalid value: integer `50`, expected a value between 1 and 20"),
        (chat_body(web_search={"query": "q" * 1001}), "web_search.query: invalid length 1001, expected at most 1000 characters"),
        (chat_body(response_format=5), "response_format: invalid type: integer `5`, expected a map"),
        ([], "invalid type: sequence, expected a map"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("path", [CHAT, CHATROOM])
def test_a_chat_body_that_breaks_the_schema_is_422_plain_text_naming_the_field(
    client: Any, path: str, body: Any, message: str
) -> None:
    answer = client.post(path, body)
    assert answer.status == 422, answer.body
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.body.decode() == "Failed to deserialize the JSON body into the target type: " + message


def test_the_first_problem_in_body_order_is_the_one_reported(client: Any) -> None:
    answer = client.post(CHAT, {"temperature": 9, "n": 0, "messages": [{"role": "user"}]})
    assert answer.body.decode().endswith(": temperature: invalid value: integer `9`, expected a value between 0 and 2")
    answer = client.post(CHAT, {"n": 0, "temperature": 9, "messages": [{"role": "user"}]})
    assert answer.body.decode().endswith(": n: invalid value: integer `0`, expected a value between 1 and 10")


def test_the_server_is_never_stricter_than_the_real_one(client: Any) -> None:
    # no minItems on messages, any role string, free-form styles, nulls where the spec allows them
    assert client.post(CHAT, {"messages": []}).status == 200
    assert client.post(CHAT, {"messages": [{"role": "developer", "content": "x"}]}).status == 200
    body = chat_body(model=None, n=None, communication_style="casual", web_search=None, stop="x", added_later=1)
    assert client.post(CHAT, body).status == 200
    # deployment bodies have no ranges, and prompts may be empty
    assert client.post(DEP_COMPLETIONS, {"prompt": "", "temperature": 7, "top_k": 0, "max_new_tokens": 0}).status == 200
    assert client.post(DEP_CHAT, {"messages": [], "top_p": 3}).status == 200


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"messages": [', "EOF while parsing a value at line 1 column 14"),
        (b"", "EOF while parsing a value at line 1 column 0"),
        (b"NaN", "expected value (`NaN` is not JSON)"),
        (b"{'messages': []}", "expecting property name enclosed in double quotes at line 1 column 2"),
        (b'{"messages": []}\xff', "invalid unicode code point at byte 16"),
    ],
)
def test_a_body_that_is_not_json_is_400_plain_text(client: Any, raw: bytes, message: str) -> None:
    answer = client.request(CHAT, raw=raw, headers=client.headers(CHAT))
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.body.decode() == "Failed to parse the request body as JSON: " + message


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/x-www-form-urlencoded"])
def test_chat_without_a_json_content_type_is_415_plain_text(client: Any, content_type: Any) -> None:
    answer = client.post(CHAT, chat_body(), content_type=content_type)
    assert answer.status == 415
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.body == b"Expected request with `Content-Type: application/json`"
    assert client.post(CHAT, chat_body(), content_type="application/json; charset=utf-8").status == 200
    assert client.post(CHAT, chat_body(), content_type="application/vnd.api+json").status == 200


@pytest.mark.parametrize(
    ("body", "raw", "content_type", "message"),
    [
        ({}, None, "application/json", "Invalid request body: missing field `messages`"),
        ({"messages": [{"role": "tool", "content": "x"}]}, None, "application/json", "Invalid request body: messages[0].role: unknown variant `tool`, expected one of `system`, `user`, `assistant`"),
        ({"messages": [], "streaming": 1}, None, "application/json", "Invalid request body: streaming: invalid type: integer `1`, expected a boolean"),
        (None, b'{"messages": [', "application/json", "Invalid JSON body: EOF while parsing a value at line 1 column 14"),
        ({"messages": []}, None, "text/plain", "Invalid request body: send JSON with 'Content-Type: application/json'"),
    ],
)  # fmt: skip
def test_a_bad_deployment_body_is_400_emissary_error(
    client: Any, checker: Any, body: Any, raw: Any, content_type: str, message: str
) -> None:
    headers = client.headers(DEP_CHAT, content_type=content_type)
    answer = client.request(DEP_CHAT, body, raw=raw, headers=headers)
    assert answer.status == 400
    assert answer.json() == {"status": 400, "error": message}
    checker.check(answer.json(), "APIErrorInvalidInput")


def test_missing_deployment_and_chatroom_are_404(server: LocalServer, client: Any, checker: Any) -> None:
    server.add_missing_deployment("proj", "dep")
    server.add_missing_chatroom("room-1")
    for path, body in ((DEP_CHAT, dep_chat_body()), (DEP_COMPLETIONS, {"prompt": "p"})):
        answer = client.post(path, body)
        assert answer.status == 404
        checker.check(answer.json(), "APIErrorNotFound")
        assert answer.json() == {
            "status": 404,
            "error": "Deployment 'dep' not found in project 'proj'",
            "code": "object_not_found",
        }
    answer = client.post(CHATROOM, chat_body())
    assert answer.status == 404
    assert answer.json() == {"error": "NotFound: chatroom 'room-1' not found"}
    assert client.post("/v1/projects/proj/deployments/other/completions", {"prompt": "p"}).status == 200
    assert client.post("/v1/llms/chatrooms/room-2/chat/completions", chat_body()).status == 200


def test_checks_come_in_the_real_order(client: Any) -> None:
    # Tachyon: credentials before the operator ID before the body
    bad_body = {"messages": "x"}
    assert client.post(CHAT, bad_body, Authorization=None, x_operator_id=None).status == 401
    assert client.post(CHAT, bad_body, x_operator_id=None).status == 400
    assert client.post(CHAT, bad_body, content_type="text/plain").status == 415
    assert client.post(CHAT, bad_body).status == 422
    # Emissary: the key before the body
    assert client.post(DEP_COMPLETIONS, {}, x_api_key=None).status == 401
    assert client.post(DEP_COMPLETIONS, {}).status == 400


# -- recorded requests ---------------------------------------------------------------------------------


def test_requests_are_recorded_with_secrets_masked(server: LocalServer, client: Any) -> None:
    client.post(DEP_CHAT + "?trace=1", dep_chat_body(), cookie="session=s3cret", authorization="Bearer t0ken")
    client.post("/v1/unknown", {"a": 1})
    client.request(CHAT, raw=b"not json", headers=client.headers(CHAT))
    first, second, third = server.requests
    assert first.method == "POST"
    assert first.path == DEP_CHAT + "?trace=1"
    assert first.operation == "getChatCompletionsFromDeployment"
    assert first.headers["authorization"] == "Bearer ***"
    assert first.headers["Cookie"] == "***" and first.headers["X-Api-Key"] == "***"
    assert first.body == dep_chat_body() == first.json
    for secret in (DEFAULT_API_KEY, "s3cret", "t0ken"):
        assert secret not in repr(first)
    assert second.operation is None and second.body == {"a": 1}
    assert third.body is None and third.raw_body == b"not json"
    assert server.last_request == third
    with pytest.raises(AttributeError):
        first.method = "GET"  # type: ignore[misc]
    server.clear()
    assert server.requests == [] and server.last_request is None


def test_reset_restores_the_initial_state(server: LocalServer, client: Any) -> None:
    server.set_reply("fixed")
    server.api_key = "other"
    server.check_chat_key = True
    server.agent_events = True
    server.add_missing_chatroom("room-1")
    server.fail_next(500)
    client.post(CHAT, chat_body())
    server.reset()
    assert server.requests == [] and server.pending_faults == 0
    assert server.api_key == DEFAULT_API_KEY and not server.check_chat_key and not server.agent_events
    answer = client.post(CHATROOM, chat_body(), Authorization="Bearer whatever")
    assert answer.status == 200
    assert answer.json()["choices"][0]["message"]["content"] == PROMPT


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        LocalServer("")
    with pytest.raises(ValueError):
        LocalServer(chunk_delay=-1)
    server = LocalServer()
    with pytest.raises(ValueError):
        server.fail_next(42)
    with pytest.raises(ValueError):
        server.cut_stream_after(-1)
    with pytest.raises(ValueError):
        server.delay_next(1, times=0)
    with pytest.raises(ValueError):
        server.set_reply("x", chunk_delay=-1)
    with pytest.raises(ValueError):
        server.error_event_after(0, status=99)


def test_http_1_0_client_gets_a_stream_ended_by_close(server: LocalServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        body = json.dumps({"prompt": "old client", "streaming": True}).encode()
        head = (
            "POST /v1/projects/p/deployments/d/completions HTTP/1.0\r\n"
            f"X-API-Key: {server.api_key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        received = b""
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
    head_part, _, payload = received.partition(b"\r\n\r\n")
    assert head_part.split(b"\r\n")[0].endswith(b" 200 OK")
    assert b"Transfer-Encoding" not in head_part
    assert payload.endswith(b"data: [DONE]\n\n")
    assert b'"response":"old "' in payload


def test_the_server_queues_hundreds_of_connections_at_once() -> None:
    # socketserver's default backlog of 5 makes a burst of connections (an asyncio client opening hundreds
    # of streams together) wait for SYN retransmits; every one of 300 simultaneous connections is answered.
    import socket as _socket
    from concurrent.futures import ThreadPoolExecutor

    from tachyon_sdk.testing._server import LISTEN_BACKLOG, _HTTPServer

    assert _HTTPServer.request_queue_size == LISTEN_BACKLOG >= 512
    with LocalServer() as server:
        host, port = server.url.rsplit("/", 1)[-1].rsplit(":", 1)

        def ask(_: int) -> bytes:
            with _socket.create_connection((host, int(port)), timeout=30) as sock:
                sock.sendall(b"POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return sock.recv(12)

        with ThreadPoolExecutor(max_workers=300) as pool:
            answers = list(pool.map(ask, range(300)))
    assert all(answer.startswith(b"HTTP/1.") for answer in answers)
