"""Streaming end to end through the generated API classes, over real sockets on 127.0.0.1.

Where test_stream_socket.py drives ``Stream`` on a bare urllib3 response, these tests call
``ChatApi``/``DeploymentsApi`` as a user does: the stream flag and the chunk model come from
``openapi.yaml`` through the generator, the pool is the SDK's own (``Configuration``), failures
surface as the SDK's exceptions. Pauses are threading.Event handshakes, never timings.
"""

import gc
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

import pytest
import yaml

import tachyon_sdk
from tachyon_sdk.api.chat_api import ChatApi
from tachyon_sdk.api.deployments_api import DeploymentsApi
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ApiException,
    BadRequestException,
    NotFoundException,
    PaymentRequiredException,
    ServiceException,
    StreamError,
    UnprocessableEntityException,
)
from tachyon_sdk.models.api_error_not_found import APIErrorNotFound
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.error_response import ErrorResponse
from tachyon_sdk.models.get_completions_from_deployment_response_body import GetCompletionsFromDeploymentResponseBody
from tachyon_sdk.streaming import Stream

from ..conftest import MAX_WAIT, ClientKit, RawConnection, RawServer, ScriptedServer

MakeClient = Callable[..., ClientKit]
StartRaw = Callable[[Callable[[RawConnection], None]], RawServer]

ROOT = Path(__file__).resolve().parents[2]
AUTH = "Bearer sk-stream-test-0001"
OPERATOR = "tn_stream"
API_KEY = "dep-api-key-0001"
SSE = {"Content-Type": "text/event-stream"}
DONE = b"data: [DONE]\n\n"
HEAD_CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
HEAD_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
LONG_STREAM_EVENTS = 50_000  # the "long" stream: far more than a client leaving early reads, yet bounded


# --- chunks of the four streamed operations --------------------------------------------------------


