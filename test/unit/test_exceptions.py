"""tachyon_sdk.exceptions: the tree, the status table, messages without secrets."""

import pickle
from types import SimpleNamespace
from typing import Optional, Type

import pytest

from tachyon_sdk import _constants, exceptions, rest
from tachyon_sdk._log import register_secret
from tachyon_sdk.exceptions import (
    ApiAttributeError,
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiKeyError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    PaymentRequiredException,
    ResponseTooLargeError,
    ServiceException,
    StreamError,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
    exception_class_for_status,
    server_message,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, BadRequestException),
        (401, UnauthorizedException),
        (402, PaymentRequiredException),
        (403, ForbiddenException),
        (404, NotFoundException),
        (409, ConflictException),
        (422, UnprocessableEntityException),
        (429, TooManyRequestsException),
        (500, ServiceException),
        (502, ServiceException),
        (503, ServiceException),
        (599, ServiceException),
        (302, ApiException),
        (405, ApiException),
        (418, ApiException),
        (None, ApiException),
    ],
)
def test_status_table(status: int, expected: Type[ApiException]) -> None:
    assert exception_class_for_status(status) is expected
    error = ApiException.from_response(status=status, reason="R", body=b"b", data={"d": 1}, headers={"X-A": "1"})
    assert type(error) is expected
    assert (error.status, error.reason, error.body, error.data, error.headers) == (
        status,
        "R",
        "b",
        {"d": 1},
        {"X-A": "1"},
    )


def test_tree() -> None:
    for klass in (
        ApiTypeError,
        ApiValueError,
        ApiKeyError,
        ApiAttributeError,
        ApiException,
        ApiConnectionError,
        StreamError,
    ):
        assert issubclass(klass, OpenApiException)
    assert issubclass(ApiTypeError, TypeError)
    assert issubclass(ApiValueError, ValueError)
    assert issubclass(ApiKeyError, KeyError)
    assert issubclass(ApiAttributeError, AttributeError)
    assert issubclass(ApiTimeoutError, ApiConnectionError)
    assert issubclass(ApiDecodeError, ApiException)
    assert issubclass(ResponseTooLargeError, ApiException)
    for klass in exceptions.STATUS_EXCEPTIONS.values():
        assert issubclass(klass, ApiException)
    assert rest.ApiException is ApiException


def test_fields_from_an_http_response_object() -> None:
    response = SimpleNamespace(status=404, reason="Not Found", data=b'{"error": "x"}', headers={"X-Request-Id": "r1"})

    error = NotFoundException(http_resp=response)

    assert (error.status, error.reason, error.body, error.headers) == (
        404,
        "Not Found",
        '{"error": "x"}',
        {"X-Request-Id": "r1"},
    )


def test_str_shows_status_reason_headers_and_body() -> None:
    error = BadRequestException(400, "Bad Request", body='{"detail": "no"}', headers={"X-Request-Id": "r1"})

    assert str(error) == (
        "(400) Bad Request: no\nReason: Bad Request\nHTTP response headers: {'X-Request-Id': 'r1'}\n"
        'HTTP response body: {"detail": "no"}'
    )
    assert error.server_message == "no"


def test_str_of_an_error_without_a_body_or_reason() -> None:
    assert str(ApiException(503)) == "(503)\nReason: None"
    assert ApiException(503).server_message is None
    assert str(ServiceException(503, "Service Unavailable", body=b"")).splitlines()[0] == "(503) Service Unavailable"


def test_a_server_text_equal_to_the_reason_is_not_repeated() -> None:
    error = NotFoundException(404, "Not Found", body=b"Not Found", headers={"Content-Type": "text/plain"})

    assert str(error).splitlines()[0] == "(404) Not Found"
    assert error.server_message == "Not Found"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('"InvalidRequest: messages must not be empty"', "InvalidRequest: messages must not be empty"),
        ('{"error": "Unauthorized: invalid API key"}', "Unauthorized: invalid API key"),
        ('{"code": "NOT_FOUND", "message": "chatroom does not exist"}', "NOT_FOUND: chatroom does not exist"),
        ('{"status": 400, "error": "prompt is required"}', "prompt is required"),
        ('{"status": 404, "error": "deployment not found", "code": "NOT_FOUND"}', "deployment not found"),
        ('{"error": {"message": "model overloaded", "type": "server_error"}}', "model overloaded"),
        ('{"detail": [{"loc": ["body"], "msg": "field required"}]}', "field required"),
        ("Failed to parse the request body as JSON: expected value at line 1 column 1",
         "Failed to parse the request body as JSON: expected value at line 1 column 1"),
        ("\n\n  Unsupported Media Type: expected `application/json`  \nmore\n",
         "Unsupported Media Type: expected `application/json`"),
        ("<html><body>Bad gateway</body></html>", "<html><body>Bad gateway</body></html>"),  # no heading
        ("<!DOCTYPE html>\n<html><head><TITLE>502 Bad Gateway</TITLE></head>\n<body><center><h1>502 Bad "
         "Gateway</h1></center><hr><center>nginx</center></body></html>", "502 Bad Gateway"),
        ("<html><body><h1>Service &amp; <b>API</b>\n unavailable</h1><h1>second</h1></body></html>",
         "Service & API unavailable"),
        ("<html><head><title>  </title></head><body><h1>Gateway Timeout</h1></body></html>", "Gateway Timeout"),
        ('{"error": null, "message": "   "}', '{"error": null, "message": "   "}'),  # no text inside: the body
        ("", None),
        ("   ", None),
    ],
    ids=[
        "json_string", "error_string", "code_message", "emissary_400", "emissary_404", "openai_object",
        "detail_list", "plain_text", "plain_text_lines", "html", "html_title", "html_h1", "html_empty_title",
        "object_without_text", "empty", "blank",
    ],
)  # fmt: skip
def test_server_message_of_every_error_body_shape(body: str, expected: Optional[str]) -> None:
    error = BadRequestException(400, "Bad Request", body=body.encode())

    assert server_message(body) == expected
    assert error.server_message == expected
    first = str(error).splitlines()[0]
    assert first == ("(400) Bad Request" + (f": {expected}" if expected else ""))


