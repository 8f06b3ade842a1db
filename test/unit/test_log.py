"""tachyon_sdk._log: what the redacting filter masks."""

import logging
import sys

import pytest

from tachyon_sdk._log import RedactingFilter, mask_headers, redact, register_secret


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer ***"),
        ("{'authorization': 'Bearer abc'}", "{'authorization': 'Bearer ***'}"),
        ('{"Proxy-Authorization": "Basic dXNlcjpwYXNz"}', '{"Proxy-Authorization": "Basic ***"}'),
        ("Cookie: session=1234567", "Cookie: ***"),
        ("set-cookie=abcdef", "set-cookie=***"),
        ("x-api-key: k-123456", "x-api-key: ***"),
        ("token was bearer eyJhbGciOi.x.y", "token was bearer ***"),
        ("proxy http://user:p%40ss@proxy:3128/", "proxy http://user:***@proxy:3128/"),
        ("nothing secret here", "nothing secret here"),
        ("max_tokens: 5, Authorization-Extra: no", "max_tokens: 5, Authorization-Extra: no"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_registered_secrets_are_masked_also_when_percent_encoded() -> None:
    register_secret("s3cr3t/with+chars")

    assert redact("a s3cr3t/with+chars b") == "a *** b"
    assert redact("?key=s3cr3t%2Fwith%2Bchars") == "?key=***"


def test_short_values_are_not_registered() -> None:
    register_secret("ab")

    assert redact("abc ab") == "abc ab"


def test_mask_headers_keeps_names_and_the_scheme_word() -> None:
    masked = mask_headers(
        {"Authorization": "Bearer tok-1234", "X-Custom-Key": "custom-1234", "Accept": "application/json"},
        extra=["x-custom-key"],
    )

    assert masked == {"Authorization": "Bearer ***", "X-Custom-Key": "***", "Accept": "application/json"}


def test_filter_merges_arguments_and_masks_them() -> None:
    record = logging.LogRecord(
        "tachyon_sdk", logging.INFO, __file__, 1, "headers=%s", ({"Authorization": "Bearer t0k3n"},), None
    )

    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "headers={'Authorization': 'Bearer ***'}"
    assert record.args is None


def test_filter_masks_tracebacks() -> None:
    try:
        raise RuntimeError("failed with Authorization: Bearer in-traceback-1")
    except RuntimeError:
        record = logging.LogRecord("tachyon_sdk", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())

    RedactingFilter().filter(record)

    assert record.exc_text is not None
    assert "in-traceback-1" not in record.exc_text
    assert "RuntimeError" in record.exc_text