def chat_chunk(text: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    """A ``ChatCompletionChunkResponse`` as the real server sends it (explicit nulls): one choice adding
    ``text``; ``fields`` override or add keys."""
    chunk: Dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "tachyon-test",
        "choices": [
            {
                "index": 0,
                "delta": {"role": None, "content": text, "tool_calls": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ],
    }
    chunk.update(fields)
    return chunk


def chatroom_chunk(text: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    """A ``ChatCompletionWithChatroomStreamResponse`` as the real server sends it: no ``created``, no
    ``chatroom_id``, no ``finish_reason`` before the last chunk."""
    chunk: Dict[str, Any] = {
        "id": "chatcmpl-room-1",
        "object": "chat.completion.chunk",
        "model": "tachyon-test",
        "choices": [{"index": 0, "delta": {"content": text}}],
    }
    chunk.update(fields)
    return chunk


def deployment_chat_chunk(text: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    """A ``GetChatCompletionsFromDeploymentChunk``: ``response`` is the text it adds."""
    chunk: Dict[str, Any] = {"id": "dep-1", "response": text}
    chunk.update(fields)
    return chunk


def deployment_text_chunk(text: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    """A ``GetCompletionsFromDeploymentChunk``."""
    chunk: Dict[str, Any] = {"id": "dep-2", "response": text}
    chunk.update(fields)
    return chunk


def sse(*chunks: Any) -> bytes:
    """One ``data:`` event per chunk (JSON)."""
    return b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for chunk in chunks)


def text_of(chunk: Any) -> Optional[str]:
    """The text a chunk of any of the four operations adds."""
    if hasattr(chunk, "choices"):
        return chunk.choices[0].delta.content  # type: ignore[no-any-return]
    return chunk.response  # type: ignore[no-any-return]


def http_chunk(data: bytes) -> bytes:
    """``data`` framed as one HTTP/1.1 chunk."""
    return b"%x\r\n%s\r\n" % (len(data), data)


@dataclass(frozen=True)
class Case:
    """One streamable operation: how to call it and what its chunks look like."""

    operation_id: str  # as in openapi.yaml
    method: str  # the Python method
    api: Type[Any]
    args: Tuple[str, ...]
    body: Dict[str, Any] = field(hash=False)
    chunk: Callable[..., Dict[str, Any]]
    path: str

    def call(self, client: ApiClient, suffix: str = "", body: Optional[Dict[str, Any]] = None, **options: Any) -> Any:
        """Call ``<method><suffix>`` with this case's arguments and ``body`` (default: the case's body)."""
        return getattr(self.api(client), self.method + suffix)(
            *self.args, self.body if body is None else body, **options
        )

    def streamed_body(self) -> Dict[str, Any]:
        """The body with the operation's stream flag (read from openapi.yaml) set."""
        return {**self.body, stream_spec(self.operation_id)[0]: True}


CASES = [
    Case(
        "chat_completion",
        "chat_completion",
        ChatApi,
        (OPERATOR, AUTH),
        {"messages": [{"role": "user", "content": "Hi"}]},
        chat_chunk,
        "/v1/llms/chat/completions",
    ),
    Case(
        "chat_completion_on_chatroom",
        "chat_completion_on_chatroom",
        ChatApi,
        ("room-1", OPERATOR, AUTH),
        {"messages": [{"role": "user", "content": "Hi"}]},
        chatroom_chunk,
        "/v1/llms/chatrooms/room-1/chat/completions",
    ),
    Case(
        "getChatCompletionsFromDeployment",
        "get_chat_completions_from_deployment",
        DeploymentsApi,
        ("proj-1", "dep-1"),
        {"messages": [{"role": "user", "content": "Hi"}]},
        deployment_chat_chunk,
        "/v1/projects/proj-1/deployments/dep-1/chat/completions",
    ),
    Case(
        "getCompletionsFromDeployment",
        "get_completions_from_deployment",
        DeploymentsApi,
        ("proj-1", "dep-1"),
        {"prompt": "Once upon a time"},
        deployment_text_chunk,
        "/v1/projects/proj-1/deployments/dep-1/completions",
    ),
]
CHAT, CHATROOM, DEPLOYMENT_CHAT, DEPLOYMENT_TEXT = CASES
IDS = [case.method for case in CASES]


def _load_spec() -> Dict[str, Tuple[str, str]]:
    """operationId -> (x-stream-flag, name of the text/event-stream schema), read from openapi.yaml."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    found: Dict[str, Tuple[str, str]] = {}
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "x-stream-flag" not in operation:
                continue
            content = operation["responses"]["200"]["content"]
            ref = content["text/event-stream"]["schema"]["$ref"]
            found[operation["operationId"]] = (operation["x-stream-flag"], ref.rsplit("/", 1)[1])
    return found


STREAM_SPECS = _load_spec()


def _sentinels() -> Dict[str, Optional[str]]:
    """operationId -> the ``x-speakeasy-sse-sentinel`` of its text/event-stream media type."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return {
        operation["operationId"]: operation["responses"]["200"]["content"]["text/event-stream"].get(
            "x-speakeasy-sse-sentinel"
        )
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "x-stream-flag" in operation
    }


def stream_spec(operation_id: str) -> Tuple[str, str]:
    return STREAM_SPECS[operation_id]


@pytest.fixture
def client(make_client: MakeClient) -> ApiClient:
    """A client on the scripted server, with a pool of one connection (reuse is visible)."""
    return make_client(api_key={"api_key": API_KEY}, connection_pool_maxsize=1).client


def test_every_streamable_operation_of_the_spec_is_covered() -> None:
    assert set(STREAM_SPECS) == {case.operation_id for case in CASES}
    assert {flag for flag, _ in STREAM_SPECS.values()} == {"stream", "streaming"}
    assert _sentinels() == {case.operation_id: "[DONE]" for case in CASES}  # so a body ending without it is cut


# --- a streamed call returns a typed Stream -------------------------------------------------------


@pytest.mark.parametrize("variant", ["flag_in_body", "stream_method"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_streamed_call_returns_a_stream_of_the_chunk_model_from_the_spec(
    http_server: ScriptedServer, client: ApiClient, case: Case, variant: str
) -> None:
    flag, chunk_name = stream_spec(case.operation_id)
    http_server.reply(200, body=[sse(case.chunk("Hel")), sse(case.chunk("lo")) + DONE], headers=SSE)

    if variant == "flag_in_body":
        result = case.call(client, body=case.streamed_body())
    else:  # the _stream method sets the flag itself, even over an explicit False
        result = case.call(client, "_stream", body={**case.body, flag: False})

    assert isinstance(result, Stream)
    with result as stream:
        assert iter(stream) is stream
        chunks = list(stream)
    chunk_type = getattr(tachyon_sdk, chunk_name)
    assert [type(chunk) for chunk in chunks] == [chunk_type, chunk_type]
    assert stream.chunks_received == 2
    [request] = http_server.requests
    assert request.path == case.path
    assert request.json()[flag] is True
    assert request.header("Accept") == "text/event-stream"
    if case.api is DeploymentsApi:  # the Emissary API key, never a bearer token
        assert (request.header("X-API-Key"), request.header("Authorization")) == (API_KEY, None)
    else:  # the explicit header parameters, and no API key
        assert (request.header("Authorization"), request.header("X-API-Key")) == (AUTH, None)
        assert request.header("x-operator-id") == OPERATOR
    assert http_server.connection_count == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_first_chunk_reaches_the_caller_before_the_server_sends_the_second(
    raw_server: StartRaw, make_client: MakeClient, case: Case
) -> None:
    caller_has_first = threading.Event()
    server_waited: List[bool] = []

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is None:
            return
        conn.send(HEAD_CHUNKED + http_chunk(sse(case.chunk("first"))))
        server_waited.append(caller_has_first.wait(MAX_WAIT))
        conn.send(http_chunk(sse(case.chunk("second")) + DONE) + b"0\r\n\r\n")

    server = raw_server(handler)
    api_client = make_client(host=server.url, api_key={"api_key": API_KEY}).client
    with case.call(api_client, "_stream") as stream:
        first = next(stream)
        assert server_waited == []  # the server is still holding chunk 2
        caller_has_first.set()
        rest = list(stream)
    assert server_waited == [True]
    assert [text_of(chunk) for chunk in (first, *rest)] == ["first", "second"]


# --- connections go back to the pool --------------------------------------------------------------


def test_done_returns_the_connection_to_the_pool(http_server: ScriptedServer, client: ApiClient) -> None:
    for _ in range(3):
        http_server.reply(200, body=[sse(chat_chunk("a")), sse(chat_chunk("b")), DONE], headers=SSE)
    http_server.reply(200, json={"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": []})

    for _ in range(3):
        with CHAT.call(client, "_stream") as stream:
            assert [chunk.choices[0].delta.content for chunk in stream] == ["a", "b"]
            with pytest.raises(StopIteration):
                next(stream)
    assert isinstance(CHAT.call(client), ChatCompletionResponse)

    assert len(http_server.requests) == 4
    assert http_server.connection_count == 1  # one TCP connection served the three streams and the last call


@pytest.mark.parametrize("how", ["with_block", "close", "garbage_collection"])
def test_pool_of_one_serves_twenty_streams_each_left_early(
    raw_server: StartRaw, make_client: MakeClient, how: str
) -> None:
    events_sent: List[int] = []
    handlers_done = threading.Semaphore(0)

    def long_stream(conn: RawConnection) -> None:
        sent = 0
        try:
            if conn.read_request() is None:
                return
            conn.send(HEAD_CHUNKED)
            for n in range(LONG_STREAM_EVENTS):
                conn.send(http_chunk(sse(chat_chunk(f"w{n} "))))
                sent += 1
            conn.send(http_chunk(DONE) + b"0\r\n\r\n")
        finally:
            events_sent.append(sent)
            handlers_done.release()

    server = raw_server(long_stream)
    api = ChatApi(make_client(host=server.url, connection_pool_maxsize=1, retries=0).client)
    errors: List[BaseException] = []

    def twenty_streams() -> None:
        try:
            for i in range(20):
                stream = api.chat_completion_stream(OPERATOR, AUTH, CHAT.body)
                if how == "with_block":
                    with stream:
                        for chunk in stream:
                            if chunk.choices[0].delta.content == f"w{i % 3} ":
                                break
                elif how == "close":
                    assert next(stream).choices[0].delta.content == "w0 "
                    stream.close()
                    stream.close()  # idempotent
                    with pytest.raises(StopIteration):
                        next(stream)
                else:
                    assert next(stream).choices[0].delta.content == "w0 "
                    with pytest.warns(ResourceWarning, match="unclosed Stream"):  # the main thread only joins
                        del stream
                        gc.collect()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)

    worker = threading.Thread(target=twenty_streams, daemon=True)
    worker.start()
    worker.join(MAX_WAIT * 3)  # a stream that kept its connection would leave the next one waiting for the pool
    assert not worker.is_alive(), "a stream left early did not release its connection"
    assert errors == []
    for _ in range(20):
        assert handlers_done.acquire(timeout=MAX_WAIT)
    assert server.connection_count == 20  # each stream left early closed its connection
    assert len(events_sent) == 20 and max(events_sent) < LONG_STREAM_EVENTS  # and nothing drained the rest


# --- failures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "error_event", "exc_type", "status", "text"),
    [
        (
            CHAT,
            b'event: error\ndata: {"error":{"message":"overloaded","type":"server_error","code":503}}\n\n',
            ServiceException,
            503,
            "overloaded",
        ),
        (
            CHAT,
            b'data: {"error":{"message":"overloaded","type":"rate_limit_error"}}\n\n',
            ApiException,
            200,
            "overloaded",
        ),
        (
            CHATROOM,
            b'event: error\ndata: {"error": "InternalError: the model is overloaded"}\n\n',
            ApiException,
            200,
            "InternalError: the model is overloaded",
        ),
        (
            DEPLOYMENT_CHAT,
            b'event: error\ndata: {"code":"BUSY","message":"overloaded"}\n\n',
            ApiException,
            200,
            "BUSY: overloaded",
        ),
        (
            DEPLOYMENT_TEXT,
            b'data: {"status":500,"error":"overloaded"}\n\n',
            ServiceException,
            500,
            "overloaded",
        ),
    ],
    ids=["event_error_with_code", "error_object_as_data", "chatroom", "deployment_chat", "deployment_text_error_data"],
)
def test_error_event_raises_api_exception_after_the_chunks_before_it(
    http_server: ScriptedServer,
    client: ApiClient,
    case: Case,
    error_event: bytes,
    exc_type: Type[ApiException],
    status: int,
    text: str,
) -> None:
    http_server.reply(
        200,
        body=[sse(case.chunk("one"), case.chunk("two")), error_event + sse(case.chunk("never")) + DONE],
        headers={**SSE, "X-Request-Id": "req-err"},
    )
    delivered: List[Any] = []

    with case.call(client, "_stream") as stream:
        with pytest.raises(ApiException) as info:
            for chunk in stream:
                delivered.append(chunk)
        assert list(stream) == []  # nothing after the error

    assert [text_of(chunk) for chunk in delivered] == ["one", "two"]
    exc = info.value
    assert type(exc) is exc_type
    assert exc.status == status
    assert isinstance(exc.data, ErrorResponse)
    assert exc.data.to_dict() == json.loads(error_event.split(b"data: ", 1)[1])
    assert exc.server_message == text
    assert str(exc).splitlines()[0] == f"({status}) error event in stream: {text}"
    assert exc.body is not None and "overloaded" in str(exc.body)
    assert exc.headers is not None and exc.headers["X-Request-Id"] == "req-err"


CUTS = ["clean_end_without_done", "connection_close_framing", "close_mid_event", "tcp_reset"]


@pytest.mark.parametrize("cut", CUTS)
@pytest.mark.parametrize("case", [CHAT, DEPLOYMENT_TEXT], ids=["chat", "deployment_text"])
def test_stream_cut_before_done_raises_stream_error(
    raw_server: StartRaw, make_client: MakeClient, case: Case, cut: str
) -> None:
    caller_has_two = threading.Event()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is None:
            return
        two = sse(case.chunk("one"), case.chunk("two"))
        if cut in ("connection_close_framing", "close_mid_event"):
            conn.send(HEAD_CLOSE + two)
            caller_has_two.wait(MAX_WAIT)
            if cut == "close_mid_event":
                conn.send(b'data: {"id":"dep-1",')
            conn.sock.shutdown(socket.SHUT_WR)
            return
        conn.send(HEAD_CHUNKED + http_chunk(two))
        caller_has_two.wait(MAX_WAIT)
        if cut == "tcp_reset":
            conn.reset()
        else:
            conn.send(b"0\r\n\r\n")  # a well-formed end of the body, just without [DONE]
            conn.wait(MAX_WAIT)

    server = raw_server(handler)
    api_client = make_client(host=server.url, api_key={"api_key": API_KEY}, retries=0).client
    delivered = 0
    with case.call(api_client, "_stream") as stream:
        with pytest.raises(StreamError) as info:
            for _ in stream:
                delivered += 1
                if delivered == 2:
                    caller_has_two.set()
    assert delivered == 2
    assert info.value.chunks_received == 2
    assert "stream ended after 2 chunks without [DONE]" in str(info.value)
    assert not isinstance(info.value, ApiException)


AXUM_422 = (
    b"Failed to deserialize the JSON body into the target type: messages: missing field `messages` at line 1 column 2"
)


@pytest.mark.parametrize(
    ("case", "status", "payload", "exc_type", "model", "text"),
    [
        (CHAT, 422, AXUM_422, UnprocessableEntityException, None, AXUM_422.decode()),
        (
            CHATROOM,
            400,
            {"code": "BAD_REQUEST", "message": "temperature too high"},
            BadRequestException,
            ErrorResponse,
            "BAD_REQUEST: temperature too high",
        ),
        (CHAT, 402, {"error": "PaymentRequired: no credits left"}, PaymentRequiredException, ErrorResponse,
         "PaymentRequired: no credits left"),
        (
            DEPLOYMENT_CHAT,
            404,
            {"status": 404, "error": "deployment not found", "code": "NOT_FOUND"},
            NotFoundException,
            APIErrorNotFound,
            "deployment not found",
        ),
        (DEPLOYMENT_TEXT, 500, {"error": "InternalError: boom"}, ServiceException, ErrorResponse,
         "InternalError: boom"),
    ],
    ids=["422_plain_text", "400", "402", "404", "500"],
)  # fmt: skip
@pytest.mark.parametrize("variant", ["flag_in_body", "stream_method"])
def test_error_status_to_a_streamed_request_raises_as_when_not_streamed(
    http_server: ScriptedServer,
    client: ApiClient,
    case: Case,
    status: int,
    payload: Any,
    exc_type: Type[ApiException],
    model: Optional[Type[Any]],
    text: str,
    variant: str,
) -> None:
    if isinstance(payload, bytes):
        http_server.reply(status, body=payload, headers={"Content-Type": "text/plain; charset=utf-8"})
    else:
        http_server.reply(status, json=payload)
    http_server.reply(200, body=[sse(case.chunk("ok")) + DONE], headers=SSE)

    with pytest.raises(exc_type) as info:
        if variant == "flag_in_body":
            case.call(client, body=case.streamed_body(), _retries=0)
        else:
            case.call(client, "_stream", _retries=0)

    exc = info.value
    assert exc.status == status
    assert exc.server_message == text
    assert str(exc).splitlines()[0].endswith(f": {text}")
    if model is None:
        assert exc.data is None and exc.body == payload.decode()
    else:
        assert isinstance(exc.data, model)
        assert exc.data.to_dict() == payload
        assert json.loads(exc.body or "") == payload
    with case.call(client, "_stream") as stream:  # the error answer freed the only connection
        assert len(list(stream)) == 1
    assert http_server.connection_count == 1


# --- the Content-Type decides how the body is read -------------------------------------------------


def test_streamed_request_answered_with_json_gives_the_json_model(
    http_server: ScriptedServer, client: ApiClient
) -> None:
    answer = {"id": "cmpl-9", "response": "all at once"}
    http_server.reply(200, json=answer, headers={"X-Request-Id": "req-json"})

    response = DEPLOYMENT_TEXT.call(client, "_with_http_info", body=DEPLOYMENT_TEXT.streamed_body())

    assert isinstance(response.data, GetCompletionsFromDeploymentResponseBody)
    assert response.data.response == "all at once"
    assert response.raw_data == json.dumps(answer).encode()
    assert http_server.requests[0].json()["streaming"] is True


def test_stream_method_answered_with_json_raises_a_decode_error_carrying_the_answer(
    http_server: ScriptedServer, client: ApiClient
) -> None:
    """``<op>_stream`` is typed ``Stream[...]``: a whole JSON answer is an error that keeps the body."""
    answer = {"id": "cmpl-9", "response": "all at once"}
    http_server.reply(200, json=answer)

    with pytest.raises(ApiDecodeError) as info:
        DEPLOYMENT_TEXT.call(client, "_stream")

    assert info.value.status == 200
    assert json.loads(info.value.body or "") == answer
    assert "text/event-stream" in str(info.value)


def test_event_stream_with_parameters_in_its_content_type_is_still_a_stream(
    http_server: ScriptedServer, client: ApiClient
) -> None:
    http_server.reply(
        200, body=[sse(chat_chunk("x")) + DONE], headers={"Content-Type": "Text/Event-Stream; charset=utf-8"}
    )

    with CHAT.call(client, body=CHAT.streamed_body()) as stream:
        assert [chunk.choices[0].delta.content for chunk in stream] == ["x"]


@pytest.mark.parametrize("case", [CHAT, DEPLOYMENT_CHAT], ids=["chat", "deployment_chat"])
def test_event_stream_answer_to_a_request_that_did_not_stream_is_a_decode_error(
    http_server: ScriptedServer, client: ApiClient, case: Case
) -> None:
    """Not parsed as the JSON model, not turned into a Stream the caller did not ask for: a clear error."""
    body = sse(case.chunk("a"), case.chunk("b")) + DONE
    http_server.reply(200, body=body, headers=SSE)
    http_server.reply(200, body=[sse(case.chunk("ok")) + DONE], headers=SSE)
    flag, _ = stream_spec(case.operation_id)

    with pytest.raises(ApiDecodeError) as info:
        case.call(client)

    exc = info.value
    assert exc.status == 200
    assert exc.body == body.decode()
    assert "text/event-stream" in str(exc) and f"`{flag}`" in str(exc) and f"{case.method}_stream" in str(exc)
    assert http_server.requests[0].json().get(flag) is None
    assert http_server.requests[0].header("Accept") == "application/json"
    with case.call(client, "_stream") as stream:  # the connection was freed
        assert len(list(stream)) == 1
    assert http_server.connection_count == 1


# --- usage, fields and values the SDK does not know yet -------------------------------------------


def test_include_usage_puts_usage_on_the_last_chunk(http_server: ScriptedServer, client: ApiClient) -> None:
    usage = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}
    http_server.reply(
        200,
        body=[sse(chat_chunk("Hi"), chat_chunk(None, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])),
              sse(chat_chunk(None, choices=[], usage=usage)) + DONE],
        headers=SSE,
    )  # fmt: skip

    with CHAT.call(client, "_stream", body={**CHAT.body, "stream_options": {"include_usage": True}}) as stream:
        chunks = list(stream)

    assert http_server.requests[0].json()["stream_options"] == {"include_usage": True}
    assert [chunk.usage for chunk in chunks[:-1]] == [None, None]
    last = chunks[-1]
    assert last.choices == []
    assert last.usage is not None
    assert (last.usage.prompt_tokens, last.usage.completion_tokens, last.usage.total_tokens) == (5, 7, 12)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unknown_fields_and_enum_values_in_chunks_are_kept(
    http_server: ScriptedServer, client: ApiClient, case: Case
) -> None:
    chat_like = case in (CHAT, CHATROOM)
    if chat_like:
        chunk = case.chunk(
            None, choices=[{"index": 0, "delta": {"content": "x"}, "finish_reason": "paused_for_review"}]
        )
    else:
        chunk = case.chunk("x", finish_reason="paused_for_review")  # not a field of {id, response}: kept as extra
    chunk["service_tier"] = "priority"
    http_server.reply(200, body=[sse(chunk) + DONE], headers=SSE)

    with case.call(client, "_stream") as stream:
        [received] = list(stream)

    if chat_like:
        assert received.choices[0].finish_reason == "paused_for_review"
        assert received.choices[0].finish_reason.is_known is False
        assert received.model_extra == {"service_tier": "priority"}
    else:
        assert received.model_extra == {"finish_reason": "paused_for_review", "service_tier": "priority"}
    assert received.to_dict() == chunk  # both survive a round trip


# --- _with_http_info ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_with_http_info_gives_status_and_headers_with_the_stream_as_data(
    http_server: ScriptedServer, client: ApiClient, case: Case
) -> None:
    http_server.reply(200, body=[sse(case.chunk("a")), DONE], headers={**SSE, "X-Request-Id": "req-info"})

    response = case.call(client, "_with_http_info", body=case.streamed_body())

    assert isinstance(response, ApiResponse)
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == "req-info"
    assert response.headers["Content-Type"] == "text/event-stream"
    assert response.raw_data is None
    assert isinstance(response.data, Stream)
    with response.data as stream:
        assert stream.status_code == 200
        assert len(list(stream)) == 1


