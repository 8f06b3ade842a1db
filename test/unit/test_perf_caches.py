"""The hot-path caches (issue 8) keep every check: a cached answer is only ever given for the same text.

- header ``(name, value)`` pairs that passed ``_check_header`` are remembered; nothing else is;
- base URLs that passed the host check are remembered; nothing else is;
- ``register_secret`` returns early only for a secret whose every form is known;
- ``Configuration.retry_policy`` is built when ``retries`` is set;
- ``urllib3.Timeout`` objects are shared for equal float timeouts only;
- the request target given to a cached pool is exactly what urllib3's own URL parsing would send.
"""

from typing import Any, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3.util import parse_url

from tachyon_sdk import _log, _request, rest
from tachyon_sdk._constants import (
    DEFAULT_MAX_RETRIES,
    MAX_CACHED_TIMEOUTS,
    MAX_CHECKED_HEADERS,
    MAX_CHECKED_HOSTS,
    MAX_SECRETS_KEPT,
    REDACTED,
)
from tachyon_sdk._operation import Operation
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiTypeError, ApiValueError
from tachyon_sdk.retry import RetryPolicy

GET = Operation(operation_id="get_thing", method="GET", path="/v1/thing", params=(), body=None, responses={})


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    _request._checked_headers.clear()
    _request._checked_hosts.clear()
    yield
    _request._checked_headers.clear()
    _request._checked_hosts.clear()


class _Sly(str):
    """A str subclass that claims to equal (and hash like) another text while holding its own."""

    def __new__(cls, text: str, pretends: str) -> "_Sly":
        made = super().__new__(cls, text)
        made.pretends = pretends  # type: ignore[attr-defined]
        return made

    def __eq__(self, other: object) -> bool:
        return other == self.pretends  # type: ignore[attr-defined,no-any-return]

    def __hash__(self) -> int:
        return hash(self.pretends)  # type: ignore[attr-defined]


# --- headers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Bearer sk-x\r\nX-Evil: 1", "Bearer sk-x\n", "Bearer sk-x\0", "Bearer sk-x\r"])
def test_a_header_cached_as_valid_never_lets_an_invalid_value_through(bad: str) -> None:
    assert _request._check_header("Authorization", "Bearer sk-x", "credential") == "Bearer sk-x"
    assert ("Authorization", "Bearer sk-x") in _request._checked_headers

    with pytest.raises(ApiValueError, match="CR, LF or NUL"):
        _request._check_header("Authorization", bad, "credential")
    with pytest.raises(ApiValueError, match="CR, LF or NUL"):  # asked again: still refused, never remembered
        _request._check_header("Authorization", bad, "credential")
    assert ("Authorization", bad) not in _request._checked_headers


def test_a_str_subclass_posing_as_a_cached_value_is_checked_in_full() -> None:
    _request._check_header("X-Trace", "abc", "header")
    sly = _Sly("abc\r\nX-Evil: 1", pretends="abc")
    assert sly == "abc" and hash(sly) == hash("abc")

    with pytest.raises(ApiValueError, match="CR, LF or NUL"):
        _request._check_header("X-Trace", sly, "header")
    with pytest.raises(ApiValueError, match="Invalid header name"):
        _request._check_header(_Sly("X-Trace\r\n", pretends="X-Trace"), "abc", "header")


def test_refused_names_and_values_are_never_remembered() -> None:
    for name, value, error in [
        ("Bad Name", "v", ApiValueError),
        ("X-Ok", "caf\u00e9\u20ac", ApiValueError),
        ("X-Ok", b"bytes", ApiTypeError),
        (b"X-Ok", "v", ApiValueError),
    ]:
        for _ in range(2):
            with pytest.raises(error):
                _request._check_header(name, value, "header")
    assert _request._checked_headers == {}


def test_the_header_cache_is_bounded() -> None:
    for index in range(MAX_CHECKED_HEADERS * 2 + 5):
        _request._check_header("X-Index", str(index), "header")
        assert len(_request._checked_headers) <= MAX_CHECKED_HEADERS


