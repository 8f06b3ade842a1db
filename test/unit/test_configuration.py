"""tachyon_sdk.configuration: defaults, validation, hosts, credentials, logging switches, masking."""

import base64
import copy
import http.client
import logging
import pathlib

import pytest

from tachyon_sdk import _constants
from tachyon_sdk._operation import AuthSpec, ServerSpec, ServerVariable
from tachyon_sdk.configuration import Configuration, _load_servers
from tachyon_sdk.exceptions import ApiTypeError, ApiValueError
from tachyon_sdk.retry import RetryPolicy

TOKEN = "sk-live-token-9f8e7d6c"
API_KEY = "key-abcdef-123456"
PASSWORD = "hunter2-password"
PROXY_PASSWORD = "proxy-pass-4242"
PROXY_HEADER = "Basic cHJveHktaGVhZGVyLXNlY3JldA=="


def secret_configuration() -> Configuration:
    return Configuration(
        host="https://api.example.test",
        api_key={"apiKeyAuth": API_KEY},
        api_key_prefix={"apiKeyAuth": "Token"},
        username="ann",
        password=PASSWORD,
        access_token=TOKEN,
        proxy=f"http://proxyuser:{PROXY_PASSWORD}@127.0.0.1:3128",
        proxy_headers={"Proxy-Authorization": PROXY_HEADER, "X-Trace": "yes"},
    )


def test_repr_masks_every_secret_and_keeps_the_rest() -> None:
    text = repr(secret_configuration())

    for secret in (TOKEN, API_KEY, PASSWORD, PROXY_PASSWORD, PROXY_HEADER, "cHJveHktaGVhZGVyLXNlY3JldA"):
        assert secret not in text
    assert "host='https://api.example.test'" in text
    assert "access_token='***'" in text
    assert "api_key={'apiKeyAuth': '***'}" in text
    assert "password='***'" in text
    assert "proxy='http://proxyuser:***@127.0.0.1:3128'" in text
    assert "'Proxy-Authorization': 'Basic ***'" in text
    assert "'X-Trace': 'yes'" in text
    assert "username='ann'" in text


def test_repr_shows_unset_secrets_as_none() -> None:
    text = repr(Configuration(host="http://h"))

    assert "access_token=None" in text
    assert "password=None" in text


def test_defaults() -> None:
    configuration = Configuration(host="http://h")

    assert configuration.timeout == _constants.DEFAULT_TIMEOUT == (5.0, 600.0)
    assert configuration.max_response_bytes == _constants.DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    assert configuration.retries == 2
    assert configuration.retry_policy == RetryPolicy(total=2)
    assert configuration.connection_pool_maxsize == _constants.DEFAULT_CONNECTION_POOL_MAXSIZE
    assert configuration.verify_ssl is True
    assert configuration.client_side_validation is True
    assert configuration.safe_chars_for_path_param == ""
    assert configuration.debug is False


def test_retries_none_or_zero_disable_retries() -> None:
    assert Configuration(retries=None).retry_policy.total == 0
    assert Configuration(retries=0).retry_policy.total == 0
    policy = RetryPolicy(total=5, backoff_factor=0.1)
    assert Configuration(retries=policy).retry_policy is policy


@pytest.mark.parametrize("value", ["3", 1.5, True])
def test_invalid_retries_type(value: object) -> None:
    with pytest.raises(ApiTypeError):
        Configuration(retries=value)  # type: ignore[arg-type]


def test_negative_retries() -> None:
    with pytest.raises(ApiValueError):
        Configuration(retries=-1)


@pytest.mark.parametrize("value", [None, 3, 2.5, (1, 2), (None, 30.0), (1.0, None)])
def test_valid_timeouts(value: object) -> None:
    configuration = Configuration(timeout=value)  # type: ignore[arg-type]

    if isinstance(value, tuple):
        assert configuration.timeout == tuple(None if item is None else float(item) for item in value)
    else:
        assert configuration.timeout == (None if value is None else float(value))  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "error"), [("5", ApiTypeError), (True, ApiTypeError), ((1, 2, 3), ApiTypeError),
                                              (-1, ApiValueError), ((1, -2), ApiValueError)])  # fmt: skip
def test_invalid_timeouts(value: object, error: type) -> None:
    with pytest.raises(error):
        Configuration(timeout=value)  # type: ignore[arg-type]


def test_invalid_max_response_bytes() -> None:
    with pytest.raises(ApiTypeError):
        Configuration(max_response_bytes="1")  # type: ignore[arg-type]
    with pytest.raises(ApiValueError):
        Configuration(max_response_bytes=-1)


def test_deepcopy_is_independent() -> None:
    original = secret_configuration()
    clone = copy.deepcopy(original)

    clone.api_key["apiKeyAuth"] = "other-key-value"
    clone.host = "http://elsewhere"

    assert original.api_key == {"apiKeyAuth": API_KEY}
    assert original.host == "https://api.example.test"
    assert clone.access_token == TOKEN
    assert repr(clone).replace("http://elsewhere", "https://api.example.test") == repr(original)


def test_deepcopy_shares_the_log_file(tmp_path: pathlib.Path) -> None:
    original = Configuration(logger_file=str(tmp_path / "sdk.log"))
    clone = copy.deepcopy(original)

    assert clone.logger_file == original.logger_file
    original.logger_file = None


def test_default_host_is_the_first_spec_server() -> None:
    configuration = Configuration()

    assert configuration.server_index == 0
    assert configuration.host == _load_servers()[0].format()


def test_explicit_host_wins_and_setting_host_clears_the_server_index() -> None:
    configuration = Configuration(host="http://a")
    assert configuration.server_index is None and configuration.host == "http://a"

    configuration = Configuration()
    configuration.host = "http://b/"
    assert configuration.server_index is None and configuration.host == "http://b/"


