"""Secrets reach the wire and nothing else: not logs (any logger, any level), files, stderr, repr or messages."""

import base64
import logging
import pathlib
from typing import List, Optional

import pytest

from tachyon_sdk._operation import AuthSpec, Operation, Param
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiException, ApiValueError, OpenApiException, UnauthorizedException

from ..conftest import ERROR_RESPONSES, EchoResponse, ScriptedServer, echo

TOKEN = "sk-bearer-token-5f1e2d3c"
API_KEY = "ak/key+with=chars-778899"
PASSWORD = "basic-password-31337"
PROXY_PASSWORD = "proxy-password-2468"
PARAM_TOKEN = "sk-header-param-13579"
COOKIE = "session-cookie-value-8642"

SECURED = Operation(
    operation_id="secured",
    method="POST",
    path="/v1/secured",
    params=(Param(name="x-operator-id", location="header", python_name="x_operator_id", required=True, type=str),),
    body=None,
    responses={"200": EchoResponse, **ERROR_RESPONSES},
    auth=(
        AuthSpec(name="bearerAuth", kind="http", scheme="bearer", location="header", key="Authorization"),
        AuthSpec(name="keyHeader", kind="apiKey", scheme=None, location="header", key="X-Api-Key"),
        AuthSpec(name="keyQuery", kind="apiKey", scheme=None, location="query", key="api_key"),
    ),
)
BASIC = Operation(
    operation_id="basic",
    method="GET",
    path="/v1/basic",
    params=(),
    body=None,
    responses={"200": EchoResponse},
    auth=(AuthSpec(name="basicAuth", kind="http", scheme="basic", location="header", key="Authorization"),),
)


def forbidden_texts() -> List[str]:
    encoded_proxy = base64.b64encode(f"proxyuser:{PROXY_PASSWORD}".encode()).decode()
    encoded_basic = base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    return [
        TOKEN,
        API_KEY,
        "ak%2Fkey%2Bwith%3Dchars",
        PASSWORD,
        PROXY_PASSWORD,
        PARAM_TOKEN,
        COOKIE,
        encoded_proxy,
        encoded_basic,
    ]


