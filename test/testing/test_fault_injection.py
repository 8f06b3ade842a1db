"""Faults queued on a LocalServer, observed with plain http.client over real sockets."""

import http.client
import json
import socket
from typing import Any, Dict

import pytest

from tachyon_sdk.testing import LocalServer

CHAT = "/v1/llms/chat/completions"
DEP_COMPLETIONS = "/v1/projects/proj/deployments/dep/completions"


def chat(**extra: Any) -> Dict[str, Any]:
    return {"messages": [{"role": "user", "content": "one two three four"}], **extra}


def test_fail_next_answers_429_in_the_services_error_shape_once(server: LocalServer, client: Any, checker: Any) -> None:
    server.fail_next()
    assert server.pending_faults == 1
    answer = client.post(CHAT, chat())
    assert answer.status == 429
    assert "Retry-After" not in answer.headers
    checker.check(answer.json(), "ErrorResponse")
    assert answer.json() == {"error": "TooManyRequests: Rate limit exceeded; retry later"}
    assert server.pending_faults == 0
    assert client.post(CHAT, chat()).status == 200
    server.fail_next(429)
    answer = client.post(DEP_COMPLETIONS, {"prompt": "p"})
    assert answer.json() == {"status": 429, "error": "Rate limit exceeded; retry later"}
    server.fail_next(404)
    answer = client.post(DEP_COMPLETIONS, {"prompt": "p"})
    assert answer.json() == {"status": 404, "error": "Injected failure: HTTP 404", "code": "object_not_found"}


@pytest.mark.parametrize("path", [CHAT, "/v1/llms/chatrooms/r/chat/completions"])
def test_fail_next_402_is_out_of_credits(server: LocalServer, client: Any, checker: Any, path: str) -> None:
    server.fail_next(402)
    answer = client.post(path, chat(stream=True))
    assert answer.status == 402
    assert answer.headers["Content-Type"] == "application/json"
    checker.check(answer.json(), "ErrorResponse")
    assert answer.json() == {"error": "PaymentRequired: Insufficient credits: the operator has no credits left"}


def test_fail_next_with_retry_after_body_headers_and_times(server: LocalServer, client: Any) -> None:
    server.fail_next(503, retry_after=2, headers={"x-extra": "1"}, times=2)
    for _ in range(2):
        answer = client.post(CHAT, chat(stream=True))
        assert answer.status == 503
        assert answer.headers["Retry-After"] == "2"
        assert answer.headers["x-extra"] == "1"
        assert answer.json() == {"error": "ServiceUnavailable: The service is temporarily unavailable"}
    server.fail_next(500, body={"error": {"message": "boom", "code": 7}}, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    answer = client.post(CHAT, chat())
    assert answer.json() == {"error": {"message": "boom", "code": 7}}
    assert answer.headers["Retry-After"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    server.fail_next(502, body="<html>bad gateway</html>", headers={"Content-Type": "text/html"})
    answer = client.post(CHAT, chat())
    assert (answer.status, answer.body, answer.headers["Content-Type"]) == (
        502,
        b"<html>bad gateway</html>",
        "text/html",
    )
    assert client.post(CHAT, chat()).status == 200


def test_faults_are_taken_in_order_and_can_target_a_path(server: LocalServer, client: Any) -> None:
    server.fail_next(500, path="/v1/projects/*")
    server.fail_next(503)
    server.fail_next(504)
    assert client.post(CHAT, chat()).status == 503  # the first fault waits for a deployment path
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).status == 500
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).status == 504
    assert client.post(DEP_COMPLETIONS, {"prompt": "p"}).status == 200


def test_faults_wait_for_a_request_that_passes_the_checks(server: LocalServer, client: Any) -> None:
    server.fail_next(500)
    assert client.post(CHAT, {"messages": "none"}).status == 422
    assert client.post(CHAT, chat(), Authorization=None).status == 401
    assert server.pending_faults == 1
    assert client.post(CHAT, chat()).status == 500


def test_delay_next_makes_a_client_time_out(server: LocalServer) -> None:
    server.delay_next(30)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=0.3)
    try:
        headers = {"x-operator-id": "op", "Authorization": "Bearer t", "Content-Type": "application/json"}
        conn.request("POST", CHAT, json.dumps(chat()), headers)
        with pytest.raises(socket.timeout):
            conn.getresponse()
    finally:
        conn.close()
    assert server.pending_faults == 0