def test_set_header_replaces_a_header_of_any_letter_case_and_moves_it_last() -> None:
    headers = {"accept": "a", "User-Agent": "u", "ACCEPT": "b"}
    _request._set_header(headers, "Accept", "c")
    assert list(headers.items()) == [("User-Agent", "u"), ("Accept", "c")]


def test_injected_default_header_is_refused_even_after_the_clean_one_was_cached() -> None:
    configuration = Configuration(host="http://127.0.0.1:1")
    clean = _request.build_request(configuration, {"X-Team": "blue"}, None, GET, (), None)
    assert clean.headers["X-Team"] == "blue"

    with pytest.raises(ApiValueError, match="CR, LF or NUL"):
        _request.build_request(configuration, {"X-Team": "blue\r\nX-Evil: 1"}, None, GET, (), None)
    with pytest.raises(ApiValueError, match="CR, LF or NUL"):
        _request.build_request(configuration, {}, None, GET, (), None, headers={"X-Team": "blue\nX: 1"})


# --- hosts --------------------------------------------------------------------------------------------


def test_a_host_is_checked_once_and_an_invalid_one_is_still_refused() -> None:
    configuration = Configuration(host="http://127.0.0.1:1/base/")
    first = _request.build_request(configuration, {}, None, GET, (), None)
    assert first.url == "http://127.0.0.1:1/base/v1/thing"
    assert _request._checked_hosts == {"http://127.0.0.1:1/base/": "http://127.0.0.1:1/base"}

    for bad in ("ftp://127.0.0.1:1", "http://127.0.0.1:1/a b", "http://127.0.0.1:1\0", "127.0.0.1:1"):
        with pytest.raises(ApiValueError, match="Invalid host"):
            configuration.host = bad  # refused when set; and by the request, should one get past the setter:
        configuration._base_path = bad
        configuration.server_index = None
        for _ in range(2):
            with pytest.raises(ApiValueError, match="Invalid host"):
                _request.build_request(configuration, {}, None, GET, (), None)
    assert list(_request._checked_hosts) == ["http://127.0.0.1:1/base/"]


def test_the_host_cache_is_bounded() -> None:
    configuration = Configuration(host="http://127.0.0.1:1")
    for index in range(MAX_CHECKED_HOSTS * 2 + 3):
        configuration.host = f"http://127.0.0.1:{index + 1}"
        assert _request.build_request(configuration, {}, None, GET, (), None).url.endswith(f":{index + 1}/v1/thing")
        assert len(_request._checked_hosts) <= MAX_CHECKED_HOSTS


# --- secrets ------------------------------------------------------------------------------------------


def test_a_known_secret_stays_masked_and_every_form_of_a_new_one_is_registered() -> None:
    _log.register_secret("plain-token-0042")
    _log.register_secret("plain-token-0042")  # known: returns early
    assert _log.redact("sent plain-token-0042") == f"sent {REDACTED}"

    _log.register_secret("s3cr/t+pw d=1")
    _log.register_secret("s3cr/t+pw d=1")
    text = "raw s3cr/t+pw d=1, quoted s3cr%2Ft%2Bpw%20d%3D1, plus s3cr%2Ft%2Bpw+d%3D1"
    assert _log.redact(text) == f"raw {REDACTED}, quoted {REDACTED}, plus {REDACTED}"


@pytest.fixture
def _secrets_restored() -> Iterator[None]:
    """Put the log filter's secrets back afterwards (this test pushes every other secret out)."""
    saved = dict(_log._secrets)
    yield
    with _log._secrets_lock:
        _log._secrets.clear()
        _log._secrets.update(saved)
        _log._secrets_sorted = tuple(sorted(saved, key=len, reverse=True))


@pytest.mark.usefixtures("_secrets_restored")
def test_a_forgotten_secret_is_registered_again() -> None:
    _log.register_secret("comes-back-0001")
    for index in range(MAX_SECRETS_KEPT + 10):  # pushes the oldest out
        _log.register_secret(f"filler-secret-{index:06d}")
    assert _log.redact("comes-back-0001") == "comes-back-0001"

    _log.register_secret("comes-back-0001")
    assert _log.redact("comes-back-0001") == REDACTED