def test_no_secret_in_logs_files_repr_or_messages(
    http_server: ScriptedServer,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    tmp_path: pathlib.Path,
    unused_port: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    log_file = tmp_path / "sdk.log"
    configuration = Configuration(
        host=http_server.url,
        access_token=TOKEN,
        api_key={"keyHeader": API_KEY, "keyQuery": API_KEY},
        username="ann",
        password=PASSWORD,
        proxy=f"http://proxyuser:{PROXY_PASSWORD}@127.0.0.1:{http_server.port}",  # the scripted server as proxy
        debug=True,
        logger_file=str(log_file),
    )
    texts: List[str] = [repr(configuration)]
    waits: List[float] = []
    http_server.reply(200, json={"id": "a"})
    http_server.reply(503, headers={"Set-Cookie": f"s={COOKIE}"})
    http_server.reply(200, json={"id": "b"}, headers={"Set-Cookie": f"s={COOKIE}"})
    http_server.reply(200, json={"id": "c"})
    http_server.reply(200, json={"id": "d"})
    http_server.reply(
        401, json={"error": {"message": f"token Bearer {TOKEN} refused"}}, headers={"Set-Cookie": f"s={COOKIE}"}
    )

    with ApiClient(configuration, sleep=waits.append) as client:
        prepared = client.param_serialize(SECURED, ("tn_1",), None)
        texts.append(repr(prepared))
        texts.append(repr(client.execute(prepared)))
        texts.append(repr(client.execute(prepared)))  # 503 (with a cookie) then 200
        texts.append(repr(echo(client, authorization=f"Bearer {PARAM_TOKEN}")))
        texts.append(repr(client.execute(client.param_serialize(BASIC, (), None))))
        errors: List[OpenApiException] = []
        with pytest.raises(UnauthorizedException) as unauthorized:
            client.execute(prepared)
        errors.append(unauthorized.value)
        with pytest.raises(ApiValueError) as injected:
            echo(client, authorization=f"Bearer {PARAM_TOKEN}\r\nX-Evil: 1")
        errors.append(injected.value)

    configuration.proxy = None
    with ApiClient(configuration, sleep=waits.append) as client:
        configuration.host = f"http://127.0.0.1:{unused_port}"
        with pytest.raises(OpenApiException) as refused:
            client.execute(client.param_serialize(SECURED, ("tn_1",), None))
        errors.append(refused.value)
    configuration.logger_file = None
    configuration.debug = False

    # the secrets were really sent
    first = http_server.requests[0]
    assert first.path.startswith(f"{http_server.url}/v1/secured?api_key=")  # absolute URI: went through the proxy
    assert first.header("Authorization") == f"Bearer {TOKEN}"
    assert first.header("X-Api-Key") == API_KEY
    assert (
        first.header("Proxy-Authorization")
        == "Basic " + base64.b64encode(f"proxyuser:{PROXY_PASSWORD}".encode()).decode()
    )
    assert http_server.requests[3].header("Authorization") == f"Bearer {PARAM_TOKEN}"
    assert (
        http_server.requests[4].header("Authorization")
        == "Basic " + base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    )

    for error in errors:
        texts += [str(error), repr(error), repr(error.__cause__)]  # (error.data is the server's data, as sent)
    captured = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    everything = "\n".join([*texts, caplog.text, logged, log_file.read_text(), captured.err, captured.out])

    # and they were logged: debug output of the SDK and urllib3 went through every sink
    assert "request POST" in caplog.text and "request POST" in log_file.read_text() and "request POST" in captured.err
    assert "retrying POST" in logged
    assert any(record.name.startswith("urllib3") for record in caplog.records)
    assert "'Authorization': 'Bearer ***'" in logged
    assert "send: b'" not in captured.out  # http.client's debug printing stays off
    for secret in forbidden_texts():
        assert secret not in everything, secret


def test_exception_for_an_error_body_echoing_a_secret_header(http_server: ScriptedServer) -> None:
    http_server.reply(
        400, body=f"bad header Authorization: Bearer {PARAM_TOKEN}".encode(), headers={"Content-Type": "text/plain"}
    )

    with ApiClient(Configuration(host=http_server.url)) as client:
        with pytest.raises(ApiException) as caught:
            echo(client, authorization=f"Bearer {PARAM_TOKEN}")

    # the body is kept for the caller, masked when the exception is built (so a pickled copy is safe too)
    assert caught.value.body == "bad header Authorization: Bearer ***"
    assert PARAM_TOKEN not in str(caught.value)


# --- through the generated API methods of both tags, every channel captured -----------------------------

GEN_TOKEN = "sk-generated-access-token-1a2b3c"
GEN_PARAM_TOKEN = "sk-chat-authorization-4d5e6f"
GEN_API_KEY = "ak-query-key-7g8h9i"
GEN_HEADER_KEY = "hk-extra-header-key-0j1k"
GEN_PROXY_PASSWORD = "proxy-pw-generated-2l3m"
GEN_DEPLOYMENT_KEY = "emissary-key-5n6o7p"


def test_generated_methods_of_both_tags_leak_no_secret_on_any_channel(
    http_server: ScriptedServer,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    tmp_path: pathlib.Path,
    unused_port: int,
) -> None:
    import tachyon_sdk

    from ._tachyon import (
        CHAT_JSON,
        CHAT_REQUEST,
        DEPLOYMENT_COMPLETION_JSON,
        DEPLOYMENT_COMPLETION_REQUEST,
        SSE_HEADERS,
        chat_chunk,
        completion_chunk,
        sse,
    )

    for name in (None, "urllib3", "tachyon_sdk"):  # root, urllib3 and the SDK at DEBUG, all into caplog
        caplog.set_level(logging.DEBUG, logger=name)
    log_file = tmp_path / "generated.log"
    configuration = Configuration(
        host=http_server.url,
        access_token=GEN_TOKEN,  # no operation uses it any more: never sent, never shown
        api_key={"api_key": GEN_DEPLOYMENT_KEY},  # the Deployments' X-API-Key
        proxy=f"http://proxyuser:{GEN_PROXY_PASSWORD}@127.0.0.1:{http_server.port}",
        debug=True,
        logger_file=str(log_file),
    )
    proxy_basic = base64.b64encode(f"proxyuser:{GEN_PROXY_PASSWORD}".encode()).decode()
    secrets = [GEN_TOKEN, GEN_PARAM_TOKEN, GEN_API_KEY, GEN_HEADER_KEY, GEN_PROXY_PASSWORD, GEN_DEPLOYMENT_KEY]
    secrets.append(proxy_basic)
    echoing = {"status": 401, "error": f"invalid API key {GEN_DEPLOYMENT_KEY} (Bearer {GEN_PARAM_TOKEN})"}
    http_server.reply(503, headers={"Retry-After": "1"})
    http_server.reply(200, json=CHAT_JSON)
    http_server.reply(200, body=sse([chat_chunk("Hi")]), headers=SSE_HEADERS)
    http_server.reply(200, json=DEPLOYMENT_COMPLETION_JSON)
    http_server.reply(200, body=sse([completion_chunk("once")]), headers=SSE_HEADERS)
    http_server.reply(401, json=echoing)
    texts: List[str] = [repr(configuration)]
    errors: List[BaseException] = []

    with ApiClient(configuration, sleep=lambda _: None) as client:
        texts.append(repr(client))
        chat = tachyon_sdk.ChatApi(client)
        deployments = tachyon_sdk.DeploymentsApi(client)
        extra = {"X-Api-Key": GEN_HEADER_KEY}
        texts.append(
            repr(
                chat._chat_completion_request(
                    "tn_1", f"Bearer {GEN_PARAM_TOKEN}", CHAT_REQUEST, None, None, extra, None
                )
            )
        )
        texts.append(
            repr(chat.chat_completion_with_http_info("tn_1", f"Bearer {GEN_PARAM_TOKEN}", CHAT_REQUEST, _headers=extra))
        )
        with chat.chat_completion_stream("tn_1", f"Bearer {GEN_PARAM_TOKEN}", CHAT_REQUEST) as stream:
            texts.append(repr(stream))
            texts += [repr(chunk) for chunk in stream]
        query_auth = {"in": "query", "key": "api_key", "value": GEN_API_KEY, "type": "api_key"}
        texts.append(
            repr(deployments.get_completions_from_deployment_with_http_info("p1", "d1", DEPLOYMENT_COMPLETION_REQUEST))
        )
        texts += [repr(chunk) for chunk in deployments.get_completions_from_deployment_stream(
            "p1", "d1", DEPLOYMENT_COMPLETION_REQUEST, _request_auth=query_auth)]  # fmt: skip
        with pytest.raises(UnauthorizedException) as unauthorized:
            deployments.get_completions_from_deployment("p1", "d1", DEPLOYMENT_COMPLETION_REQUEST, _retries=0)
        errors.append(unauthorized.value)
        assert unauthorized.value.server_message is not None  # the server's text is kept, the secrets masked
        assert unauthorized.value.server_message.startswith("invalid API key")
        with pytest.raises(ApiValueError) as injected:
            chat.chat_completion("tn_1", f"Bearer {GEN_PARAM_TOKEN}\r\nX-Evil: 1", CHAT_REQUEST)
        errors.append(injected.value)
        with pytest.raises(ApiValueError) as injected_header:
            chat.chat_completion("tn_1", "Bearer x", CHAT_REQUEST, _headers={"X-Api-Key": f"{GEN_HEADER_KEY}\n"})
        errors.append(injected_header.value)

    configuration.proxy = None
    configuration.host = f"http://127.0.0.1:{unused_port}"
    with ApiClient(configuration, sleep=lambda _: None) as client:
        with pytest.raises(OpenApiException) as refused:
            tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment(
                "p1", "d1", DEPLOYMENT_COMPLETION_REQUEST, _request_auth=query_auth
            )
        errors.append(refused.value)
    configuration.logger_file = None
    configuration.debug = False

    # the secrets went where they belong: on the wire
    assert http_server.requests[0].path.startswith(f"{http_server.url}/v1/llms/chat/completions")  # via the proxy
    assert http_server.requests[0].header("Authorization") == f"Bearer {GEN_PARAM_TOKEN}"
    assert http_server.requests[0].header("X-Api-Key") == GEN_HEADER_KEY
    assert http_server.requests[0].header("Proxy-Authorization") == f"Basic {proxy_basic}"
    assert http_server.requests[3].header("X-API-Key") == GEN_DEPLOYMENT_KEY
    assert http_server.requests[4].path.endswith(f"/completions?api_key={GEN_API_KEY}")
    assert http_server.requests[4].header("X-API-Key") is None  # _request_auth replaces the configured key
    assert [request.header("Authorization") for request in http_server.requests[3:]] == [None, None, None]
    assert len(http_server.requests) == 6

    for error in errors:
        current: Optional[BaseException] = error
        while current is not None:  # the exception, its message, and every cause
            texts += [str(current), repr(current)]
            current = current.__cause__ or current.__context__
    captured = capfd.readouterr()
    records = "\n".join(f"{record.name} {record.getMessage()}" for record in caplog.records)
    everything = "\n".join([*texts, records, caplog.text, log_file.read_text(), captured.out, captured.err])

    # everything was logged, on every channel
    assert {"tachyon_sdk", "urllib3.connectionpool"} <= {record.name for record in caplog.records}
    for sink in (records, log_file.read_text(), captured.err):
        assert "request POST" in sink and "retrying POST" in sink
    assert "'Authorization': 'Bearer ***'" in records
    assert "send: b'" not in captured.out + captured.err  # http.client's raw header printing stays off
    for secret in secrets:
        assert secret not in everything, secret


def test_api_client_repr_shows_the_host_without_credentials() -> None:
    with ApiClient(Configuration(host=f"http://ann:{PASSWORD}@127.0.0.1:1", access_token=TOKEN)) as client:
        text = repr(client)

    assert text.startswith("<ApiClient host='http://ann:***@127.0.0.1:1'")
    assert PASSWORD not in text and TOKEN not in text
