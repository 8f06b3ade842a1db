"""tachyon_sdk.rest: the one translation table of foreign exceptions, and what a timeout value means."""

import http.client
import ssl
from typing import Optional, Type

import pytest
import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    EmptyPoolError,
    LocationParseError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError

from tachyon_sdk.exceptions import ApiConnectionError, ApiTimeoutError, ApiValueError, OpenApiException
from tachyon_sdk.rest import translate_exception, urllib3_timeout

URL = "http://127.0.0.1:9/v1/x?api_key=secret-in-query-123"


@pytest.mark.parametrize(
    ("foreign", "klass", "phase", "started"),
    [
        (NewConnectionError(None, "Failed to establish a new connection: [Errno 111] refused"), ApiConnectionError, "connect", False),  # type: ignore[arg-type]
        (ConnectTimeoutError("connect timed out"), ApiTimeoutError, "connect", False),
        (ReadTimeoutError(None, URL, "Read timed out."), ApiTimeoutError, "read", False),  # type: ignore[arg-type]
        (EmptyPoolError(None, "Pool is empty"), ApiTimeoutError, "pool", False),  # type: ignore[arg-type]
        (Urllib3SSLError("certificate verify failed"), ApiConnectionError, "tls", False),
        (ssl.SSLError("handshake"), ApiConnectionError, "tls", False),
        (ProxyError("proxy", ConnectionRefusedError("refused")), ApiConnectionError, "connect", False),
        (ProxyError("proxy", ConnectTimeoutError("slow")), ApiTimeoutError, "connect", False),
        (ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")), ApiConnectionError, "read", False),
        (ProtocolError("Connection aborted.", http.client.RemoteDisconnected("closed")), ApiConnectionError, "read", False),
        (ProtocolError("Connection aborted.", http.client.BadStatusLine("HTTP/1.1 20")), ApiConnectionError, "read", True),
        (ProtocolError("Connection aborted.", http.client.LineTooLong("header line")), ApiConnectionError, "read", True),
        (ProtocolError("Connection aborted.", TimeoutError("timed out")), ApiTimeoutError, "read", False),
        (http.client.BadStatusLine("garbage"), ApiConnectionError, "read", True),
        (DecodeError("bad gzip"), ApiConnectionError, "read", True),  # an answer that arrived: never resent
        (TimeoutError("timed out"), ApiTimeoutError, "read", False),
        (ConnectionRefusedError(111, "refused"), ApiConnectionError, "connect", False),
        (BrokenPipeError(32, "broken pipe"), ApiConnectionError, "read", False),
    ],
)  # fmt: skip
def test_translation_table(foreign: BaseException, klass: Type[ApiConnectionError], phase: str, started: bool) -> None:
    mapped = translate_exception(foreign, "POST", URL)

    assert type(mapped) is klass
    assert isinstance(mapped, ApiConnectionError)
    assert (mapped.phase, mapped.response_started) == (phase, started)
    assert str(mapped).startswith("POST http://127.0.0.1:9/v1/x")
    assert "secret-in-query-123" not in str(mapped)  # the query string (which may hold an api key) is left out


def test_a_failure_while_reading_the_body_says_the_answer_had_started() -> None:
    mapped = translate_exception(
        ProtocolError("Connection broken", ConnectionResetError(104, "reset")), "GET", URL, True
    )

    assert isinstance(mapped, ApiConnectionError)
    assert mapped.response_started
    assert "connection broken while reading the response" in str(mapped)


def test_an_invalid_url_is_a_value_error() -> None:
    assert type(translate_exception(LocationParseError("http://[::1"), "GET", URL)) is ApiValueError


@pytest.mark.parametrize("other", [KeyError("k"), RuntimeError("r"), AttributeError("a")])
def test_other_exceptions_are_not_translated(other: BaseException) -> None:
    result: Optional[OpenApiException] = translate_exception(other, "GET", URL)

    assert result is None


@pytest.mark.parametrize(
    ("value", "connect", "read"),
    [
        (None, None, None),
        (3, 3, 3),
        (2.5, 2.5, 2.5),
        ((1.0, 30.0), 1.0, 30.0),
        ((None, 30.0), None, 30.0),
        ((1.0, None), 1.0, None),
    ],
)
def test_timeout_values(value: object, connect: Optional[float], read: Optional[float]) -> None:
    timeout = urllib3_timeout(value)  # type: ignore[arg-type]

    assert isinstance(timeout, urllib3.Timeout)
    assert timeout.total is None  # never a deadline for the whole call: a steady stream is not cut
    assert (timeout.connect_timeout, timeout.read_timeout) == (connect, read)


def test_a_value_http_client_refuses_is_an_api_value_error_without_the_secret() -> None:
    mapped = translate_exception(ValueError("Invalid header value b'Bearer sk-leaky-token-42\\n'"), "GET", URL)

    assert type(mapped) is ApiValueError
    assert "sk-leaky-token-42" not in str(mapped)


def test_sdk_exceptions_are_not_translated_again() -> None:
    assert translate_exception(ApiValueError("ours"), "GET", URL) is None
