"""The overall deadline of a call (``Configuration.deadline``, ``_deadline=``) and the bounded drain after
``[DONE]``, against servers that trickle bytes: each read comes well within the read timeout, so
only a total budget can end the call.

No assertion is about elapsed time: a server script runs far longer than the deadline (bounded,
so a regression fails instead of hanging), and each test checks what it managed to send before
the client gave up.
"""

import json
import threading
from typing import Any, Callable, Dict, List

import pytest

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiTimeoutError, ApiValueError, ServiceException

from ..conftest import ECHO, ECHO_BODY, RawConnection, RawServer, ScriptedServer, echo

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]

TICK = 0.05  # seconds between two trickled pieces
TICKS = 200  # a script trickles at most this many pieces (10 s), far past every deadline below
CHUNK = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "m", "choices": []}


class Trickle:
    """Counts what a trickling server managed to send before the client closed the connection."""

    def __init__(self) -> None:
        self.sent = 0
        self.finished = threading.Event()

    def pieces(self, conn: RawConnection, piece: Callable[[int], bytes]) -> None:
        try:
            for index in range(TICKS):
                conn.send(piece(index))
                self.sent += 1
                if conn.release.wait(TICK):
                    return
        except OSError:
            pass  # the client closed the connection: what the test waits for
        finally:
            self.finished.set()


def chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def stream_head() -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"


def chat_stream(client: ApiClient, **options: Any) -> Any:
    return tachyon_sdk.ChatApi(client).chat_completion_stream("tn_1", "Bearer sk-1", {"messages": []}, **options)


def client_for(url: str, **settings: Any) -> ApiClient:
    return ApiClient(Configuration(host=url, timeout=(2.0, 2.0), **settings), sleep=lambda _seconds: None)


# --- calls ----------------------------------------------------------------------------------------------------


def test_a_trickled_body_is_cut_at_the_call_deadline(raw_server: StartServer) -> None:
    trickle = Trickle()
    body = json.dumps({"id": "k", "text": "x" * TICKS}).encode()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
            trickle.pieces(conn, lambda index: body[index : index + 1] if index < TICKS - 1 else body[index:])

    server = raw_server(handler)
    with client_for(server.url) as client, pytest.raises(ApiTimeoutError) as caught:
        client.execute(_echo_request(client), deadline=0.3)

    assert caught.value.phase == "deadline" and caught.value.response_started
    assert "deadline" in str(caught.value)
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS  # the client gave up long before the end


def _echo_request(client: ApiClient) -> Any:
    return client.param_serialize(
        ECHO, ("room-1", None, "tn_1", "Bearer sk-1"), ECHO_BODY, request_auth=None, content_type=None, headers=None
    )


def test_the_configuration_deadline_applies_to_generated_calls(raw_server: StartServer) -> None:
    trickle = Trickle()
    payload = json.dumps({"id": "c", "object": "chat.completion", "model": "m", "choices": []}).encode()
    padded = payload + b" " * TICKS

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            trickle.pieces(conn, lambda index: chunked(padded[index * 2 : index * 2 + 2] or b" "))

    server = raw_server(handler)
    with client_for(server.url, deadline=0.3) as client, pytest.raises(ApiTimeoutError) as caught:
        tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []})

    assert caught.value.phase == "deadline"
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS


def test_a_deadline_bounds_the_wait_for_the_status_line(raw_server: StartServer) -> None:
    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.wait()  # never answers; the read timeout (2 s) is longer than the deadline

    server = raw_server(handler)
    with client_for(server.url, deadline=30.0) as client, pytest.raises(ApiTimeoutError) as caught:
        tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []}, _deadline=0.2)

    assert caught.value.phase == "deadline"
    assert len(server.requests) == 1  # a deadline is never retried


def test_retries_stop_when_their_wait_would_pass_the_deadline(http_server: ScriptedServer) -> None:
    http_server.default_reply(503, json={"error": "Overloaded: try later"}, headers={"Retry-After": "30"})
    waits: List[float] = []
    configuration = Configuration(host=http_server.url, timeout=(2.0, 2.0), deadline=5.0)
    with ApiClient(configuration, sleep=waits.append) as client, pytest.raises(ServiceException) as caught:
        tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []})

    assert caught.value.status == 503 and caught.value.server_message == "Overloaded: try later"
    assert waits == [] and len(http_server.requests) == 1


def test_retries_within_the_deadline_still_happen(http_server: ScriptedServer) -> None:
    http_server.reply(503, headers={"Retry-After": "1"})
    http_server.reply(200, json={"id": "k"})
    waits: List[float] = []
    with ApiClient(Configuration(host=http_server.url, deadline=60.0), sleep=waits.append) as client:
        assert echo(client).status_code == 200

    assert waits == [1.0] and len(http_server.requests) == 2


def test_no_deadline_for_one_call_overrides_the_configured_one(http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"id": "k"}, delay=0.3)
    with client_for(http_server.url, deadline=0.1) as client:
        answer = client.execute(_echo_request(client), deadline=None)

    assert answer.status_code == 200


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "1"], ids=repr)
def test_an_impossible_deadline_is_refused_before_sending(http_server: ScriptedServer, value: Any) -> None:
    with client_for(http_server.url) as client, pytest.raises((ApiValueError, tachyon_sdk.ApiTypeError)):
        tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []}, _deadline=value)

    assert http_server.connection_count == 0


# --- streams --------------------------------------------------------------------------------------------------


def _chunk_events(index: int) -> bytes:
    return chunked(b"data: " + json.dumps(CHUNK).encode() + b"\n\n")


@pytest.mark.parametrize("where", ["keyword", "configuration"])
def test_a_stream_that_never_ends_is_cut_at_the_deadline(raw_server: StartServer, where: str) -> None:
    trickle = Trickle()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(stream_head())
            trickle.pieces(conn, _chunk_events)

    server = raw_server(handler)
    settings: Dict[str, Any] = {"deadline": 0.4} if where == "configuration" else {}
    options: Dict[str, Any] = {"_deadline": 0.4} if where == "keyword" else {}
    received = 0
    with client_for(server.url, **settings) as client, pytest.raises(ApiTimeoutError) as caught:
        with chat_stream(client, **options) as stream:
            for _ in stream:
                received += 1

    assert caught.value.phase == "deadline" and caught.value.response_started
    assert received >= 1  # chunks before the deadline were delivered
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS


def test_after_done_a_trickling_server_cannot_hold_the_stream(raw_server: StartServer) -> None:
    trickle = Trickle()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(stream_head() + _chunk_events(0) + chunked(b"data: [DONE]\n\n"))
            # then a keep-alive comment now and then, never the last chunk: each read of the drain
            # gets a byte well within its own short wait
            trickle.pieces(conn, lambda index: chunked(b":\n"))

    server = raw_server(handler)
    with client_for(server.url) as client:
        chunks = list(chat_stream(client))

    assert len(chunks) == 1
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS  # the drain gave up and closed the connection
