"""Socket-level faults: each byte-exact server script gives one SDK outcome, never a foreign exception.

Every test asserts the exact exception class (or the successful retry) and how many requests the
server read. The first group sends one attempt (``retries=0``); the second keeps the default retry
policy, whose waits are recorded instead of slept.
"""

import gzip
import threading
from typing import Any, Callable, List, Optional, Tuple, Type

import pytest
import urllib3

from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiTimeoutError,
    OpenApiException,
    ResponseTooLargeError,
    ServiceException,
)

from ..conftest import EchoResponse, RawConnection, RawServer, ScriptedServer, echo

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]
Step = Tuple[bytes, str]
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
OK = HEAD + b'Content-Length: 11\r\n\r\n{"id": "k"}'
HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
HTML_502 = b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(HTML), HTML)
MALFORMED_JSON = HEAD + b'Content-Length: 13\r\n\r\n{"id": "r1", '
HALF_STATUS_LINE = b"HTTP/1.1 20"
HALF_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Ty"
TOO_MANY_HEADERS = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Pad-%d: x\r\n" % n for n in range(150))
ENDLESS_HEADER_LINE = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"x" * 70_000


def script(*steps: Step) -> Callable[[RawConnection], None]:
    """A handler answering each request read (on any connection) with the next step.

    A step is ``(bytes to send, then)`` with ``then`` one of ``"keep"`` (keep the connection for the
    next request), ``"close"`` (FIN), ``"reset"`` (RST) or ``"wait"`` (hold until the test ends).
    """
    queue: List[Step] = list(steps)
    lock = threading.Lock()

    def handler(conn: RawConnection) -> None:
        while conn.read_request() is not None:
            with lock:
                data, then = (
                    queue.pop(0) if queue else (b"HTTP/1.1 418 No step left\r\nContent-Length: 0\r\n\r\n", "close")
                )
            if data:
                conn.send(data)
            if then == "keep":
                continue
            if then == "reset":
                conn.reset()
            elif then == "wait":
                conn.wait()
            else:
                conn.close()
            return

    return handler


def call(url: str, **options: Any) -> Any:
    with ApiClient(Configuration(host=url, retries=0, timeout=options.pop("timeout", (2.0, 2.0)))) as client:
        return echo(client, **options)


def fail(url: str, **options: Any) -> OpenApiException:
    with pytest.raises(OpenApiException) as caught:
        call(url, **options)
    error = caught.value
    assert not isinstance(error, urllib3.exceptions.HTTPError)
    assert error.__cause__ is not None  # the foreign exception is kept as the cause
    return error


# --- one attempt ------------------------------------------------------------------------------------------


