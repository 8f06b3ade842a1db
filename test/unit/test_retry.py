"""tachyon_sdk.retry: the policy value, backoff and Retry-After parsing (pure, no sleeping)."""

import dataclasses
import email.utils
import random

import pytest

from tachyon_sdk import _constants
from tachyon_sdk.retry import RequestHistory, RetryPolicy, parse_retry_after

NOW = 1_700_000_000.0


def test_defaults_come_from_constants() -> None:
    policy = RetryPolicy()

    assert policy.total == _constants.DEFAULT_MAX_RETRIES == 2
    assert policy.backoff_factor == _constants.DEFAULT_BACKOFF_FACTOR
    assert policy.backoff_max == _constants.DEFAULT_BACKOFF_MAX
    assert policy.retry_after_max == _constants.DEFAULT_RETRY_AFTER_MAX
    assert policy.status_forcelist == frozenset({408, 429, 500, 502, 503, 504})
    assert policy.respect_retry_after is True
    assert policy.history == ()


def test_policy_is_frozen() -> None:
    policy = RetryPolicy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.total = 5  # type: ignore[misc]


def test_increment_returns_a_new_policy_and_records_history() -> None:
    policy = RetryPolicy(total=2)

    first = policy.increment("POST", "http://h/v1/x", status=503)
    second = first.increment("POST", "http://h/v1/x", error=ConnectionResetError("boom"))

    assert policy.total == 2 and policy.history == ()
    assert first.total == 1 and not first.is_exhausted()
    assert second.total == 0 and not second.is_exhausted()
    assert second.history == (
        RequestHistory(method="POST", url="http://h/v1/x", status=503, error=None),
        RequestHistory(method="POST", url="http://h/v1/x", status=None, error="ConnectionResetError"),
    )
    assert second.retries_done == 2
    assert second.increment("POST", "http://h/v1/x", status=503).is_exhausted()


def test_zero_retries_is_exhausted_at_the_first_failure() -> None:
    assert RetryPolicy(total=0).increment("GET", "http://h/", status=503).is_exhausted()


def test_repr() -> None:
    policy = RetryPolicy().increment("GET", "http://h/", status=429)

    assert repr(policy) == (
        "RetryPolicy(total=1, backoff_factor=0.5, backoff_max=8.0, backoff_jitter=0.25, retry_after_max=60.0, "
        "status_forcelist=[408, 429, 500, 502, 503, 504], respect_retry_after=True, history=1)"
    )


def test_status_forcelist_given_as_a_set_becomes_frozen() -> None:
    policy = RetryPolicy(status_forcelist={503})

    assert policy.status_forcelist == frozenset({503})
    assert policy.is_retryable_status(503)
    assert not policy.is_retryable_status(500)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_default_retryable_statuses(status: int) -> None:
    assert RetryPolicy().is_retryable_status(status)


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 409, 422, 501])
def test_statuses_not_retried_by_default(status: int) -> None:
    assert not RetryPolicy().is_retryable_status(status)


def test_from_value() -> None:
    policy = RetryPolicy(total=7)

    assert RetryPolicy.from_value(None).total == 0
    assert RetryPolicy.from_value(0).total == 0
    assert RetryPolicy.from_value(3).total == 3
    assert RetryPolicy.from_value(policy) is policy


@pytest.mark.parametrize("value", [True, 1.5, "2"])
def test_from_value_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        RetryPolicy.from_value(value)  # type: ignore[arg-type]


def test_from_value_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        RetryPolicy.from_value(-1)


@pytest.mark.parametrize("field", ["backoff_factor", "backoff_max", "retry_after_max"])
def test_negative_durations_are_refused(field: str) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**{field: -1.0})  # type: ignore[arg-type]


def test_backoff_grows_exponentially_within_jitter_bounds_and_is_capped() -> None:
    policy = RetryPolicy(backoff_factor=0.5, backoff_max=8.0, backoff_jitter=0.25)
    rng = random.Random(1234)

    for attempt in range(1, 12):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        for _ in range(50):
            wait = policy.backoff_for(attempt, rng)
            assert 0.75 * ceiling <= wait <= ceiling


def test_backoff_is_reproducible_with_a_seeded_source() -> None:
    policy = RetryPolicy()

    first = [policy.backoff_for(n, random.Random(7)) for n in range(1, 6)]
    second = [policy.backoff_for(n, random.Random(7)) for n in range(1, 6)]

    assert first == second


def test_backoff_without_jitter_is_exact() -> None:
    policy = RetryPolicy(backoff_jitter=0.0)

    assert [policy.backoff_for(n) for n in range(0, 7)] == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_huge_attempt_numbers_stay_capped() -> None:
    assert RetryPolicy(backoff_jitter=0.0).backoff_for(10_000) == 8.0


@pytest.mark.parametrize(("value", "expected"), [("0", 0.0), ("3", 3.0), (" 7 ", 7.0), ("60", 60.0)])
def test_retry_after_seconds(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_retry_after_seconds_are_capped() -> None:
    assert parse_retry_after("3600", NOW) == 60.0
    assert parse_retry_after("3600", NOW, cap=100.0) == 100.0
    assert parse_retry_after("3600", NOW, cap=None) == 3600.0


def test_retry_after_http_date() -> None:
    header = email.utils.formatdate(NOW + 30, usegmt=True)  # IMF-fixdate

    assert parse_retry_after(header, NOW) == 30.0


def test_retry_after_obsolete_date_formats() -> None:
    now = email.utils.mktime_tz((1994, 11, 6, 8, 49, 30, 0, 1, -1, 0))

    assert parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == 7.0  # RFC 850
    assert parse_retry_after("Sun Nov  6 08:49:37 1994", now) == 7.0  # asctime, GMT by definition


def test_retry_after_date_in_the_past_means_no_wait() -> None:
    assert parse_retry_after(email.utils.formatdate(NOW - 100, usegmt=True), NOW) == 0.0


def test_retry_after_date_is_capped() -> None:
    assert parse_retry_after(email.utils.formatdate(NOW + 3600, usegmt=True), NOW) == 60.0


@pytest.mark.parametrize("value", [None, "", "soon", "-1", "1.5", "1e3", "Mon, 99 Foo 2020"])
def test_invalid_retry_after_is_none(value: object) -> None:
    assert parse_retry_after(value, NOW) is None  # type: ignore[arg-type]


def test_wait_for_prefers_a_valid_retry_after() -> None:
    policy = RetryPolicy().increment("GET", "http://h/", status=429)

    assert policy.wait_for("4", random.Random(0), NOW) == 4.0
    assert policy.wait_for("9999", random.Random(0), NOW) == 60.0


def test_wait_for_falls_back_to_backoff() -> None:
    policy = RetryPolicy().increment("GET", "http://h/", status=503)

    assert policy.wait_for(None, random.Random(3), NOW) == policy.backoff_for(1, random.Random(3))
    assert policy.wait_for("garbage", random.Random(3), NOW) == policy.backoff_for(1, random.Random(3))


def test_wait_for_ignores_retry_after_when_told_to() -> None:
    policy = RetryPolicy(respect_retry_after=False).increment("GET", "http://h/", status=429)

    assert policy.wait_for("30", random.Random(5), NOW) == policy.backoff_for(1, random.Random(5))
