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
        conn.request("POST", CHAT, body, {"x-operator-id": "op", "Authorization": "Bearer t"})
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


def test_chat_completion_echoes_the_last_user_message(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body())
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    body = answer.json()
    checker.check(body, checker.response_schema(SPEC_CHAT, "200"))
    assert body["object"] == "chat.completion"
    assert body["model"] == DEFAULT_MODEL
    assert body["choices"] == [
        {"index": 0, "message": {"role": "assistant", "content": PROMPT}, "finish_reason": "stop", "logprobs": None}
    ]
    assert body["usage"] == {"prompt_tokens": 8, "completion_tokens": 6, "total_tokens": 14}


def test_chat_completion_stream_word_by_word_ends_with_done(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(stream=True, model="my-model"))
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    assert answer.headers["Transfer-Encoding"] == "chunked"
    chunks = data_events(answer)
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_CHAT, "200", "text/event-stream"))
        assert "usage" not in chunk
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert {c["model"] for c in chunks} == {"my-model"}
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    pieces = [c["choices"][0]["delta"].get("content") or "" for c in chunks]
    assert pieces[1:-1] == ["Who ", "is ", "the ", "best ", "French ", "painter?"]
    assert "".join(pieces) == PROMPT
    assert [c["choices"][0]["finish_reason"] for c in chunks][-1] == "stop"


def test_chat_stream_usage_in_a_last_chunk_when_asked(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(stream=True, stream_options={"include_usage": True}))
    chunks = data_events(answer)
    for chunk in chunks:
        checker.check(chunk, "ChatCompletionChunkResponse")
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 8, "completion_tokens": 6, "total_tokens": 14}
    assert all(c["usage"] is None for c in chunks[:-1])


def test_chatroom_variant_carries_the_chatroom_id(client: Any, checker: Any) -> None:
    answer = client.post(CHATROOM, chat_body())
    body = answer.json()
    checker.check(body, checker.response_schema(SPEC_CHATROOM, "200"))
    assert body["chatroom_id"] == "room-1"
    assert body["choices"][0]["message"]["content"] == PROMPT

    streamed = client.post("/v1/llms/chatrooms/room%2F2/chat/completions", chat_body(stream=True))
    chunks = data_events(streamed)
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_CHATROOM, "200", "text/event-stream"))
    assert {c["chatroom_id"] for c in chunks} == {"room/2"}  # percent-decoded path parameter
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks) == PROMPT


def test_deployment_chat_completion(client: Any, checker: Any) -> None:
    body = client.post(DEP_CHAT, dep_chat_body(temperature=0.7, max_new_tokens=500, top_k=50)).json()
    checker.check(body, checker.response_schema(SPEC_DEP_CHAT, "200"))
    assert body["deployment_id"] == "dep"
    assert body["message"] == {"role": "assistant", "content": PROMPT}
    assert body["finish_reason"] == "stop"

    chunks = data_events(client.post(DEP_CHAT, dep_chat_body(streaming=True)))
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_DEP_CHAT, "200", "text/event-stream"))
        assert set(chunk) <= {"id", "delta", "finish_reason", "usage"}
    assert chunks[0]["delta"]["role"] == "assistant"
    assert "".join(c["delta"].get("content") or "" for c in chunks) == PROMPT
    assert chunks[-1]["finish_reason"] == "stop"
    assert chunks[-1]["usage"]["completion_tokens"] == 6


def test_deployment_completion(client: Any, checker: Any) -> None:
    body = client.post(DEP_COMPLETIONS, {"prompt": "What is the capital of France?"}).json()
    checker.check(body, checker.response_schema(SPEC_DEP_COMPLETIONS, "200"))
    assert body["text"] == "What is the capital of France?"
    assert body["deployment_id"] == "dep"

    chunks = data_events(client.post(DEP_COMPLETIONS, {"prompt": "Paris is nice", "streaming": True}))
    for chunk in chunks:
        checker.check(chunk, checker.response_schema(SPEC_DEP_COMPLETIONS, "200", "text/event-stream"))
    assert [c["text"] for c in chunks] == ["Paris ", "is ", "nice", ""]
    assert chunks[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}


def test_streaming_false_answers_json(client: Any) -> None:
    answer = client.post(DEP_COMPLETIONS, {"prompt": "x", "streaming": False})
    assert answer.headers["Content-Type"] == "application/json"
    answer = client.post(CHAT, chat_body(stream=None))
    assert answer.json()["object"] == "chat.completion"


def test_set_reply_replaces_the_echo_until_cleared(server: LocalServer, client: Any) -> None:
    server.set_reply("Claude Monet.")
    assert client.post(CHAT, chat_body()).json()["choices"][0]["message"]["content"] == "Claude Monet."
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).json()["text"] == "Claude Monet."
    chunks = data_events(client.post(DEP_CHAT, dep_chat_body(streaming=True)))
    assert [c["delta"].get("content") for c in chunks][1:-1] == ["Claude ", "Monet."]
    server.set_reply(None)
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).json()["text"] == "p"


