"""The retry loop over real sockets; waits are recorded by the injected sleep, never slept."""

import email.utils
import inspect
import logging
import pathlib
import re
import sys
import threading
import time
from typing import Any, Callable, Dict, List

import pytest

import tachyon_sdk
import tachyon_sdk.exceptions
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiConnectionError,
    ApiTimeoutError,
    BadRequestException,
    ServiceException,
    StreamError,
    TooManyRequestsException,
)
from tachyon_sdk.retry import RetryPolicy

from ..conftest import STATUS, ClientKit, EchoResponse, RawConnection, RawServer, ScriptedServer, echo
from ._tachyon import CHAT_REQUEST, DEPLOYMENT_COMPLETION_REQUEST, SSE_HEADERS, chat_chunk, completion_chunk, event, sse

MakeClient = Callable[..., ClientKit]


def test_429_with_retry_after_then_200(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(429, json={"error": {"message": "slow down"}}, headers={"Retry-After": "3"})
    http_server.reply(200, json={"id": "ok"})
    kit = make_client()

    response = echo(kit.client)

    assert response.data == EchoResponse(id="ok")
    assert len(http_server.requests) == 2
    assert kit.waits == [3.0]
    assert http_server.requests[0].body == http_server.requests[1].body


def test_retry_after_http_date_is_honoured(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(503, headers={"Retry-After": email.utils.formatdate(time.time() + 30, usegmt=True)})
    http_server.reply(200, json={"id": "ok"})
    kit = make_client()

    echo(kit.client)

    [wait] = kit.waits
    assert 25.0 < wait <= 30.0


def test_retry_after_is_capped(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(429, headers={"Retry-After": "86400"})
    http_server.reply(200, json={"id": "ok"})
    kit = make_client(retries=RetryPolicy(total=1, retry_after_max=12.0))

    echo(kit.client)

    assert kit.waits == [12.0]


def test_invalid_retry_after_falls_back_to_backoff(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(503, headers={"Retry-After": "later please"})
    http_server.reply(200, json={"id": "ok"})
    kit = make_client()

    echo(kit.client)

    [wait] = kit.waits
    assert 0.375 <= wait <= 0.5


def test_503_three_times_raises_after_three_requests(http_server: ScriptedServer, make_client: MakeClient) -> None:
    for _ in range(3):
        http_server.reply(503, json={"error": {"message": "busy"}})
    kit = make_client()

    with pytest.raises(ServiceException) as caught:
        echo(kit.client)

    assert caught.value.status == 503
    assert caught.value.data is not None and caught.value.data.error.message == "busy"
    assert len(http_server.requests) == 3
    first, second = kit.waits
    assert 0.375 <= first <= 0.5  # backoff 0.5 s less up to 25 % jitter
    assert 0.75 <= second <= 1.0  # then 1 s


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_each_retryable_status_is_retried(http_server: ScriptedServer, make_client: MakeClient, status: int) -> None:
    http_server.reply(status)
    http_server.reply(200, json={"id": "ok"})

    assert echo(make_client().client).data == EchoResponse(id="ok")
    assert len(http_server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_other_statuses_are_never_retried(http_server: ScriptedServer, make_client: MakeClient, status: int) -> None:
    http_server.reply(status, json={"detail": "no"})
    kit = make_client()

    with pytest.raises(Exception):  # noqa: B017  (the class per status is tested in test_api_client)
        echo(kit.client)

    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_400_is_not_retried(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(400, json={"detail": "bad"})
    http_server.reply(200, json={"id": "never"})

    with pytest.raises(BadRequestException):
        echo(make_client().client)

    assert len(http_server.requests) == 1


def test_connection_refused_is_retried_then_raised(unused_port: int, sdk_records: List[logging.LogRecord]) -> None:
    waits: List[float] = []
    with ApiClient(Configuration(host=f"http://127.0.0.1:{unused_port}"), sleep=waits.append) as client:
        with pytest.raises(ApiConnectionError) as caught:
            echo(client)

    assert not isinstance(caught.value, ApiTimeoutError)
    assert caught.value.phase == "connect"
    assert len(waits) == 2
    retries = [record.getMessage() for record in sdk_records if record.getMessage().startswith("retrying")]
    assert len(retries) == 2
    assert "NewConnectionError" not in str(caught.value)  # the message is ours, the original is the cause
    assert caught.value.__cause__ is not None


def test_reset_before_the_answer_is_retried(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(action="reset")
    http_server.reply(200, json={"id": "ok"})
    kit = make_client()

    assert echo(kit.client).data == EchoResponse(id="ok")
    assert len(http_server.requests) == 2
    assert len(kit.waits) == 1


def test_connection_closed_before_the_answer_is_retried(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(action="close")
    http_server.reply(200, json={"id": "ok"})

    assert echo(make_client().client).data == EchoResponse(id="ok")
    assert len(http_server.requests) == 2


def test_half_written_headers_are_an_answer_and_are_not_retried(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(action="half_headers")
    http_server.reply(200, json={"id": "never"})
    kit = make_client()

    with pytest.raises(ApiConnectionError) as caught:
        echo(kit.client)

    assert type(caught.value) is ApiConnectionError
    assert caught.value.response_started  # the server began to answer: it may have acted on the request
    assert "malformed response" in str(caught.value)
    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_failures_without_answer_exhaust_the_retries(http_server: ScriptedServer, make_client: MakeClient) -> None:
    for _ in range(3):
        http_server.reply(action="reset")
    kit = make_client()

    with pytest.raises(ApiConnectionError) as caught:
        echo(kit.client)

    assert caught.value.phase == "read" and not caught.value.response_started
    assert len(http_server.requests) == 3
    assert len(kit.waits) == 2


def test_read_timeout_on_post_is_never_retried(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(action="stall")
    http_server.reply(200, json={"id": "never"})
    kit = make_client()

    with pytest.raises(ApiTimeoutError) as caught:
        echo(kit.client, timeout=(2.0, 0.2))

    assert caught.value.phase == "read"
    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_connect_timeout_is_retried(tarpit_url: str) -> None:
    waits: List[float] = []
    with ApiClient(Configuration(host=tarpit_url, timeout=(0.1, 1.0)), sleep=waits.append) as client:
        with pytest.raises(ApiTimeoutError) as caught:
            echo(client)

    assert caught.value.phase == "connect"
    assert len(waits) == 2


def test_an_error_after_the_status_line_is_not_retried(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(200, body=b'{"id": "cut', headers={"Content-Type": "application/json"}, action="truncate")
    http_server.reply(200, json={"id": "never"})
    kit = make_client()

    with pytest.raises(ApiConnectionError) as caught:
        echo(kit.client)

    assert caught.value.response_started
    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_a_stream_request_is_retried_before_its_first_byte(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(503)
    http_server.reply(action="reset")
    http_server.reply(200, json={"id": "ok"})

    response = echo(make_client().client, stream=True)

    assert response.data == EchoResponse(id="ok")
    assert len(http_server.requests) == 3


@pytest.mark.parametrize("retries", [0, None])
def test_retries_off_for_one_call(http_server: ScriptedServer, make_client: MakeClient, retries: object) -> None:
    http_server.reply(429, headers={"Retry-After": "1"})
    http_server.reply(200, json={"id": "never"})
    kit = make_client()

    with pytest.raises(TooManyRequestsException):
        echo(kit.client, retries=retries)

    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_per_call_retries_override_the_configuration(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(503)
    kit = make_client(retries=5)

    with pytest.raises(ServiceException):
        echo(kit.client, retries=1)
    assert len(http_server.requests) == 2

    with pytest.raises(ServiceException):
        echo(kit.client, retries=RetryPolicy(total=3, backoff_factor=0.0))
    assert len(http_server.requests) == 2 + 4
    assert kit.waits[1:] == [0.0, 0.0, 0.0]


def test_configuration_without_retries(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(503)

    with pytest.raises(ServiceException):
        echo(make_client(retries=None).client)

    assert len(http_server.requests) == 1


def test_custom_status_list(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(409, json={"detail": "retry me"})
    http_server.reply(200, json={"id": "ok"})
    kit = make_client(retries=RetryPolicy(total=1, status_forcelist={409}))

    assert echo(kit.client).data == EchoResponse(id="ok")
    assert len(http_server.requests) == 2


def test_get_is_retried_like_post(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(502)
    http_server.reply(200, json={"id": "ok"})
    client = make_client().client

    response = client.execute(client.param_serialize(STATUS, ("tn_1",), None))

    assert response.data == EchoResponse(id="ok")
    assert [request.method for request in http_server.requests] == ["GET", "GET"]


def test_each_retry_is_logged_without_secrets(
    http_server: ScriptedServer, make_client: MakeClient, sdk_records: List[logging.LogRecord]
) -> None:
    http_server.reply(503, headers={"Retry-After": "2"})
    http_server.reply(200, json={"id": "ok"})

    echo(make_client().client, authorization="Bearer sk-retry-log-secret", limit=3)

    [message] = [record.getMessage() for record in sdk_records if record.levelno == logging.INFO]
    assert message == (
        f"retrying POST {http_server.url}/v1/rooms/room-1/echo after status 503 (retry 1, 1 left), waiting 2.000 s"
    )
    assert all("sk-retry-log-secret" not in record.getMessage() for record in sdk_records)


def test_configuration_with_zero_retries(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(503)
    kit = make_client(retries=0)

    with pytest.raises(ServiceException):
        echo(kit.client)

    assert len(http_server.requests) == 1
    assert kit.waits == []


def test_the_retry_loop_is_a_loop_not_recursion(http_server: ScriptedServer, make_client: MakeClient) -> None:
    """More retries than the stack could hold frames for: a recursive retry would raise RecursionError."""
    retries = 300
    http_server.default_reply(503)
    kit = make_client(retries=RetryPolicy(total=retries, backoff_factor=0.0))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 150)  # room for one call, not for one frame per retry
    try:
        with pytest.raises(ServiceException):
            echo(kit.client)
    finally:
        sys.setrecursionlimit(limit)

    assert len(http_server.requests) == retries + 1
    assert len(kit.waits) == retries


def test_a_connection_error_retry_is_logged_with_its_phase(
    unused_port: int, sdk_records: List[logging.LogRecord]
) -> None:
    waits: List[float] = []
    with ApiClient(Configuration(host=f"http://127.0.0.1:{unused_port}", retries=1), sleep=waits.append) as client:
        with pytest.raises(ApiConnectionError):
            echo(client)

    [message] = [record.getMessage() for record in sdk_records if record.getMessage().startswith("retrying")]
    assert message.startswith(
        f"retrying POST http://127.0.0.1:{unused_port}/v1/rooms/room-1/echo after ApiConnectionError (connect) (retry 1, 0 left), waiting "
    )
    assert [f"{waits[0]:.3f}"] == [message.rsplit(" ", 2)[1]]


# --- streams through the generated API ---------------------------------------------------------------


def test_generated_stream_is_retried_after_503_then_streams(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(503, json={"error": {"message": "warming up"}})
    http_server.reply(200, body=sse([chat_chunk("Hel"), chat_chunk("lo")]), headers=SSE_HEADERS)
    kit = make_client()

    with tachyon_sdk.ChatApi(kit.client).chat_completion_stream("tn_1", "Bearer sk-stream", CHAT_REQUEST) as stream:
        texts = [chunk.choices[0].delta.content for chunk in stream]

    assert texts == ["Hel", "lo"]
    assert len(http_server.requests) == 2
    assert [request.json()["stream"] for request in http_server.requests] == [True, True]
    assert len(kit.waits) == 1


def test_generated_stream_is_retried_after_a_reset_before_its_status_line(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(action="reset")
    http_server.reply(200, body=sse([completion_chunk("once")]), headers=SSE_HEADERS)
    kit = make_client(api_key={"api_key": "ak-retry"})
    api = tachyon_sdk.DeploymentsApi(kit.client)

    stream = api.get_completions_from_deployment_stream("p1", "d1", DEPLOYMENT_COMPLETION_REQUEST)

    assert [chunk.response for chunk in stream] == ["once"]
    assert len(http_server.requests) == 2
    assert [request.header("X-API-Key") for request in http_server.requests] == ["ak-retry", "ak-retry"]


@pytest.mark.parametrize("cut", ["reset", "close"])
def test_generated_stream_cut_after_its_first_chunk_raises_and_is_not_retried(
    raw_server: Callable[[Callable[[RawConnection], None]], RawServer], cut: str
) -> None:
    requests: List[str] = []
    first_chunk_read = threading.Event()

    def handler(conn: RawConnection) -> None:
        request = conn.read_request()
        if request is None:
            return
        requests.append(request.path)
        piece = event(chat_chunk("Hel"))
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        first_chunk_read.wait(10)
        conn.reset() if cut == "reset" else conn.close()

    server = raw_server(handler)
    waits: List[float] = []
    with ApiClient(Configuration(host=server.url), sleep=waits.append) as client:
        stream = tachyon_sdk.ChatApi(client).chat_completion_stream("tn_1", "Bearer sk-stream", CHAT_REQUEST)
        first = next(stream)
        first_chunk_read.set()
        with pytest.raises(StreamError) as caught:
            next(stream)

    assert first.choices[0].delta.content == "Hel"
    assert caught.value.chunks_received == 1
    assert requests == ["/v1/llms/chat/completions"]
    assert server.connection_count == 1
    assert waits == []


def test_generated_stream_stalling_between_chunks_times_out_and_is_not_retried(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(200, body=sse([chat_chunk("Hel")], done=False) + [event(chat_chunk("lo"))], headers=SSE_HEADERS,
                      chunk_delay=5.0)  # fmt: skip
    kit = make_client()

    stream = tachyon_sdk.ChatApi(kit.client).chat_completion_stream(
        "tn_1", "Bearer sk-stream", CHAT_REQUEST, _request_timeout=(2.0, 0.2)
    )
    assert next(stream).choices[0].delta.content == "Hel"
    with pytest.raises(ApiTimeoutError) as caught:
        next(stream)

    assert caught.value.phase == "read"
    assert len(http_server.requests) == 1
    assert kit.waits == []


# --- the README's "Failures and retries" section ------------------------------------------------------


def readme_section() -> str:
    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Failures and retries\n", 1)[1].split("\n## ", 1)[0]


def test_readme_failures_example_runs(http_server: ScriptedServer) -> None:
    from ._tachyon import CHAT_JSON

    [block] = re.findall(r"```python\n(.*?)```", readme_section(), re.S)
    http_server.reply(503, json={"error": {"message": "busy"}})
    http_server.reply(200, json=CHAT_JSON)
    namespace: Dict[str, Any] = {}

    with pytest.raises(ServiceException):  # the example's call asks for no retries
        exec(compile(block.replace("https://tachyon.example", http_server.url), "README.md", "exec"), namespace)

    configuration = namespace["configuration"]
    assert configuration.timeout == (3.0, 120.0)
    assert configuration.pool_timeout == 10.0
    assert configuration.retry_policy.total == 5
    assert len(http_server.requests) == 1


def test_readme_names_every_exception_and_default() -> None:
    section = readme_section()

    for name in tachyon_sdk.exceptions.__all__:
        if name[0].isupper() and name not in ("STATUS_EXCEPTIONS", "ApiAttributeError", "ApiKeyError"):
            assert name in section, name
    for text in ("5 s", "600 s", "60 s", "64 MiB", "408, 429, 500, 502, 503, 504", "0.5 s doubling", "8 s"):
        assert text in section, text