# --- the README's examples run --------------------------------------------------------------------


def test_readme_streaming_examples_run(http_server: ScriptedServer, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Streaming\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 3

    def universal(text: str, **fields: Any) -> Dict[str, Any]:
        """A chunk that is valid for all four chunk models (unknown fields are allowed)."""
        return {**chat_chunk(text), "response": text, **fields}

    usage = {"prompt_tokens": 2, "completion_tokens": 2, "total_tokens": 4}
    http_server.default_reply(
        200,
        body=[sse(universal("Hello")), sse(universal(" there"), universal("", choices=[], usage=usage)) + DONE],
        headers=SSE,
    )
    namespace: Dict[str, Any] = {}
    for block in blocks:
        exec(compile(block.replace("http://localhost", http_server.url), "README.md", "exec"), namespace)

    out = capsys.readouterr().out
    assert out.count("Hello there") == 4  # chat, deployments, text_deltas, collect_chat_completion
    assert "\n4 tokens\n" in out
    assert "total_tokens=4" in out
    assert [request.path for request in http_server.requests] == [
        "/v1/llms/chat/completions",
        "/v1/projects/project_id/deployments/deployment_id/completions",
        "/v1/llms/chat/completions",
        "/v1/llms/chat/completions",
    ]
    assert http_server.requests[0].header("Authorization") == "Bearer xxxxx"
    assert http_server.requests[1].header("X-API-Key") == "xxxxx"
    assert http_server.requests[1].header("Authorization") is None
