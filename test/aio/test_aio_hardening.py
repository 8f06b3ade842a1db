"""What the sync client gained with issues 13 and 14, and the shared stream rules, on the asyncio client.

Real sockets on 127.0.0.1 (the scripted and raw servers of ``test/conftest.py``); every server script
is bounded and stops by itself. No assertion is about elapsed time.
"""

import asyncio
import gzip
import json
import pickle
from typing import Any, Callable, List, Tuple

import pytest

from tachyon_sdk import Configuration, aio
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiValidationError,
    ResponseTooLargeError,
    ServiceException,
    StreamError,
)
from tachyon_sdk.models import ChatCompletionResponse

from ..conftest import RawConnection, RawServer, ScriptedServer
from ..wire._tachyon import CHAT_JSON, CHAT_REQUEST, SSE_HEADERS, chat_chunk, event, sse
from ..wire.test_deadline import TICKS, Trickle, chunked, stream_head

TOKEN = "Bearer sk-aio-hardening-0001"
StartServer = Callable[[Callable[[RawConnection], None]], RawServer]


def run(main: Callable[[aio.ApiClient], Any], url: str, **settings: Any) -> Any:
    """``main(client)`` in a fresh event loop on a client of ``url``; checks no task is left behind."""
    settings.setdefault("timeout", (2.0, 2.0))

    async def no_sleep(_seconds: float) -> None:
        return None

    async def outer() -> Any:
        async with aio.ApiClient(Configuration(host=url, **settings), sleep=no_sleep) as client:
            result = await main(client)
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return result

    return asyncio.run(outer())


def texts(chunks: List[Any]) -> List[str]:
    return [chunk.choices[0].delta.content for chunk in chunks]


# --- issue 14: deadline -------------------------------------------------------------------------------------


def test_a_trickled_stream_is_cut_at_the_call_deadline(raw_server: StartServer) -> None:
    trickle = Trickle()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(stream_head())
            trickle.pieces(conn, lambda index: chunked(event(chat_chunk(str(index)))))

    server = raw_server(handler)
    received: List[str] = []

    async def main(client: aio.ApiClient) -> None:
        stream = await aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST, _deadline=0.3)
        async for chunk in stream:
            received.append(chunk.choices[0].delta.content)

    with pytest.raises(ApiTimeoutError) as caught:
        run(main, server.url)

    assert caught.value.phase == "deadline" and caught.value.response_started
    assert received == [str(index) for index in range(len(received))]  # every chunk before the end delivered
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS


def test_the_configuration_deadline_bounds_a_trickled_body(raw_server: StartServer) -> None:
    trickle = Trickle()
    padded = json.dumps(CHAT_JSON).encode() + b" " * TICKS

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            trickle.pieces(conn, lambda index: chunked(padded[index * 2 : index * 2 + 2] or b" "))

    server = raw_server(handler)

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    with pytest.raises(ApiTimeoutError) as caught:
        run(main, server.url, deadline=0.3)

    assert caught.value.phase == "deadline"
    assert trickle.finished.wait(5.0) and trickle.sent < TICKS


def test_a_deadline_bounds_the_wait_for_the_status_line_and_is_not_retried(raw_server: StartServer) -> None:
    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.wait()  # never answers; the read timeout (2 s) is longer than the deadline

    server = raw_server(handler)

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST, _deadline=0.2)

    with pytest.raises(ApiTimeoutError) as caught:
        run(main, server.url, deadline=30.0)

    assert caught.value.phase == "deadline"
    assert len(server.requests) == 1


def test_retries_stop_when_their_wait_would_pass_the_deadline(http_server: ScriptedServer) -> None:
    http_server.default_reply(503, json={"error": "Overloaded: try later"}, headers={"Retry-After": "30"})

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    with pytest.raises(ServiceException) as caught:
        run(main, http_server.url, deadline=5.0)

    assert caught.value.status == 503
    assert len(http_server.requests) == 1  # a 30 s wait cannot fit in 5 s: the 503 is final


# --- issue 14: stream limits, refused answers, secrets, pickling ------------------------------------------


def test_an_oversized_event_raises_after_the_events_before_it(http_server: ScriptedServer) -> None:
    big = chat_chunk("x" * 4096)
    http_server.reply(200, body=[event(chat_chunk("a")) + event(chat_chunk("b")), event(big)], headers=SSE_HEADERS)
    received: List[str] = []

    async def main(client: aio.ApiClient) -> None:
        async with aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            async for chunk in stream:
                received.append(chunk.choices[0].delta.content)

    with pytest.raises(ResponseTooLargeError) as caught:
        run(main, http_server.url, max_stream_event_bytes=1024)

    assert received == ["a", "b"]
    assert caught.value.limit == 1024