def test_max_tokens_stop_and_n(client: Any) -> None:
    body = client.post(CHAT, chat_body(max_tokens=2)).json()
    assert body["choices"][0]["message"]["content"] == "Who is "
    assert body["choices"][0]["finish_reason"] == "length"
    body = client.post(CHAT, chat_body(stop=["French", "best"])).json()
    assert body["choices"][0]["message"]["content"] == "Who is the "
    assert body["choices"][0]["finish_reason"] == "stop"
    assert client.post(DEP_COMPLETIONS, {"prompt": "a b c", "max_new_tokens": 1}).json()["text"] == "a "
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
            headers={"x-operator-id": "op", "Authorization": "Bearer t", "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["choices"][0]["message"]["content"] == PROMPT
    finally:
        conn.close()


# -- checks as the real API does ----------------------------------------------------------------------


def test_unknown_path_is_404_and_wrong_method_is_405(client: Any, checker: Any) -> None:
    answer = client.post("/v1/nothing", chat_body())
    assert answer.status == 404
    checker.check(answer.json(), "APIErrorNotFound")
    answer = client.request(CHAT, method="GET", headers={})
    assert answer.status == 405
    assert answer.headers["Allow"] == "POST"
    checker.check(answer.json(), "APIError")
    answer = client.request(DEP_CHAT, method="HEAD", headers={})
    assert answer.status == 405 and answer.body == b""


@pytest.mark.parametrize(
    ("path", "authorization"),
    [
        (CHAT, None),
        (CHAT, "Basic dXNlcjpwdw=="),
        (CHAT, "Bearer "),
        (CHATROOM, "token-without-scheme"),
        (DEP_CHAT, None),
        (DEP_CHAT, "Bearer wrong-key"),
        (DEP_COMPLETIONS, "Bearer " + DEFAULT_API_KEY + "x"),
    ],
)
def test_missing_or_invalid_credentials_are_401_api_error(
    client: Any, checker: Any, path: str, authorization: Any
) -> None:
    body = {"prompt": "p"} if path == DEP_COMPLETIONS else chat_body()
    answer = client.post(path, body, Authorization=authorization)
    assert answer.status == 401
    error = answer.json()
    checker.check(error, "APIError")
    assert error["error"]["type"] == "authentication_error"
    assert "wrong-key" not in answer.body.decode()


def test_chat_accepts_any_bearer_unless_check_chat_key(server: LocalServer, client: Any) -> None:
    assert client.post(CHAT, chat_body(), Authorization="Bearer anything").status == 200
    server.check_chat_key = True
    assert client.post(CHAT, chat_body(), Authorization="Bearer anything").status == 401
    assert client.post(CHAT, chat_body(), Authorization="Bearer " + server.api_key).status == 200


def test_api_key_is_settable(server: LocalServer, client: Any) -> None:
    server.api_key = "new-key"
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}, Authorization="Bearer " + DEFAULT_API_KEY).status == 401
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}, Authorization="Bearer new-key").status == 200
    with LocalServer("custom") as other:
        assert other.api_key == "custom"


@pytest.mark.parametrize("operator_id", [None, "", "  "])
def test_missing_operator_id_is_400_invalid_input(client: Any, checker: Any, operator_id: Any) -> None:
    answer = client.post(DEP_CHAT, dep_chat_body(), x_operator_id=operator_id)
    assert answer.status == 400
    checker.check(answer.json(), "APIErrorInvalidInput")
    assert "x-operator-id" in answer.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "loc", "error_type"),
    [
        (CHAT, {}, ["body", "messages"], "missing"),
        (CHAT, {"messages": []}, ["body", "messages"], "too_short"),
        (CHAT, {"messages": "hi"}, ["body", "messages"], "list_type"),
        (CHAT, chat_body(temperature=2.5), ["body", "temperature"], "less_than_equal"),
        (CHAT, chat_body(temperature=-0.1), ["body", "temperature"], "greater_than_equal"),
        (CHAT, chat_body(temperature="hot"), ["body", "temperature"], "float_type"),
        (CHAT, chat_body(max_tokens=1.5), ["body", "max_tokens"], "int_type"),
        (CHAT, chat_body(stream="yes"), ["body", "stream"], "bool_type"),
        (CHAT, chat_body(stop=["a", "b", "c", "d", "e"]), ["body", "stop"], "too_long"),
        (CHAT, chat_body(stop=7), ["body", "stop"], "union_type"),
        (CHAT, {"messages": [{"role": "robot", "content": "x"}]}, ["body", "messages", 0, "role"], "enum"),
        (CHAT, {"messages": [{"content": "x"}]}, ["body", "messages", 0, "role"], "missing"),
        (CHAT, chat_body(logit_bias={"50256": -101}), ["body", "logit_bias", "50256"], "greater_than_equal"),
        (
            CHAT,
            chat_body(tools=[{"type": "function", "function": {"name": "bad name"}}]),
            ["body", "tools", 0, "function", "name"],
            "string_pattern_mismatch",
        ),
        (CHAT, chat_body(tool_choice="sometimes"), ["body", "tool_choice"], "enum"),
        (CHATROOM, chat_body(top_p=1.5), ["body", "top_p"], "less_than_equal"),
        (DEP_CHAT, {"messages": [{"role": "tool", "content": "x"}]}, ["body", "messages", 0, "role"], "enum"),
        (DEP_CHAT, dep_chat_body(top_k=0), ["body", "top_k"], "greater_than_equal"),
        (DEP_COMPLETIONS, {"prompt": ""}, ["body", "prompt"], "string_too_short"),
        (DEP_COMPLETIONS, {"prompt": "p", "streaming": 1}, ["body", "streaming"], "bool_type"),
        (DEP_COMPLETIONS, [], ["body"], "dict_type"),
    ],
)
def test_a_body_that_breaks_the_schema_is_422_naming_the_field(
    client: Any, checker: Any, path: str, body: Any, loc: List[Any], error_type: str
) -> None:
    answer = client.post(path, body)
    assert answer.status == 422, answer.body
    error = answer.json()
    checker.check(error, "HTTPValidationError")
    assert {"loc": loc, "msg": error["detail"][0]["msg"], "type": error_type} in error["detail"]


