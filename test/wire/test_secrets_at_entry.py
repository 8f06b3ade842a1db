"""Secrets given as default headers or cookies are masked from the moment they enter, and an exception
holds no secret at all: a server echoing them back puts none in ``str(exc)``, tracebacks, logs or a
pickled copy read in a process that never heard of them.
"""

import logging
import pickle
import subprocess
import sys
import traceback
from typing import Any, Callable, List

import pytest

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiConnectionError, ApiException

from ..conftest import RawConnection, RawServer, ScriptedServer, echo

StartServer = Callable[[Callable[[RawConnection], None]], RawServer]

HEADER_TOKEN = "hdr-token-5f1e9a77c2"
DEFAULT_AUTH = "sk-default-auth-8b3d0e41"
API_KEY = "ak-default-key-13579bdf"
COOKIE_VALUE = "sess-cookie-2468ace0"
SECRETS = (HEADER_TOKEN, DEFAULT_AUTH, API_KEY, COOKIE_VALUE)


def echoing_server(raw_server: StartServer, status: int = 401) -> RawServer:
    """Answers every request with ``status``, echoing each request header in the body and in headers."""

    def handler(conn: RawConnection) -> None:
        request = conn.read_request()
        if request is None:
            return
        lines = "\n".join(f"{name}: {value}" for name, value in request.headers)
        body = ('{"error": "Unauthorized: you sent\\n' + lines.replace('"', "'").replace("\n", "\\n") + '"}').encode()
        echoed = "".join(f"X-Echo-{index}: {value}\r\n" for index, (_, value) in enumerate(request.headers))
        head = f"HTTP/1.1 {status} Nope\r\nContent-Type: application/json\r\n{echoed}Content-Length: {len(body)}\r\n"
        conn.send(head.encode("latin-1") + b"Set-Cookie: echo=" + COOKIE_VALUE.encode() + b"\r\n\r\n" + body)
        conn.close()

    return raw_server(handler)


def client_with_default_secrets(url: str) -> ApiClient:
    client = ApiClient(
        Configuration(host=url, retries=0),
        header_name="X-Session-Token",
        header_value=HEADER_TOKEN,
        cookie=f"session={COOKIE_VALUE}; theme=dark",
    )
    client.set_default_header("Authorization", f"Bearer {DEFAULT_AUTH}")
    client.set_default_header("X-API-Key", API_KEY)
    return client


def attributes(exc: BaseException) -> str:
    """Every value the exception holds, as one text."""
    values: List[Any] = list(exc.args) + list(vars(exc).values())
    headers = getattr(exc, "headers", None)
    if headers:
        values += [f"{name}: {value}" for name, value in headers.items()]
    return "\n".join(str(value) for value in values)


def test_an_echoed_default_header_or_cookie_is_masked_everywhere(
    raw_server: StartServer, sdk_records: List[logging.LogRecord]
) -> None:
    server = echoing_server(raw_server)
    with client_with_default_secrets(server.url) as client:
        with pytest.raises(ApiException) as caught:
            echo(client, authorization="Bearer sk-param-0000")

    exc = caught.value
    assert exc.status == 401 and exc.server_message is not None and exc.server_message.startswith("Unauthorized")
    texts = [str(exc), repr(exc), attributes(exc), "".join(traceback.format_exception(exc))]
    texts += [record.getMessage() for record in sdk_records]
    for secret in SECRETS:
        for text in texts:
            assert secret not in text, secret
    sent = server.requests[0]
    assert sent.header("X-Session-Token") == HEADER_TOKEN  # masked in text, sent as given
    assert sent.header("Cookie") == f"session={COOKIE_VALUE}; theme=dark"


def test_a_pickled_exception_reveals_no_secret_in_a_process_that_never_knew_them(raw_server: StartServer) -> None:
    server = echoing_server(raw_server, status=503)
    with client_with_default_secrets(server.url) as client:
        with pytest.raises(ApiException) as caught:
            echo(client)

    data = pickle.dumps(caught.value)
    for secret in SECRETS:
        assert secret.encode() not in data
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pickle, sys; e = pickle.loads(sys.stdin.buffer.read()); print(type(e).__name__, e)",
        ],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    assert printed.startswith("ServiceException (503)")
    for secret in SECRETS:
        assert secret not in printed


def test_a_connection_error_message_holds_no_secret(raw_server: StartServer) -> None:
    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(f"HTTP/1.1 200 OK\r\nX-Bad {DEFAULT_AUTH}\r\n".encode())  # cut headers echoing a secret
            conn.close()

    server = raw_server(handler)
    with client_with_default_secrets(server.url) as client:
        with pytest.raises(ApiConnectionError) as caught:
            echo(client)

    assert DEFAULT_AUTH.encode() not in pickle.dumps(caught.value)
    assert DEFAULT_AUTH not in attributes(caught.value)


def test_a_cookie_set_after_the_client_is_built_is_masked_too(http_server: ScriptedServer) -> None:
    late = "late-cookie-value-97531"
    http_server.reply(400, body=f"bad cookie {late}".encode(), headers={"Content-Type": "text/plain"})
    with ApiClient(Configuration(host=http_server.url, retries=0)) as client:
        client.cookie = f"sid={late}"
        with pytest.raises(ApiException) as caught:
            tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-1", {"messages": []})

    assert caught.value.body == "bad cookie ***"
    assert http_server.requests[0].header("Cookie") == f"sid={late}"


def test_an_unpickled_configuration_registers_its_secrets_in_the_new_process(http_server: ScriptedServer) -> None:
    configuration = Configuration(host=http_server.url, access_token="tok-in-pickle-8642", api_key={"api_key": "ak-1"})
    script = (
        "import pickle, sys; c = pickle.loads(sys.stdin.buffer.read()); "
        "from tachyon_sdk.exceptions import ApiException; "
        "print(ApiException(500, 'x', body='echo tok-in-pickle-8642'), repr(c))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], input=pickle.dumps(configuration), capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "tok-in-pickle-8642" not in out and "echo ***" in out
