"""Socket-level faults: each byte-exact server script maps to one SDK exception, never a foreign one.

Retries are off (``retries=0``) so each script is one attempt; retrying is tested in test_retries.
"""

import threading
from typing import Any, Callable

import pytest
import urllib3

from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiConnectionError, ApiTimeoutError, OpenApiException, ResponseTooLargeError

from ..conftest import EchoResponse, RawConnection, RawServer, echo

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


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


def answer_with(data: bytes, then: str = "close") -> Callable[[RawConnection], None]:
    def handler(conn: RawConnection) -> None:
        conn.read_request()
        if data:
            conn.send(data)
        if then == "reset":
            conn.reset()
        elif then == "wait":
            conn.wait()
        else:
            conn.close()

    return handler


def test_reset_before_any_answer(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(b"", then="reset")).url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", False)
    assert "connection lost before a response" in str(error)


def test_closed_without_any_answer(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(b"")).url)

    assert type(error) is ApiConnectionError
    assert "RemoteDisconnected" in str(error)


@pytest.mark.parametrize("data", [b"HTTP/1.1 20", b"GARBAGE\r\n\r\n", b"HTTP/1.1 abc OK\r\n\r\n"])
def test_broken_status_line(raw_server: StartServer, data: bytes) -> None:
    error = fail(raw_server(answer_with(data)).url)

    assert type(error) is ApiConnectionError
    assert not error.response_started


def test_body_shorter_than_its_content_length(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(HEAD + b'Content-Length: 50\r\n\r\n{"id": ')).url)

    assert type(error) is ApiConnectionError
    assert (error.phase, error.response_started) == ("read", True)
    assert "connection broken while reading the response" in str(error)


def test_reset_in_the_middle_of_the_body(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(HEAD + b'Content-Length: 50\r\n\r\n{"id": ', then="reset")).url)

    assert type(error) is ApiConnectionError
    assert error.response_started


def test_invalid_chunked_encoding(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n")).url)

    assert type(error) is ApiConnectionError
    assert error.response_started


def test_no_answer_in_time(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(b"", then="wait")).url, timeout=(2.0, 0.2))

    assert type(error) is ApiTimeoutError
    assert (error.phase, error.response_started) == ("read", False)
    assert "read timed out" in str(error)


def test_body_stalls_after_the_headers(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(HEAD + b'Content-Length: 50\r\n\r\n{"id"', then="wait")).url, timeout=(2.0, 0.2))

    assert type(error) is ApiTimeoutError
    assert (error.phase, error.response_started) == ("read", True)


def test_a_single_number_is_the_total_timeout(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(b"", then="wait")).url, timeout=0.2)

    assert isinstance(error, ApiTimeoutError)


def test_no_timeout_waits_for_a_slow_answer(raw_server: StartServer) -> None:
    released = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.read_request()
        released.wait(0.3)
        conn.send(HEAD + b'Content-Length: 11\r\n\r\n{"id": "s"}')

    assert call(raw_server(handler).url, timeout=None).data == EchoResponse(id="s")


def test_configuration_timeout_is_the_default(raw_server: StartServer) -> None:
    url = raw_server(answer_with(b"", then="wait")).url
    with ApiClient(Configuration(host=url, retries=0, timeout=(2.0, 0.2))) as client:
        with pytest.raises(ApiTimeoutError):
            echo(client)


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


def test_undecodable_gzip_is_a_broken_answer(raw_server: StartServer) -> None:
    error = fail(raw_server(answer_with(HEAD + b"Content-Encoding: gzip\r\nContent-Length: 8\r\n\r\nnot-gzip")).url)

    assert isinstance(error, ApiConnectionError)
    assert error.response_started


def test_connection_close_framed_body_is_read_to_the_end(raw_server: StartServer) -> None:
    server = raw_server(answer_with(HEAD + b'Connection: close\r\n\r\n{"id": "eof"}'))

    assert call(server.url).data == EchoResponse(id="eof")


def test_over_limit_body_closes_the_connection(raw_server: StartServer) -> None:
    closed = threading.Event()

    def handler(conn: RawConnection) -> None:
        conn.read_request()
        conn.send(HEAD + b"Transfer-Encoding: chunked\r\n\r\n")
        for _ in range(20):  # 80 KiB of an unfinished body (more than one read block)
            conn.send(b"1000\r\n" + b"x" * 0x1000 + b"\r\n")
        try:
            if conn.read_request() is None:  # end of input: the client hung up
                closed.set()
        except ConnectionResetError:  # closing with unread data sends RST instead of FIN
            closed.set()

    server = raw_server(handler)
    with ApiClient(Configuration(host=server.url, retries=0, max_response_bytes=20_000)) as client:
        with pytest.raises(ResponseTooLargeError):
            echo(client)
        assert closed.wait(5)  # closed at once, not when the client is closed