def test_invalid_json_and_empty_body_are_422(client: Any, checker: Any) -> None:
    answer = client.request(CHAT, raw=b'{"messages": [', headers=client.headers(CHAT))
    assert answer.status == 422
    checker.check(answer.json(), "HTTPValidationError")
    [problem] = answer.json()["detail"]
    assert problem["type"] == "json_invalid"
    assert problem["loc"] == ["body", 14]
    answer = client.request(CHAT, raw=b"NaN", headers=client.headers(CHAT))
    assert answer.json()["detail"][0]["type"] == "json_invalid"
    answer = client.request(CHAT, headers=client.headers(CHAT))
    assert answer.status == 422
    assert answer.json()["detail"] == [{"loc": ["body"], "msg": "Field required", "type": "missing"}]


def test_every_problem_is_reported(client: Any) -> None:
    answer = client.post(CHAT, {"messages": [{"role": "user"}], "temperature": 9, "n": 0})
    locs = [p["loc"] for p in answer.json()["detail"]]
    assert locs == [["body", "n"], ["body", "temperature"]]


def test_non_json_content_type_is_415(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(), content_type="text/plain")
    assert answer.status == 415
    checker.check(answer.json(), "APIError")
    assert client.post(CHAT, chat_body(), content_type="application/json; charset=utf-8").status == 200


def test_missing_deployment_and_chatroom_are_404(server: LocalServer, client: Any, checker: Any) -> None:
    server.add_missing_deployment("proj", "dep")
    server.add_missing_chatroom("room-1")
    for path, body in ((DEP_CHAT, dep_chat_body()), (DEP_COMPLETIONS, {"prompt": "p"}), (CHATROOM, chat_body())):
        answer = client.post(path, body)
        assert answer.status == 404
        checker.check(answer.json(), "APIErrorNotFound")
    assert client.post("/v1/projects/proj/deployments/other/completions", {"prompt": "p"}).status == 200
    assert client.post("/v1/llms/chatrooms/room-2/chat/completions", chat_body()).status == 200


def test_too_many_choices_is_400(client: Any, checker: Any) -> None:
    answer = client.post(CHAT, chat_body(n=1000))
    assert answer.status == 400
    checker.check(answer.json(), "APIErrorInvalidInput")


# -- recorded requests ---------------------------------------------------------------------------------


def test_requests_are_recorded_with_secrets_masked(server: LocalServer, client: Any) -> None:
    client.post(DEP_CHAT + "?trace=1", dep_chat_body(), cookie="session=s3cret", x_api_key="k3y")
    client.post("/v1/unknown", {"a": 1})
    client.request(CHAT, raw=b"not json", headers=client.headers(CHAT))
    first, second, third = server.requests
    assert first.method == "POST"
    assert first.path == DEP_CHAT + "?trace=1"
    assert first.operation == "getChatCompletionsFromDeployment"
    assert first.headers["authorization"] == "Bearer ***"
    assert first.headers["Cookie"] == "***" and first.headers["X-Api-Key"] == "***"
    assert first.headers["X-Operator-Id"] == "tn_local"
    assert first.body == dep_chat_body() == first.json
    assert DEFAULT_API_KEY not in repr(first) and "s3cret" not in repr(first)
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
    server.add_missing_chatroom("room-1")
    server.fail_next(500)
    client.post(CHAT, chat_body())
    server.reset()
    assert server.requests == [] and server.pending_faults == 0
    assert server.api_key == DEFAULT_API_KEY and not server.check_chat_key
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


def test_http_1_0_client_gets_a_stream_ended_by_close(server: LocalServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        body = json.dumps({"prompt": "old client", "streaming": True}).encode()
        head = (
            "POST /v1/projects/p/deployments/d/completions HTTP/1.0\r\n"
            f"x-operator-id: op\r\nAuthorization: Bearer {server.api_key}\r\nContent-Length: {len(body)}\r\n\r\n"
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
    assert b'"text":"old "' in payload
