"""Hostile answers at the socket level: interim answers, cut or conflicting headers, corrupt bodies,
an event stream nobody asked for, a fork, a pickle. Each case ends in the SDK outcome it must, with
the number of requests the server read (what must never be resent is sent once).
"""

import gzip
import pickle
import threading
from typing import Any, Callable, List, Tuple

import pytest

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ServiceException,
)

from ..conftest import MAX_WAIT, EchoResponse, RawConnection, RawServer, ScriptedServer, echo, in_child

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]
Step = Tuple[bytes, str]

OK_BODY = b'{"id": "k"}'
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n" + OK_BODY
EARLY_HINTS = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
PROCESSING = b"HTTP/1.1 102 Processing\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
CHAT_JSON = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}


def script(*steps: Step) -> Callable[[RawConnection], None]:
    """Answer each request read (on any connection) with the next step: bytes, then ``keep``/``close``/``wait``."""
    queue: List[Step] = list(steps)
    lock = threading.Lock()

    def handler(conn: RawConnection) -> None:
        while conn.read_request() is not None:
            with lock:
                data, then = queue.pop(0) if queue else (b"HTTP/1.1 418 No step\r\nContent-Length: 0\r\n\r\n", "close")
            conn.send(data)
            if then == "keep":
                continue
            if then == "wait":
                conn.wait()
            conn.close()
            return

    return handler


def client_for(url: str, retries: Any = 2, **settings: Any) -> Tuple[ApiClient, List[float]]:
    """A client whose retry waits are recorded instead of slept."""
    waits: List[float] = []
    configuration = Configuration(host=url, retries=retries, timeout=settings.pop("timeout", (2.0, 2.0)), **settings)
    return ApiClient(configuration, sleep=waits.append), waits


# --- interim (1xx) answers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "interim",
    [EARLY_HINTS, PROCESSING + EARLY_HINTS, CONTINUE + EARLY_HINTS + EARLY_HINTS, CONTINUE],
    ids=["103", "102-then-103", "100-then-two-103", "100"],
)
def test_interim_answers_are_skipped_and_the_final_answer_is_read(raw_server: StartServer, interim: bytes) -> None:
    server = raw_server(script((interim + OK, "keep")))
    client, waits = client_for(server.url)
    with client:
        answer = echo(client)
        with pytest.raises(ApiException) as again:  # the connection is still in step: the next answer is whole
            echo(client)

    assert answer.status_code == 200 and answer.data == EchoResponse(id="k")
    assert again.value.status == 418
    assert len(server.requests) == 2 and server.connection_count == 1
    assert waits == []


def test_interim_answers_through_a_generated_method(raw_server: StartServer) -> None:
    payload = b'{"id":"chatcmpl-1","object":"chat.completion","model":"m","choices":[]}'
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(payload)
    server = raw_server(script((EARLY_HINTS + head + payload, "close")))
    client, _ = client_for(server.url)
    with client:
        answer = tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []})

    assert answer.id == "chatcmpl-1"
    assert len(server.requests) == 1


def test_a_connection_closed_after_an_interim_answer_is_never_resent(raw_server: StartServer) -> None:
    server = raw_server(script((EARLY_HINTS, "close"), (OK, "close")))
    client, waits = client_for(server.url)
    with client, pytest.raises(ApiConnectionError) as caught:
        echo(client)

    assert caught.value.response_started  # the server had begun to answer: it may be generating (and billing)
    assert len(server.requests) == 1 and waits == []


def test_endless_interim_answers_are_a_malformed_answer(raw_server: StartServer) -> None:
    server = raw_server(script((EARLY_HINTS * 40 + OK, "close")))
    client, _ = client_for(server.url)
    with client, pytest.raises(ApiConnectionError, match="interim") as caught:
        echo(client)

    assert caught.value.response_started
    assert len(server.requests) == 1


# --- answers that started, then turned out malformed: never resent ---------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nContent-Length: 12\r\n\r\n"
        + OK_BODY,
        b"HTTP/1.1 200 OK\r\nContent-Length: 11, 13\r\n\r\n" + OK_BODY,
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    ],
    ids=["two-headers", "one-header-two-values", "on-a-503"],
)
def test_conflicting_content_lengths_are_never_resent(raw_server: StartServer, answer: bytes) -> None:
    server = raw_server(script((answer, "close"), (OK, "close"), (OK, "close")))
    client, waits = client_for(server.url)
    with client, pytest.raises(ApiConnectionError, match="malformed response") as caught:
        echo(client)

    assert caught.value.response_started
    assert len(server.requests) == 1 and waits == []


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: applic",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r",
    ],
    ids=["mid-line", "after-a-line", "after-the-status-line", "half-blank-line"],
)
def test_headers_cut_before_their_blank_line_are_refused(raw_server: StartServer, answer: bytes) -> None:
    server = raw_server(script((answer, "close"), (OK, "close")))
    client, waits = client_for(server.url)
    with client, pytest.raises(ApiConnectionError) as caught:
        echo(client)

    assert not isinstance(caught.value, ApiException)
    assert caught.value.response_started  # never "200 with an invalid JSON body", never resent
    assert len(server.requests) == 1 and waits == []


# --- corrupt bodies keep their status -------------------------------------------------------------------------


def _gzip_head(status: str, length: int) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )


def test_a_503_with_a_corrupt_gzip_body_is_still_retried(raw_server: StartServer) -> None:
    corrupt = b"\x1f\x8b\x08\x00garbage-not-deflate"
    server = raw_server(script((_gzip_head("503 Service Unavailable", len(corrupt)) + corrupt, "keep"), (OK, "keep")))
    client, waits = client_for(server.url)
    with client:
        answer = echo(client)

    assert answer.data == EchoResponse(id="k")
    assert len(server.requests) == 2 and len(waits) == 1