def test_str_masks_sensitive_headers_and_tokens_in_the_body() -> None:
    token = "sk-secret-in-body-777"
    error = UnauthorizedException(
        401,
        "Unauthorized",
        body=f'{{"error": "bad token Bearer {token}"}}',
        headers={"Set-Cookie": "session=abcdef123456", "WWW-Authenticate": "Bearer"},
    )

    text = str(error)

    assert token not in text  # neither in the server's text on the first line nor in the body
    assert "abcdef123456" not in text
    assert text.splitlines()[0] == "(401) Unauthorized: bad token Bearer ***"


def test_str_masks_registered_secrets() -> None:
    register_secret("registered-secret-value-55")
    error = ServiceException(500, "Internal", body="echo: registered-secret-value-55")

    assert "registered-secret-value-55" not in str(error)
    assert str(error).splitlines()[0].startswith("(500) Internal: echo: ")


def test_str_truncates_a_long_body() -> None:
    body = "x" * (_constants.MAX_BODY_IN_MESSAGE * 3)

    text = str(ServiceException(502, "Bad Gateway", body=body))

    first = text.splitlines()[0]  # the server's text, cut short: all of it is in .server_message and .body
    assert first == "(502) Bad Gateway: " + "x" * _constants.MAX_SERVER_TEXT_IN_FIRST_LINE + "..."
    assert len(text) < _constants.MAX_BODY_IN_MESSAGE + _constants.MAX_SERVER_TEXT_IN_FIRST_LINE + 200
    assert f"({len(body)} characters)" in text


def test_bytes_body_is_decoded_leniently() -> None:
    assert ApiException(500, body=b"caf\xc3\xa9 \xff").body == "caf\u00e9 \ufffd"


def test_exceptions_survive_pickling() -> None:
    error = NotFoundException(404, "Not Found", body='{"error": "no such room"}', data=None, headers={"X": "1"})
    clone = pickle.loads(pickle.dumps(error))
    assert (type(clone), clone.status, clone.reason, clone.body, clone.headers, clone.server_message) == (
        NotFoundException,
        404,
        "Not Found",
        '{"error": "no such room"}',
        {"X": "1"},
        "no such room",
    )
    assert str(clone) == str(error)

    timeout = pickle.loads(pickle.dumps(ApiTimeoutError("t", phase="connect")))
    assert (type(timeout), timeout.phase, str(timeout)) == (ApiTimeoutError, "connect", "t")


def test_connection_errors_carry_their_phase() -> None:
    assert ApiConnectionError("x").phase == "connect"
    assert ApiTimeoutError("x").phase == "read"
    error = ApiConnectionError("x", phase="read", response_started=True)
    assert (error.phase, error.response_started) == ("read", True)


def test_stream_error_counts_chunks() -> None:
    error = StreamError("stream ended after 3 chunks without [DONE]", chunks_received=3)

    assert error.chunks_received == 3
    assert str(error) == "stream ended after 3 chunks without [DONE]"


def test_response_too_large_names_the_limit() -> None:
    error = ResponseTooLargeError(200, "OK", headers={}, limit=1000)

    assert error.limit == 1000
    assert str(error) == "(200) response body larger than the limit of 1000 bytes (max_response_bytes)"


def test_type_and_value_errors_render_the_path() -> None:
    assert (
        str(ApiTypeError("Invalid type", path_to_item=["messages", 0, "role"]))
        == "Invalid type at ['messages'][0]['role']"
    )
    assert str(ApiValueError("Invalid value")) == "Invalid value"