def test_reset_before_any_answer(raw_server: StartServer) -> None:
    server = raw_server(script((b"", "reset")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", False)
    assert "connection lost before a response" in str(error)
    assert len(server.requests) == 1


def test_closed_without_any_answer(raw_server: StartServer) -> None:
    server = raw_server(script((b"", "close")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", False)
    assert "RemoteDisconnected" in str(error)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "data",
    [HALF_STATUS_LINE, b"GARBAGE\r\n\r\n", b"HTTP/1.1 abc OK\r\n\r\n", TOO_MANY_HEADERS, ENDLESS_HEADER_LINE],
    ids=["half-status-line", "garbage", "bad-status", "too-many-headers", "endless-header-line"],
)
def test_an_answer_that_is_not_http(raw_server: StartServer, data: bytes) -> None:
    server = raw_server(script((data, "close")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", True)  # the server answered: it may have acted
    assert "malformed response" in str(error)
    assert len(server.requests) == 1


def test_half_written_headers(raw_server: StartServer) -> None:
    server = raw_server(script((HALF_HEADERS, "close")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", True)
    assert len(server.requests) == 1


def test_body_shorter_than_its_content_length(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b'Content-Length: 50\r\n\r\n{"id": ', "close")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", True)
    assert "connection broken while reading the response" in str(error)
    assert len(server.requests) == 1


def test_reset_in_the_middle_of_the_body(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b'Content-Length: 50\r\n\r\n{"id": ', "reset")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert error.response_started
    assert len(server.requests) == 1


def test_invalid_chunked_encoding(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n", "close")))
    error = fail(server.url)

    assert type(error) is ApiConnectionError
    assert error.response_started
    assert len(server.requests) == 1


def test_no_answer_in_time(raw_server: StartServer) -> None:
    server = raw_server(script((b"", "wait")))
    error = fail(server.url, timeout=(2.0, 0.2))

    assert type(error) is ApiTimeoutError
    assert (error.phase, error.response_started) == ("read", False)
    assert "read timed out" in str(error)
    assert len(server.requests) == 1


def test_body_stalls_after_the_headers(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b'Content-Length: 50\r\n\r\n{"id"', "wait")))
    error = fail(server.url, timeout=(2.0, 0.2))

    assert type(error) is ApiTimeoutError
    assert (error.phase, error.response_started) == ("read", True)
    assert len(server.requests) == 1


def test_a_single_number_is_the_connect_and_the_read_timeout(raw_server: StartServer) -> None:
    server = raw_server(script((b"", "wait")))
    error = fail(server.url, timeout=0.2)

    assert type(error) is ApiTimeoutError
    assert error.phase == "read"
    assert len(server.requests) == 1


def test_no_timeout_waits_for_a_slow_answer(raw_server: StartServer) -> None:
    released = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.read_request()
        released.wait(0.3)
        conn.send(OK)

    server = raw_server(handler)

    assert call(server.url, timeout=None).data == EchoResponse(id="k")
    assert len(server.requests) == 1


def test_configuration_timeout_is_the_default(raw_server: StartServer) -> None:
    server = raw_server(script((b"", "wait")))
    with ApiClient(Configuration(host=server.url, retries=0, timeout=(2.0, 0.2))) as client:
        with pytest.raises(ApiTimeoutError):
            echo(client)

    assert len(server.requests) == 1


def test_connect_timeout(tarpit_url: str) -> None:
    error = fail(tarpit_url, timeout=(0.1, 2.0))

    assert type(error) is ApiTimeoutError
    assert error.phase == "connect"
    assert "connect timed out" in str(error)


def test_connection_refused(unused_port: int) -> None:
    error = fail(f"http://127.0.0.1:{unused_port}")

    assert type(error) is ApiConnectionError
    assert error.phase == "connect"
    assert f"POST http://127.0.0.1:{unused_port}/v1/rooms/room-1/echo: cannot connect" in str(error)


def test_undecodable_gzip_keeps_its_status(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b"Content-Encoding: gzip\r\nContent-Length: 8\r\n\r\nnot-gzip", "close")))
    error = fail(server.url)

    assert type(error) is ApiDecodeError  # the 200 arrived; its body cannot be decoded
    assert error.status == 200 and "gzip" in str(error)
    assert len(server.requests) == 1


def test_html_502(raw_server: StartServer) -> None:
    server = raw_server(script((HTML_502, "close")))

    with pytest.raises(ServiceException) as caught:
        call(server.url)

    assert type(caught.value) is ServiceException
    assert (caught.value.status, caught.value.body, caught.value.data) == (502, HTML.decode(), None)
    assert len(server.requests) == 1


def test_malformed_json(raw_server: StartServer) -> None:
    server = raw_server(script((MALFORMED_JSON, "close")))

    with pytest.raises(ApiDecodeError) as caught:
        call(server.url)

    assert type(caught.value) is ApiDecodeError
    assert caught.value.body == '{"id": "r1", '
    assert len(server.requests) == 1


def test_connection_close_framed_body_is_read_to_the_end(raw_server: StartServer) -> None:
    server = raw_server(script((HEAD + b'Connection: close\r\n\r\n{"id": "eof"}', "close")))

    assert call(server.url).data == EchoResponse(id="eof")
    assert len(server.requests) == 1


# --- sizes --------------------------------------------------------------------------------------------------


def test_over_limit_body_closes_the_connection(raw_server: StartServer) -> None:
    closed = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.read_request()
        try:
            conn.send(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
            for _ in range(20):  # 80 KiB of an unfinished body (more than one read block)
                conn.send(b"1000\r\n" + b"x" * 0x1000 + b"\r\n")
            if conn.read_request() is None:  # end of input: the client hung up
                closed.set()
        except (BrokenPipeError, ConnectionResetError):  # hung up while we were still sending, or with unread data
            closed.set()

    server = raw_server(handler)
    with ApiClient(Configuration(host=server.url, retries=0, max_response_bytes=20_000)) as client:
        with pytest.raises(ResponseTooLargeError) as caught:
            echo(client)
        assert closed.wait(5)  # closed at once, not when the client is closed

    assert type(caught.value) is ResponseTooLargeError
    assert len(server.requests) == 1


def test_a_compression_bomb_is_limited_by_its_decoded_size(raw_server: StartServer) -> None:
    bomb = gzip.compress(b"{" + b" " * 8_000_000 + b"}")  # about 8 KB on the wire, 8 MB decoded
    server = raw_server(
        script((HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(bomb), bomb), "close"))
    )

    with ApiClient(Configuration(host=server.url, retries=0, max_response_bytes=1_000_000)) as client:
        with pytest.raises(ResponseTooLargeError) as caught:
            echo(client)

    assert caught.value.limit == 1_000_000
    assert len(server.requests) == 1


# --- with the default retries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "outcome", "requests"),
    [
        ([(b"", "reset"), (OK, "close")], None, 2),
        ([(b"", "reset")] * 3, ApiConnectionError, 3),
        ([(b"", "close"), (OK, "close")], None, 2),
        ([(b"", "close")] * 3, ApiConnectionError, 3),
        ([(HTML_502, "keep"), (OK, "close")], None, 2),
        ([(HTML_502, "keep")] * 3, ServiceException, 3),
        ([(HALF_STATUS_LINE, "close"), (OK, "close")], ApiConnectionError, 1),
        ([(HALF_HEADERS, "close"), (OK, "close")], ApiConnectionError, 1),
        ([(TOO_MANY_HEADERS, "wait"), (OK, "close")], ApiConnectionError, 1),
        ([(MALFORMED_JSON, "keep"), (OK, "close")], ApiDecodeError, 1),
        ([(HEAD + b'Content-Length: 50\r\n\r\n{"id": ', "reset"), (OK, "close")], ApiConnectionError, 1),
        ([(b"", "wait"), (OK, "close")], ApiTimeoutError, 1),
        ([(HEAD + b'Content-Length: 50\r\n\r\n{"id"', "wait"), (OK, "close")], ApiTimeoutError, 1),
    ],
    ids=[
        "reset-then-ok", "reset-thrice", "closed-then-ok", "closed-thrice", "html-502-then-ok", "html-502-thrice",
        "half-status-line", "half-headers", "too-many-headers", "malformed-json", "reset-mid-body",
        "stall-before-answer", "stall-mid-body",
    ],
)  # fmt: skip
def test_fault_with_the_default_retries(
    raw_server: StartServer, steps: List[Step], outcome: Optional[Type[OpenApiException]], requests: int
) -> None:
    server = raw_server(script(*steps))
    waits: List[float] = []
    with ApiClient(Configuration(host=server.url, timeout=(2.0, 0.3)), sleep=waits.append) as client:
        if outcome is None:
            assert echo(client).data == EchoResponse(id="k")
        else:
            with pytest.raises(OpenApiException) as caught:
                echo(client)
            assert type(caught.value) is outcome

    assert len(server.requests) == requests
    assert len(waits) == requests - 1


def test_server_closing_an_idle_kept_alive_connection(raw_server: StartServer) -> None:
    server = raw_server(script((OK, "close"), (OK, "close")))  # keep-alive promised, closed once idle
    waits: List[float] = []
    with ApiClient(Configuration(host=server.url), sleep=waits.append) as client:
        assert echo(client).data == EchoResponse(id="k")
        assert echo(client).data == EchoResponse(id="k")

    assert len(server.requests) == 2
    assert server.connection_count == 2


def test_server_closing_a_kept_alive_connection_as_it_is_reused(raw_server: StartServer) -> None:
    server = raw_server(script((OK, "keep"), (b"", "close"), (OK, "close")))  # the idle timeout raced the request
    waits: List[float] = []
    with ApiClient(Configuration(host=server.url), sleep=waits.append) as client:
        assert echo(client).data == EchoResponse(id="k")
        assert echo(client).data == EchoResponse(id="k")

    assert len(server.requests) == 3
    assert server.connection_count == 2
    assert len(waits) == 1


# --- the pool -----------------------------------------------------------------------------------------------


def test_waiting_for_a_pooled_connection_held_by_an_unclosed_stream_times_out(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[b'data: {"id": "c1"}\n\n', b'data: {"id": "c2"}\n\n'], chunk_delay=5.0,
                      headers={"Content-Type": "text/event-stream"})  # fmt: skip
    http_server.reply(200, json={"id": "after"})
    waits: List[float] = []
    configuration = Configuration(host=http_server.url, connection_pool_maxsize=1, pool_timeout=0.2)
    with ApiClient(configuration, sleep=waits.append) as client:
        stream = echo(client, stream=True).data
        assert next(stream).id == "c1"  # the stream holds the only connection and is left open

        with pytest.raises(ApiTimeoutError) as caught:
            echo(client)
        stream.close()
        after = echo(client)

    assert type(caught.value) is ApiTimeoutError
    assert caught.value.phase == "pool"
    assert isinstance(caught.value.__cause__, urllib3.exceptions.EmptyPoolError)
    assert "pool_timeout" in str(caught.value)
    assert after.data == EchoResponse(id="after")
    assert len(http_server.requests) == 2  # the call that found no connection sent nothing
    assert waits == []  # and was not retried