def test_an_event_stream_nobody_asked_for_is_refused_by_its_content_type(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a")]), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    with pytest.raises(ApiDecodeError) as caught:
        run(main, http_server.url)

    assert "did not ask for a stream" in str(caught.value)
    assert "chat_completion_stream" in str(caught.value)
    body = caught.value.body
    assert '"a"' in (body.decode() if isinstance(body, bytes) else str(body))  # what arrived at once is kept


def test_a_corrupt_gzip_error_body_keeps_its_status(http_server: ScriptedServer) -> None:
    broken = gzip.compress(b'{"error": "Internal: boom"}')[:-12] + b"\x00" * 12
    http_server.reply(500, body=broken, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST, _retries=0)

    with pytest.raises(ApiException) as caught:
        run(main, http_server.url)

    assert caught.value.status == 500
    assert "Content-Encoding" in str(caught.value)


def test_a_credential_default_header_is_masked_from_the_start(http_server: ScriptedServer) -> None:
    secret = "tok-aio-session-98765"
    http_server.reply(401, body=f"unknown token {secret}".encode(), headers={"Content-Type": "text/plain"})

    async def main(client: aio.ApiClient) -> Any:
        client.set_default_header("X-Session-Token", secret)
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    with pytest.raises(ApiException) as caught:
        run(main, http_server.url)

    assert caught.value.status == 401
    assert secret not in str(caught.value)
    assert http_server.requests[0].header("x-session-token") == secret


def test_a_client_pickles_and_the_copy_works(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)

    async def main() -> Tuple[Any, Any]:
        async with aio.ApiClient(Configuration(host=http_server.url)) as client:
            first = await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)
            copy = pickle.loads(pickle.dumps(client))
        async with copy:
            second = await aio.ChatApi(copy).chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        return first, second

    first, second = asyncio.run(main())
    assert isinstance(second, ChatCompletionResponse) and first == second


def test_interim_answers_are_skipped(raw_server: StartServer) -> None:
    body = json.dumps(CHAT_JSON).encode()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
            conn.send(body)
            conn.wait(2.0)

    server = raw_server(handler)

    async def main(client: aio.ApiClient) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    answer = run(main, server.url)
    assert answer.id == CHAT_JSON["id"]


# --- issue 13: unknown fields, _extra_body, <op>_stream_with_http_info -------------------------------------


def test_unknown_fields_are_refused_and_extra_body_sends_them(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient) -> None:
        api = aio.ChatApi(client)
        with pytest.raises(ApiValidationError) as caught:
            await api.chat_completion("tn_1", TOKEN, {**CHAT_REQUEST, "max_tokenz": 5})
        assert "max_tokens" in str(caught.value)  # the closest known name
        await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST, _extra_body={"reasoning_effort": "low"})

    run(main, http_server.url)

    [request] = http_server.requests  # the typo was refused before anything was sent
    assert json.loads(request.body)["reasoning_effort"] == "low"


def test_stream_with_http_info_gives_status_headers_and_the_stream(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a"), chat_chunk("b")]), headers={**SSE_HEADERS, "X-Request-Id": "r-9"})

    async def main(client: aio.ApiClient) -> Tuple[Any, List[str]]:
        info = await aio.ChatApi(client).chat_completion_stream_with_http_info("tn_1", TOKEN, CHAT_REQUEST)
        async with info.data as stream:
            return info, texts([chunk async for chunk in stream])

    info, received = run(main, http_server.url)

    assert isinstance(info, ApiResponse) and isinstance(info.data, aio.AsyncStream)
    assert (info.status_code, info.headers["x-request-id"], received) == (200, "r-9", ["a", "b"])


# --- the shared stream rules ----------------------------------------------------------------------------------


def collect(url: str, **settings: Any) -> Tuple[List[str], int]:
    async def main(client: aio.ApiClient) -> Tuple[List[str], int]:
        async with aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            return texts([chunk async for chunk in stream]), stream.events_skipped

    result: Tuple[List[str], int] = run(main, url, **settings)
    return result


def test_a_bare_done_event_ends_the_stream(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[event(chat_chunk("a")), b"event: done\n\n"], headers=SSE_HEADERS)
    assert collect(http_server.url) == (["a"], 0)


def test_an_error_key_in_a_named_event_is_not_an_error(http_server: ScriptedServer) -> None:
    say = b'event: say\ndata: {"error": "the agent talks about an error"}\n\n'
    http_server.reply(200, body=[event(chat_chunk("a")), say, *sse([chat_chunk("b")])], headers=SSE_HEADERS)
    assert collect(http_server.url) == (["a", "b"], 1)


def test_a_framed_body_ending_after_its_usage_chunk_ends_cleanly(http_server: ScriptedServer) -> None:
    usage = {**chat_chunk(""), "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
    http_server.reply(200, body=[event(chat_chunk("a")), event(usage)], headers=SSE_HEADERS)
    assert collect(http_server.url) == (["a", ""], 0)


def test_a_framed_body_ending_without_usage_or_sentinel_is_cut(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[event({**chat_chunk("a"), "usage": None})], headers=SSE_HEADERS)
    with pytest.raises(StreamError):
        collect(http_server.url)