def test_delay_next_then_answers_normally(server: LocalServer, client: Any) -> None:
    server.delay_next(0.01)
    answer = client.post(CHAT, chat())
    assert answer.status == 200
    assert answer.json()["choices"][0]["message"]["content"] == "one two three four"


def test_reset_next_resets_the_connection(server: LocalServer, client: Any) -> None:
    server.reset_next()
    with pytest.raises(ConnectionResetError):
        client.post(CHAT, chat())
    assert len(server.requests) == 1  # recorded before the reset
    assert client.post(CHAT, chat()).status == 200


def test_cut_stream_after_k_events_closes_without_done(server: LocalServer, client: Any) -> None:
    server.cut_stream_after(2)
    answer = client.post(CHAT, chat(stream=True))
    assert answer.status == 200
    assert not answer.complete  # the chunked body never got its last chunk
    events = answer.events()
    assert len(events) == 2
    assert all(e.data != "[DONE]" for e in events)
    assert events[1].json()["choices"][0]["delta"] == {"role": None, "content": "one ", "tool_calls": None}


def test_cut_stream_graceful_ends_the_body_but_not_the_stream(server: LocalServer, client: Any) -> None:
    server.cut_stream_after(3, graceful=True)
    answer = client.post(DEP_COMPLETIONS, {"prompt": "a b c d e", "streaming": True})
    assert answer.complete
    assert [e.json()["response"] for e in answer.events()] == ["a ", "b ", "c "]


def test_cut_stream_after_zero(server: LocalServer, client: Any) -> None:
    server.cut_stream_after(0)
    answer = client.post(CHAT, chat(stream=True))
    assert answer.status == 200 and answer.events() == [] and not answer.complete


def test_error_event_after_k_events_in_tachyon_format(server: LocalServer, client: Any, checker: Any) -> None:
    server.error_event_after(2, "model overloaded")
    answer = client.post(CHAT, chat(stream=True))
    assert answer.status == 200 and answer.complete  # HTTP stays 200; the body ends after the error
    first, second, error = answer.events()
    assert first.event is None and first.json()["object"] == "chat.completion.chunk"
    assert second.json()["choices"][0]["delta"]["content"] == "one "
    assert error.event == "error"
    checker.check(error.json(), "ErrorResponse")
    assert error.json() == {"error": "InternalServerError: model overloaded"}


def test_error_event_status_body_and_deployment_format(server: LocalServer, client: Any, checker: Any) -> None:
    server.error_event_after(1, "no credits left", status=402)
    events = client.post("/v1/llms/chatrooms/r/chat/completions", chat(stream=True)).events()
    assert [e.event for e in events] == [None, "error"]
    assert events[1].json() == {"error": "PaymentRequired: no credits left"}
    server.error_event_after(0, body={"code": "UPSTREAM_TIMEOUT", "message": "the model timed out"})
    [error] = client.post(CHAT, chat(stream=True)).events()
    assert (error.event, error.json()) == ("error", {"code": "UPSTREAM_TIMEOUT", "message": "the model timed out"})
    checker.check(error.json(), "ErrorResponse")
    server.error_event_after(1, "deployment crashed")
    events = client.post(DEP_COMPLETIONS, {"prompt": "a b c", "streaming": True}).events()
    assert [e.event for e in events] == [None, "error"]
    assert events[1].json() == {"status": 500, "error": "deployment crashed"}


def test_stream_faults_apply_to_agent_events(server: LocalServer, client: Any) -> None:
    server.agent_events = True
    server.error_event_after(1, "agent failed")
    events = client.post("/v1/llms/chatrooms/r/chat/completions", chat(stream=True)).events()
    assert [e.event for e in events] == ["say", "error"]
    assert events[1].json() == {"error": "InternalServerError: agent failed"}


def test_stream_faults_leave_non_streamed_requests_alone(server: LocalServer, client: Any) -> None:
    server.cut_stream_after(1)
    server.error_event_after(0)
    assert client.post(CHAT, chat()).status == 200
    assert server.pending_faults == 2
    assert not client.post(CHAT, chat(stream=True)).complete
    events = client.post(CHAT, chat(stream=True)).events()
    assert [e.event for e in events] == ["error"]
    assert server.pending_faults == 0


def test_faults_are_cleared_by_reset(server: LocalServer, client: Any) -> None:
    server.fail_next(500, times=3)
    server.reset_next()
    server.reset()
    assert server.pending_faults == 0
    assert client.post(CHAT, chat()).status == 200