# --- retry policy -------------------------------------------------------------------------------------


def test_retry_policy_is_built_when_retries_is_set() -> None:
    configuration = Configuration()
    policy = configuration.retry_policy
    assert policy == RetryPolicy(total=DEFAULT_MAX_RETRIES)
    assert configuration.retry_policy is policy  # not rebuilt per call

    configuration.retries = 5
    assert configuration.retry_policy == RetryPolicy(total=5)
    custom = RetryPolicy(total=1, status_forcelist=frozenset({503}))
    configuration.retries = custom
    assert configuration.retry_policy is custom

    with pytest.raises(ApiValueError):
        configuration.retries = -1
    with pytest.raises(ApiTypeError):
        configuration.retries = "3"  # type: ignore[assignment]
    assert configuration.retries is custom and configuration.retry_policy is custom  # a refused value changes nothing


# --- timeouts -----------------------------------------------------------------------------------------


def test_equal_float_timeouts_share_one_urllib3_timeout() -> None:
    rest._timeouts.clear()
    first = rest._cached_timeout((5.0, 600.0))
    assert rest._cached_timeout((5.0, 600.0)) is first
    assert (first.connect_timeout, first.read_timeout, first.total) == (5.0, 600.0, None)
    assert rest._cached_timeout(None) is rest._cached_timeout(None)
    assert rest._cached_timeout(3.0) is not first


@pytest.mark.parametrize(("value", "connect"), [(3, 3), ((1, 2.0), 1), ([1.0, 2.0], [1.0, 2.0])])
def test_other_timeout_values_are_built_each_time_as_before(value: Any, connect: Any) -> None:
    rest._timeouts.clear()
    if isinstance(value, list):  # unhashable: not a timeout, urllib3 refuses it as before
        with pytest.raises(ValueError, match="Timeout value"):
            rest._cached_timeout(value)
    else:
        built = rest._cached_timeout(value)
        assert built.connect_timeout == connect
        assert type(built.connect_timeout) is int  # never the Timeout of an equal float
    assert rest._timeouts == {}


def test_the_timeout_cache_is_bounded() -> None:
    rest._timeouts.clear()
    for index in range(MAX_CACHED_TIMEOUTS * 2 + 1):
        assert rest._cached_timeout(float(index + 1)).read_timeout == float(index + 1)
        assert len(rest._timeouts) <= MAX_CACHED_TIMEOUTS


# --- request target -----------------------------------------------------------------------------------

_TARGET_PIECES = st.sampled_from(
    [*"abcXYZ019-._~!$&'()*+,;=:@/?%#[] \u00e9\"<>\\^`{|}", "%2F", "%2f", "%4", "/./", "/../", "/.", "/.."]
)


@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    authority=st.sampled_from(["127.0.0.1:8080", "localhost", "LocalHost:1", "[::1]:80", "u:p@h", "h:"]),
    target=st.lists(_TARGET_PIECES, max_size=12).map("".join),
)
def test_a_plain_target_is_exactly_what_urllib3_would_send(scheme: str, authority: str, target: str) -> None:
    url = f"{scheme}://{authority}/{target}"
    plain = rest._plain_target(url)
    if plain is not None:
        parsed = parse_url(url)
        assert plain[0] == parsed.scheme
        assert plain[2] == parsed.request_uri


def test_urls_urllib3_would_rewrite_take_its_own_path() -> None:
    for url in (
        "http://h/a%2fb",  # lower-case escape: upper-cased by urllib3
        "http://h/a/../b",  # dot segments: removed
        "http://h/caf\u00e9",  # non-ASCII: percent-encoded
        "http://h/a b",
        "http://h/x#frag",  # the fragment is not sent
        "http://u:p@h/x",  # userinfo
        "HTTP://h/x",
        "http://h",  # no target: "/"
        "http://h/100%",
    ):
        assert rest._plain_target(url) is None, url
    assert rest._plain_target("https://h:8443/v1/x?k=a%2Fb&q=1") == ("https", "h:8443", "/v1/x?k=a%2Fb&q=1")