def test_a_final_503_with_a_corrupt_gzip_body_is_a_service_exception(raw_server: StartServer) -> None:
    corrupt = b"not gzip at all"
    server = raw_server(script((_gzip_head("503 Service Unavailable", len(corrupt)) + corrupt, "close")))
    client, _ = client_for(server.url, retries=0)
    with client, pytest.raises(ServiceException) as caught:
        echo(client)

    assert caught.value.status == 503 and "gzip" in str(caught.value)
    assert isinstance(caught.value.__cause__, ApiDecodeError)


def test_a_200_with_a_corrupt_gzip_body_keeps_its_status_and_headers(raw_server: StartServer) -> None:
    good = gzip.compress(OK_BODY)
    corrupt = good[:10] + bytes(byte ^ 0x55 for byte in good[10:])
    server = raw_server(script((_gzip_head("200 OK", len(corrupt)) + corrupt, "close")))
    client, waits = client_for(server.url)
    with client, pytest.raises(ApiDecodeError) as caught:
        echo(client)

    assert caught.value.status == 200
    assert caught.value.headers is not None and caught.value.headers["Content-Encoding"] == "gzip"
    assert len(server.requests) == 1 and waits == []


# --- the Content-Type is looked at before the body is read -----------------------------------------------------


def test_an_event_stream_answering_a_plain_call_is_refused_before_its_body_is_read(raw_server: StartServer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    first = b'data: {"id":"c1"}\n\n'
    # the body never ends: reading it first would wait for the read timeout, not refuse it
    server = raw_server(script((head + b"%x\r\n%s\r\n" % (len(first), first), "wait")))
    client, _ = client_for(server.url, timeout=(2.0, MAX_WAIT / 2))
    with client, pytest.raises(ApiDecodeError, match="did not ask for a stream") as caught:
        echo(client)

    assert caught.value.status == 200
    assert caught.value.body == first.decode()  # what arrived at once is kept for the caller
    assert len(server.requests) == 1


def test_a_chat_call_answered_with_an_event_stream_names_the_stream_method(raw_server: StartServer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nConnection: close\r\n\r\n"
    server = raw_server(script((head + b'data: {"id":"c1"}\n\n', "wait")))
    client, _ = client_for(server.url, timeout=(2.0, MAX_WAIT / 2))
    with client, pytest.raises(ApiDecodeError, match="chat_completion_stream"):
        tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []})


# --- fork ------------------------------------------------------------------------------------------------------


def test_a_forked_child_never_sends_on_its_parents_pooled_connection(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json={"id": "k"})
    with ApiClient(Configuration(host=http_server.url, timeout=(2.0, 5.0))) as client:
        echo(client)  # the parent now holds one kept-alive connection in its pool

        def child() -> bool:
            return bool(echo(client).data == EchoResponse(id="k") and echo(client).status_code == 200)

        assert in_child(child) == 0
        echo(client)  # the parent's own connection still works, and is still the parent's

    parent_first, child_first, child_second, parent_again = http_server.requests
    assert child_first.connection != parent_first.connection  # the child opened its own
    assert child_second.connection == child_first.connection  # and pools it
    assert parent_again.connection == parent_first.connection
    assert http_server.connection_count == 2


def test_a_forked_child_streams_on_its_own_connection(http_server: ScriptedServer) -> None:
    chunk = b'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"m","choices":[]}\n\n'
    http_server.default_reply(200, body=[chunk, b"data: [DONE]\n\n"], headers={"Content-Type": "text/event-stream"})
    with ApiClient(Configuration(host=http_server.url, timeout=(2.0, 5.0))) as client:
        api = tachyon_sdk.ChatApi(client)
        assert len(list(api.chat_completion_stream("tn_1", "Bearer sk-1", {"messages": []}))) == 1

        def child() -> bool:
            return len(list(api.chat_completion_stream("tn_1", "Bearer sk-1", {"messages": []}))) == 1

        assert in_child(child) == 0

    assert [request.connection for request in http_server.requests] == [0, 1]


# --- pickling ---------------------------------------------------------------------------------------------------


def test_an_api_client_and_api_objects_round_trip_through_pickle(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)
    configuration = Configuration(host=http_server.url, access_token="sk-pickled-token", retries=0)
    with ApiClient(configuration, header_name="X-Team", header_value="blue") as client:
        api = tachyon_sdk.ChatApi(client)
        api.chat_completion("tn_1", "Bearer sk-1", {"messages": []})
        copies = [pickle.loads(pickle.dumps(api)), pickle.loads(pickle.dumps(tachyon_sdk.DeploymentsApi(client)))]
        clone = pickle.loads(pickle.dumps(client))

    chat_copy = copies[0]
    assert isinstance(chat_copy, tachyon_sdk.ChatApi) and isinstance(copies[1], tachyon_sdk.DeploymentsApi)
    answer = chat_copy.chat_completion("tn_1", "Bearer sk-1", {"messages": []})
    assert answer.id == "chatcmpl-1"
    assert clone.default_headers["X-Team"] == "blue"
    assert clone.configuration.retries == 0 and clone.rest_client is not client.rest_client
    assert http_server.requests[1].header("X-Team") == "blue"
    assert http_server.requests[1].connection != http_server.requests[0].connection  # a pool of its own
    chat_copy.api_client.close()
    clone.close()