SERVERS = (
    ServerSpec(url="http://localhost"),
    ServerSpec(
        url="https://{region}.api.test/{version}",
        description="regional",
        variables={
            "region": ServerVariable(default="eu", enum=("eu", "us")),
            "version": ServerVariable(default="v1"),
        },
    ),
)


def test_host_from_settings_fills_variables() -> None:
    configuration = Configuration()

    assert configuration.get_host_from_settings(1, servers=SERVERS) == "https://eu.api.test/v1"
    assert (
        configuration.get_host_from_settings(1, {"region": "us", "version": "v2"}, SERVERS) == "https://us.api.test/v2"
    )
    assert configuration.get_host_from_settings(None) == _constants.DEFAULT_HOST


def test_host_from_settings_refuses_a_value_outside_the_enum() -> None:
    with pytest.raises(ApiValueError, match="region"):
        Configuration().get_host_from_settings(1, {"region": "mars"}, SERVERS)


def test_host_from_settings_refuses_an_index_out_of_range() -> None:
    with pytest.raises(ApiValueError, match="Must be less than 2"):
        Configuration().get_host_from_settings(2, servers=SERVERS)


def test_get_host_settings_has_openapi_generator_shape() -> None:
    settings = Configuration().get_host_settings()

    assert settings[0]["url"] == _load_servers()[0].url
    assert set(settings[0]) == {"url", "description", "variables"}


def test_default_configuration() -> None:
    mine = Configuration(host="http://mine")
    try:
        Configuration.set_default(mine)
        assert Configuration.get_default() is mine
        assert Configuration.get_default_copy() is not mine
        assert Configuration.get_default_copy().host == "http://mine"
    finally:
        Configuration.set_default(None)
    assert Configuration.get_default() is not mine


BEARER = AuthSpec(name="bearerAuth", kind="http", scheme="bearer", location="header", key="Authorization")
BASIC = AuthSpec(name="basicAuth", kind="http", scheme="basic", location="header", key="Authorization")
API_KEY_SPEC = AuthSpec(name="apiKeyAuth", kind="apiKey", scheme=None, location="header", key="X-Api-Key")


def test_credentials_for_each_scheme() -> None:
    configuration = secret_configuration()

    assert configuration.auth_value(BEARER) == f"Bearer {TOKEN}"
    assert configuration.auth_value(BASIC) == "Basic " + base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    assert configuration.auth_value(API_KEY_SPEC) == f"Token {API_KEY}"


def test_no_credentials_configured() -> None:
    configuration = Configuration()

    assert configuration.auth_value(BEARER) is None
    assert configuration.auth_value(BASIC) is None
    assert configuration.auth_value(API_KEY_SPEC) is None


def test_api_key_found_by_header_name_and_refresh_hook_runs() -> None:
    configuration = Configuration()
    calls = []

    def refresh(conf: Configuration) -> None:
        calls.append(conf)
        conf.api_key["X-Api-Key"] = "refreshed-key-1"

    configuration.refresh_api_key_hook = refresh

    assert configuration.auth_value(API_KEY_SPEC) == "refreshed-key-1"
    assert calls == [configuration]


def test_debug_switches_the_sdk_logger_only() -> None:
    sdk_logger = logging.getLogger("tachyon_sdk")
    urllib3_level = logging.getLogger("urllib3").level
    configuration = Configuration()

    configuration.debug = True
    handlers_on = list(sdk_logger.handlers)
    level_on = sdk_logger.level
    configuration.debug = False

    assert level_on == logging.DEBUG
    assert len(handlers_on) == len(sdk_logger.handlers) + 1
    assert sdk_logger.level == logging.NOTSET
    assert logging.getLogger("urllib3").level == urllib3_level
    assert http.client.HTTPConnection.debuglevel == 0


def test_debug_none_leaves_the_logger_alone() -> None:
    sdk_logger = logging.getLogger("tachyon_sdk")
    sdk_logger.setLevel(logging.INFO)

    Configuration()

    assert sdk_logger.level == logging.INFO


def test_logger_file_receives_masked_records(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "sdk.log"
    configuration = Configuration(access_token=TOKEN, logger_file=str(path), logger_format="%(levelname)s %(message)s")
    sdk_logger = logging.getLogger("tachyon_sdk")
    sdk_logger.setLevel(logging.INFO)

    sdk_logger.info("sending token %s with headers %s", TOKEN, {"Authorization": f"Bearer {TOKEN}"})
    configuration.logger_file = None

    assert path.read_text() == "INFO sending token *** with headers {'Authorization': 'Bearer ***'}\n"


def test_debug_report_names_the_version() -> None:
    assert _constants.SDK_VERSION in Configuration().to_debug_report()


def test_pool_timeout_default_validation_and_repr() -> None:
    assert Configuration().pool_timeout == _constants.DEFAULT_POOL_TIMEOUT
    assert Configuration(pool_timeout=None).pool_timeout is None
    assert Configuration(pool_timeout=2).pool_timeout == 2.0
    assert "pool_timeout=0.5" in repr(Configuration(pool_timeout=0.5))
    with pytest.raises(ApiTypeError):
        Configuration(pool_timeout="5")  # type: ignore[arg-type]
    with pytest.raises(ApiValueError):
        Configuration(pool_timeout=-1)


def test_retries_accepts_a_number_or_a_policy_after_creation() -> None:
    configuration = Configuration()

    configuration.retries = 5
    assert configuration.retry_policy == RetryPolicy(total=5)
    configuration.retries = RetryPolicy(total=1, status_forcelist={503})
    assert configuration.retry_policy.status_forcelist == frozenset({503})
    with pytest.raises(ApiTypeError):
        configuration.retries = "3"  # type: ignore[assignment]
