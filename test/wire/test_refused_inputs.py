"""Input no server could take, refused with a typed error before anything is sent.

Each case goes through a real client aimed at the scripted server on 127.0.0.1 and checks that
the server saw no connection at all: control characters in header values, NaN and infinities,
data nested too deeply, text that is not valid Unicode, a bool where a number belongs, and every
setting that cannot work (checked when it is set, never later as a foreign exception).
"""

import math
from typing import Any, Callable, Dict, List, Type

import pytest

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiTypeError, ApiValueError, OpenApiException
from tachyon_sdk.retry import RetryPolicy

from ..conftest import ClientKit, ScriptedServer, echo

MakeClient = Callable[..., ClientKit]
MESSAGES = [{"role": "user", "content": "Hi"}]


def deep(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


def chat(client: ApiClient, body: Any = None, **options: Any) -> Any:
    request = {"messages": MESSAGES} if body is None else body
    return tachyon_sdk.ChatApi(client).chat_completion(
        options.pop("x_operator_id", "tn_1"), options.pop("authorization", "Bearer sk-1"), request, **options
    )


def chatroom(client: ApiClient, chatroom_id: Any) -> Any:
    return tachyon_sdk.ChatApi(client).chat_completion_on_chatroom(chatroom_id, "tn_1", "Bearer sk-1", {"messages": []})


def deployment(client: ApiClient, body: Dict[str, Any]) -> Any:
    return tachyon_sdk.DeploymentsApi(client).get_chat_completions_from_deployment("p1", "d1", body)


def refused(server: ScriptedServer, klass: Type[OpenApiException], call: Callable[[], Any], match: str = "") -> str:
    with pytest.raises(klass, match=match or None) as caught:
        call()
    assert server.connection_count == 0 and server.requests == []
    return str(caught.value)


# --- control characters in header values ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f"], ids=repr)
def test_control_characters_in_header_values_are_refused(
    http_server: ScriptedServer, make_client: MakeClient, char: str
) -> None:
    client = make_client().client
    refused(http_server, ApiValueError, lambda: chat(client, x_operator_id=f"tn{char}1"), "control character")
    refused(http_server, ApiValueError, lambda: chat(client, _headers={"X-Trace": f"a{char}b"}), "X-Trace")
    client.set_default_header("X-Team", f"blue{char}")
    refused(http_server, ApiValueError, lambda: chat(client), "X-Team")


def test_a_tab_and_non_ascii_latin_1_are_still_sent(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(400, json={"error": "InvalidInput: no"})
    with pytest.raises(tachyon_sdk.BadRequestException):
        chat(make_client(retries=0).client, _headers={"X-Trace": "a\tb caf\u00e9"})

    assert http_server.requests[0].header("X-Trace") == "a\tb caf\u00c3\u00a9".encode("latin-1").decode("utf-8")


def test_a_control_character_in_a_configured_key_is_refused(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    client = make_client(api_key={"api_key": "ak-1\x1b[31m"}).client
    refused(http_server, ApiValueError, lambda: deployment(client, {"messages": MESSAGES}), "X-API-Key")


# --- NaN and infinities ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_numbers_are_refused_wherever_they_hide(
    http_server: ScriptedServer, make_client: MakeClient, number: float
) -> None:
    client = make_client().client
    schema = {"type": "object", "properties": {"x": {"type": "number", "maximum": number}}, "required": []}
    tool = {"type": "function", "function": {"name": "f", "description": "d", "parameters": schema}}
    calls: List[Callable[[], Any]] = [
        lambda: chat(client, {"messages": MESSAGES, "tools": [tool]}),  # free-form JSON schema of a tool
        lambda: chat(client, tachyon_sdk.ChatCompletionRequest(messages=MESSAGES, tools=[tool])),  # a model
        lambda: chat(client, _extra_body={"vendor_extra": {"weights": [1.0, number]}}),  # a field sent as extra
    ]
    for call in calls:
        message = refused(http_server, ApiValueError, call, "NaN or an infinity")
        assert "chat_completion_request" in message
    refused(
        http_server, ApiValueError, lambda: echo(client, body={"messages": []}, extra_body={"x": [number]}), "infinity"
    )


def test_a_string_saying_nan_is_sent_as_it_is(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(400, json={"error": "x"})
    with pytest.raises(tachyon_sdk.BadRequestException):
        chat(make_client(retries=0).client, {"messages": [{"role": "user", "content": "NaN Infinity"}]})

    assert http_server.requests[0].json()["messages"][0]["content"] == "NaN Infinity"


# --- nesting and invalid text --------------------------------------------------------------------------------------


def test_request_data_nested_too_deeply_is_refused(http_server: ScriptedServer, make_client: MakeClient) -> None:
    client = make_client().client
    parameters = {"type": "object", "properties": deep(5000), "required": []}
    tool = {"type": "function", "function": {"name": "f", "description": "d", "parameters": parameters}}
    refused(http_server, ApiValueError, lambda: chat(client, {"messages": MESSAGES, "tools": [tool]}), "deeply")
    refused(
        http_server, ApiValueError, lambda: echo(client, body={"messages": []}, extra_body={"x": deep(5000)}), "deeply"
    )


@pytest.mark.parametrize("bad", ["\ud800", "ok\udcff", "\udfff\ud800"], ids=repr)
def test_text_that_is_not_valid_unicode_is_refused(
    http_server: ScriptedServer, make_client: MakeClient, bad: str
) -> None:
    client = make_client().client
    refused(http_server, ApiValueError, lambda: chatroom(client, bad), "chatroom_id")
    refused(http_server, ApiValueError, lambda: chat(client, {"messages": [{"role": "user", "content": bad}]}))
    refused(http_server, ApiValueError, lambda: chat(client, {"messages": MESSAGES, "user": bad}), "Unicode")
    refused(http_server, ApiValueError, lambda: chat(client, authorization=f"Bearer {bad}"), "authorization")
    refused(http_server, ApiValueError, lambda: make_client(access_token=bad), "access_token")
    refused(http_server, ApiValueError, lambda: make_client(api_key={"api_key": bad}), "api_key")


def test_raw_bytes_where_text_belongs_are_refused(http_server: ScriptedServer, make_client: MakeClient) -> None:
    client = make_client().client
    refused(http_server, ApiTypeError, lambda: chatroom(client, b"room-\xff"), "chatroom_id")
    refused(http_server, ApiValueError, lambda: chat(client, {"messages": [{"role": "user", "content": b"\xff\xfe"}]}))
    refused(http_server, ApiTypeError, lambda: make_client(access_token=b"sk-bytes"), "access_token")


# --- a bool is not a number --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["max_tokens", "max_completion_tokens", "n", "seed", "temperature", "top_p", "presence_penalty"]
)
def test_a_bool_is_not_a_number_in_a_chat_body(
    http_server: ScriptedServer, make_client: MakeClient, field: str
) -> None:
    client = make_client().client
    refused(http_server, ApiValueError, lambda: chat(client, {"messages": MESSAGES, field: True}), "bool")
    with pytest.raises(ValueError, match="bool"):
        tachyon_sdk.ChatCompletionRequest(messages=MESSAGES, **{field: False})
    request = tachyon_sdk.ChatCompletionRequest(messages=MESSAGES)
    with pytest.raises(ValueError, match="bool"):
        setattr(request, field, True)
    assert field not in request.to_dict()


def test_a_bool_is_not_a_number_in_a_deployment_body(http_server: ScriptedServer, make_client: MakeClient) -> None:
    client = make_client().client
    for field in ("max_new_tokens", "top_k", "temperature"):
        body = {"messages": MESSAGES, field: True}
        refused(http_server, ApiValueError, lambda body=body: deployment(client, body), "bool")


def test_numbers_and_real_bools_still_go_through(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(400, json={"error": "x"})
    body = {"messages": MESSAGES, "max_tokens": 5, "temperature": 1, "stream": False, "n": 2}
    with pytest.raises(tachyon_sdk.BadRequestException):
        chat(make_client(retries=0).client, body)

    sent = http_server.requests[0].json()
    assert (sent["max_tokens"], sent["temperature"], sent["stream"], sent["n"]) == (5, 1, False, 2)


# --- settings: checked when they are set -----------------------------------------------------------------------------

BAD_SETTINGS = [
    ({"timeout": math.inf}, ApiValueError),
    ({"timeout": (5, 1e300)}, ApiValueError),
    ({"timeout": (math.nan, 5)}, ApiValueError),
    ({"timeout": "5"}, ApiTypeError),
    ({"pool_timeout": math.inf}, ApiValueError),
    ({"deadline": 0}, ApiValueError),
    ({"deadline": -1.0}, ApiValueError),
    ({"deadline": math.inf}, ApiValueError),
    ({"deadline": "10"}, ApiTypeError),
    ({"connection_pool_maxsize": 0}, ApiValueError),
    ({"connection_pool_maxsize": -3}, ApiValueError),
    ({"connection_pool_maxsize": 1.5}, ApiTypeError),
    ({"connection_pool_maxsize": None}, ApiTypeError),
    ({"connection_pool_maxsize": True}, ApiTypeError),
    ({"max_response_bytes": -1}, ApiValueError),
    ({"max_stream_event_bytes": 0}, ApiValueError),
    ({"max_stream_event_bytes": 2.5}, ApiTypeError),
    ({"retries": -1}, ApiValueError),
    ({"retries": 1.5}, ApiTypeError),
    ({"verify_ssl": "no"}, ApiTypeError),
    ({"host": 8080}, ApiTypeError),
    ({"server_index": -1}, ApiValueError),
    ({"api_key": {"api_key": 12345}}, ApiTypeError),
    ({"access_token": 12345}, ApiTypeError),
    ({"safe_chars_for_path_param": None}, ApiTypeError),
    ({"socket_options": "nodelay"}, ApiTypeError),
]


@pytest.mark.parametrize(("settings", "klass"), BAD_SETTINGS, ids=[repr(s) for s, _ in BAD_SETTINGS])
def test_a_setting_that_cannot_work_is_refused_when_set(
    http_server: ScriptedServer, make_client: MakeClient, settings: Dict[str, Any], klass: Type[OpenApiException]
) -> None:
    refused(http_server, klass, lambda: make_client(**settings))
    configuration = Configuration(host=http_server.url)
    ((name, value),) = settings.items()
    refused(http_server, klass, lambda: setattr(configuration, name, value))


@pytest.mark.parametrize(
    "policy",
    [
        {"backoff_max": math.nan},
        {"backoff_max": math.inf},
        {"backoff_factor": 1e300},
        {"retry_after_max": -1.0},
        {"backoff_jitter": 2.0},
        {"backoff_factor": "1"},
        {"status_forcelist": {503, "429"}},
        {"status_forcelist": {99}},
        {"respect_retry_after": "yes"},
        {"total": 2.0},
    ],
    ids=repr,
)
def test_a_retry_policy_that_cannot_work_is_refused_when_built(
    http_server: ScriptedServer, policy: Dict[str, Any]
) -> None:
    refused(http_server, OpenApiException, lambda: RetryPolicy(**policy))


@pytest.mark.parametrize(
    "options",
    [
        {"_request_timeout": math.inf},
        {"_request_timeout": (5, 1e300)},
        {"_deadline": math.nan},
        {"_deadline": 0},
        {"_retries": -2},
    ],
    ids=repr,
)
def test_per_call_options_that_cannot_work_are_refused(
    http_server: ScriptedServer, make_client: MakeClient, options: Dict[str, Any]
) -> None:
    client = make_client().client
    refused(http_server, ApiValueError, lambda: chat(client, **options))


def test_a_nan_backoff_never_reaches_the_sleep(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(503)
    http_server.reply(200, json={"id": "k"})
    kit = make_client(retries=RetryPolicy(total=1, backoff_max=8.0))

    assert echo(kit.client).status_code == 200  # a valid policy retries as before
    assert len(kit.waits) == 1 and 0 <= kit.waits[0] <= 8.0
    with pytest.raises(ApiValueError):
        kit.configuration.retries = RetryPolicy(total=1, backoff_max=math.nan)
