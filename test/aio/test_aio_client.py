"""The asyncio client over real sockets on 127.0.0.1: the sync client's contract, awaited.

Each test runs its own event loop (``asyncio.run``), against the scripted server of
``test/conftest.py``; retry waits are recorded by an injected async sleep, never slept.
"""

import asyncio
import json
from typing import Any, Callable, List, Tuple

import pytest

from tachyon_sdk import ApiClient as SyncApiClient
from tachyon_sdk import ChatApi as SyncChatApi
from tachyon_sdk import Configuration, aio
from tachyon_sdk.exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    NotFoundException,
    PaymentRequiredException,
    ServiceException,
    StreamError,
)
from tachyon_sdk.models import ChatCompletionChunkResponse, ChatCompletionResponse, ErrorResponse

from ..conftest import RawConnection, RawServer, ScriptedServer
from ..wire._tachyon import CHAT_JSON, CHAT_REQUEST, SSE_HEADERS, chat_chunk, event, sse
from ._support import run

TOKEN = "Bearer sk-aio-secret-0001"
RawServerFactory = Callable[[Callable[[RawConnection], None]], RawServer]


def test_call_sends_what_the_sync_client_sends_and_decodes_the_answer(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)
    with SyncApiClient(Configuration(host=http_server.url)) as sync_client:
        expected = SyncChatApi(sync_client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    async def main(client: aio.ApiClient, waits: List[float]) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    answer = run(main, http_server.url)

    assert isinstance(answer, ChatCompletionResponse)
    assert answer == expected
    sync_request, async_request = http_server.requests
    assert (async_request.method, async_request.path, async_request.body) == (
        sync_request.method,
        sync_request.path,
        sync_request.body,
    )
    for name in ("x-operator-id", "authorization", "content-type", "accept", "accept-encoding", "user-agent"):
        assert async_request.header(name) == sync_request.header(name), name


def test_with_http_info_and_without_preload_content(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON, headers={"X-Request-Id": "r-1"})

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[Any, int, bytes]:
        api = aio.ChatApi(client)
        info = await api.chat_completion_with_http_info("tn_1", TOKEN, CHAT_REQUEST)
        raw = await api.chat_completion_without_preload_content("tn_1", TOKEN, CHAT_REQUEST)
        async with raw:
            body = await raw.read()
        return info, raw.status, body

    info, status, body = run(main, http_server.url)

    assert info.status_code == 200
    assert info.headers["x-request-id"] == "r-1"
    assert json.loads(info.raw_data) == CHAT_JSON
    assert info.data.id == "chatcmpl-1"
    assert (status, json.loads(body)) == (200, CHAT_JSON)


def test_bad_input_is_refused_before_anything_is_sent(http_server: ScriptedServer) -> None:
    async def main(client: aio.ApiClient, waits: List[float]) -> None:
        api = aio.ChatApi(client)
        with pytest.raises(ApiValueError):
            await api.chat_completion("tn_1", TOKEN, {"messages": "not a list"})
        with pytest.raises(ApiValueError):
            api.chat_completion_stream("tn_1", "Bearer x\r\nInjected: 1", CHAT_REQUEST)

    run(main, http_server.url)
    assert http_server.requests == []


def test_stream_async_for_and_async_with(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a"), chat_chunk("b")]), headers=SSE_HEADERS)
    http_server.reply(200, body=sse([chat_chunk("c")]), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[List[str], List[str], Any]:
        api = aio.ChatApi(client)
        async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            first = [chunk.choices[0].delta.content async for chunk in stream]
        again = await api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)
        second = [chunk.choices[0].delta.content async for chunk in again]
        return first, second, again

    first, second, stream = run(main, http_server.url)

    assert (first, second) == (["a", "b"], ["c"])
    assert isinstance(stream, aio.AsyncStream)
    assert stream.chunks_received == 1
    assert json.loads(http_server.requests[0].body)["stream"] is True
    assert http_server.requests[0].header("accept") == "text/event-stream"
    assert http_server.connection_count == 1  # the finished stream gave its connection back


def test_plain_method_returns_a_stream_when_the_body_asks_for_one(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("x")]), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[Any]:
        answer = await aio.ChatApi(client).chat_completion("tn_1", TOKEN, {**CHAT_REQUEST, "stream": True})
        assert isinstance(answer, aio.AsyncStream)
        return [chunk async for chunk in answer]

    [chunk] = run(main, http_server.url)
    assert isinstance(chunk, ChatCompletionChunkResponse)


def test_named_events_are_skipped_by_iteration_and_yielded_by_events(http_server: ScriptedServer) -> None:
    body = [b"event: ping\ndata: {}\n\n", event(chat_chunk("a")), b"event: say\ndata: hi\n\n", event("[DONE]")]
    http_server.reply(200, body=body, headers=SSE_HEADERS)
    http_server.reply(200, body=body, headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[List[Any], int, List[str]]:
        api = aio.ChatApi(client)
        async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            chunks = [chunk async for chunk in stream]
        async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as raw:
            names = [item.event async for item in raw.events()]
        return chunks, stream.events_skipped, names

    chunks, skipped, names = run(main, http_server.url)
    assert [chunk.choices[0].delta.content for chunk in chunks] == ["a"]
    assert skipped == 2
    assert names == ["ping", "message", "say"]


def test_error_event_raises_after_the_chunks_before_it(http_server: ScriptedServer) -> None:
    error = {"error": "RateLimited: slow down", "status": 429}
    body = [event(chat_chunk("a")), b"event: error\ndata: " + json.dumps(error).encode() + b"\n\n"]
    http_server.reply(200, body=body, headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[str]:
        seen: List[str] = []
        async with aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            with pytest.raises(ApiException) as caught:
                async for chunk in stream:
                    seen.append(chunk.choices[0].delta.content)
        assert caught.value.status == 429
        assert isinstance(caught.value.data, ErrorResponse)
        return seen

    assert run(main, http_server.url) == ["a"]


def test_cut_stream_is_a_stream_error(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a"), chat_chunk("b")], done=False), headers=SSE_HEADERS, end=False)
    http_server.reply(200, body=sse([chat_chunk("a")], done=False), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[Tuple[int, str]]:
        api = aio.ChatApi(client)
        errors: List[Tuple[int, str]] = []
        for _ in range(2):  # chunked body without its last chunk; complete body without [DONE]
            async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
                with pytest.raises(StreamError) as caught:
                    async for _chunk in stream:
                        pass
            errors.append((caught.value.chunks_received, str(caught.value)))
        return errors

    cut, unfinished = run(main, http_server.url)
    assert cut[0] == 2 and "without [DONE]" in cut[1]
    assert unfinished[0] == 1 and "without [DONE]" in unfinished[1]


def test_error_statuses_are_typed_with_the_server_text(http_server: ScriptedServer) -> None:
    http_server.reply(404, json={"error": "NotFound: no such chatroom"})
    http_server.reply(402, json={"code": "out_of_credits", "message": "top up"})
    http_server.reply(422, body=b"Failed to deserialize the JSON body", headers={"Content-Type": "text/plain"})

    async def main(client: aio.ApiClient, waits: List[float]) -> List[ApiException]:
        api = aio.ChatApi(client)
        caught: List[ApiException] = []
        for _ in range(3):
            with pytest.raises(ApiException) as info:
                await api.chat_completion_on_chatroom("room-1", "tn_1", TOKEN, CHAT_REQUEST)
            caught.append(info.value)
        return caught

    missing, payment, rejected = run(main, http_server.url)
    assert isinstance(missing, NotFoundException)
    assert isinstance(missing.data, ErrorResponse)
    assert str(missing).splitlines()[0] == "(404) Not Found: NotFound: no such chatroom"
    assert isinstance(payment, PaymentRequiredException)
    assert payment.server_message is not None and "top up" in payment.server_message
    assert rejected.status == 422
    assert rejected.server_message == "Failed to deserialize the JSON body"
    assert http_server.requests[0].path == "/v1/llms/chatrooms/room-1/chat/completions"


def test_secrets_are_masked_in_errors_and_reprs(http_server: ScriptedServer) -> None:
    http_server.reply(500, json={"error": "Internal"}, headers={"Set-Cookie": "session=sk-cookie-secret-9"})

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[str, str]:
        with pytest.raises(ServiceException) as caught:
            await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST, _retries=0)
        return str(caught.value), repr(client)

    text, client_repr = run(main, http_server.url)
    assert "sk-cookie-secret-9" not in text
    assert "sk-aio-secret-0001" not in text + client_repr


def test_retries_sleep_as_the_policy_says(http_server: ScriptedServer) -> None:
    http_server.reply(503, json={"error": "busy"}, headers={"Retry-After": "2"})
    http_server.reply(action="reset")
    http_server.reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> Any:
        return await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    waits: List[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def outer() -> Any:
        async with aio.ApiClient(Configuration(host=http_server.url, retries=2), sleep=record) as client:
            return await main(client, waits)

    answer = asyncio.run(outer())
    assert answer.id == "chatcmpl-1"
    assert len(http_server.requests) == 3
    assert waits[0] == 2.0 and len(waits) == 2


def test_retries_exhausted_raise_the_last_status(http_server: ScriptedServer) -> None:
    http_server.default_reply(503, json={"error": "busy"})

    async def main(client: aio.ApiClient, waits: List[float]) -> List[float]:
        with pytest.raises(ServiceException):
            await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST, _retries=1)
        return waits

    assert len(run(main, http_server.url)) == 1
    assert len(http_server.requests) == 2


def test_read_timeout_is_not_retried(http_server: ScriptedServer) -> None:
    http_server.reply(action="stall")

    async def main(client: aio.ApiClient, waits: List[float]) -> ApiTimeoutError:
        with pytest.raises(ApiTimeoutError) as caught:
            await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST, _request_timeout=(2.0, 0.2))
        return caught.value

    error = run(main, http_server.url)
    assert error.phase == "read"
    assert len(http_server.requests) == 1


def test_read_timeout_between_stream_chunks(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a"), chat_chunk("b")]), headers=SSE_HEADERS, chunk_delay=2.0)

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[List[Any], ApiTimeoutError]:
        seen: List[Any] = []
        stream = await aio.ChatApi(client).chat_completion_stream(
            "tn_1", TOKEN, CHAT_REQUEST, _request_timeout=(2.0, 0.3)
        )
        with pytest.raises(ApiTimeoutError) as caught:
            async for chunk in stream:
                seen.append(chunk)
        return seen, caught.value

    seen, error = run(main, http_server.url)
    assert len(seen) == 1
    assert error.phase == "read" and "after 1 chunks" in str(error)


def test_refused_connection_is_a_connect_error(unused_port: int) -> None:
    async def main(client: aio.ApiClient, waits: List[float]) -> ApiConnectionError:
        with pytest.raises(ApiConnectionError) as caught:
            await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        return caught.value

    error = run(main, f"http://127.0.0.1:{unused_port}", retries=2)
    assert error.phase == "connect"


def test_a_whole_body_to_a_stream_call_is_a_decode_error(http_server: ScriptedServer) -> None:
    http_server.reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> ApiDecodeError:
        with pytest.raises(ApiDecodeError) as caught:
            await aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)
        return caught.value

    error = run(main, http_server.url)
    assert error.body is not None and json.loads(error.body) == CHAT_JSON


def test_cancelled_stream_task_releases_its_connection_and_the_client_keeps_working(
    http_server: ScriptedServer,
) -> None:
    http_server.reply(200, body=sse([chat_chunk("a"), chat_chunk("b")]), headers=SSE_HEADERS, chunk_delay=5.0)
    http_server.reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> Tuple[List[Any], Any]:
        api = aio.ChatApi(client)
        seen: List[Any] = []
        first = asyncio.Event()

        async def reader() -> None:
            async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
                async for chunk in stream:
                    seen.append(chunk)
                    first.set()

        task = asyncio.create_task(reader())
        await asyncio.wait_for(first.wait(), 5.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        answer = await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        return seen, answer

    seen, answer = run(main, http_server.url)
    assert len(seen) == 1
    assert answer.id == "chatcmpl-1"
    assert http_server.connection_count == 2  # the cancelled stream's connection was closed, not reused


def test_cancelled_call_waiting_for_its_answer(raw_server: RawServerFactory) -> None:
    def handler(conn: RawConnection) -> None:
        request = conn.read_request()
        if request is None:
            return
        if conn.index == 0:
            conn.wait()  # never answers the first connection
            return
        body = json.dumps(CHAT_JSON).encode()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        conn.close()

    server = raw_server(handler)

    async def main(client: aio.ApiClient, waits: List[float]) -> Any:
        api = aio.ChatApi(client)
        task = asyncio.create_task(api.chat_completion("tn_1", TOKEN, CHAT_REQUEST))
        for _ in range(1000):  # at most 10 s for the request to arrive
            if server.requests:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    answer = run(main, server.url)
    assert answer.id == "chatcmpl-1"
    assert len(server.requests) == 2


def test_many_concurrent_streams_on_one_client(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, body=sse([chat_chunk("a"), chat_chunk("b")]), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[int]:
        api = aio.ChatApi(client)

        async def one() -> int:
            async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
                return len([chunk async for chunk in stream])

        return await asyncio.gather(*(one() for _ in range(40)))

    assert run(main, http_server.url, connection_pool_maxsize=8) == [2] * 40
    assert http_server.connection_count <= 8


def test_faults_before_and_after_the_status_line(http_server: ScriptedServer) -> None:
    http_server.reply(action="close")  # no answer: retried
    http_server.reply(200, json=CHAT_JSON)
    http_server.reply(200, json=CHAT_JSON, action="truncate")  # body cut: the server answered, never retried
    http_server.reply(action="half_headers")  # not HTTP: never retried

    async def main(client: aio.ApiClient, waits: List[float]) -> List[ApiConnectionError]:
        api = aio.ChatApi(client)
        assert (await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)).id == "chatcmpl-1"
        caught: List[ApiConnectionError] = []
        for _ in range(2):
            with pytest.raises(ApiConnectionError) as info:
                await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
            caught.append(info.value)
        assert len(waits) == 1
        return caught

    truncated, malformed = run(main, http_server.url)
    assert (truncated.phase, truncated.response_started) == ("read", True)
    assert (malformed.phase, malformed.response_started) == ("read", True)
    assert len(http_server.requests) == 4


def test_a_body_over_max_response_bytes_is_refused(http_server: ScriptedServer) -> None:
    from tachyon_sdk.exceptions import ResponseTooLargeError

    http_server.reply(200, json=CHAT_JSON)
    http_server.reply(200, body=[json.dumps(CHAT_JSON).encode()], headers={"Content-Type": "application/json"})

    async def main(client: aio.ApiClient, waits: List[float]) -> None:
        api = aio.ChatApi(client)
        for _ in range(2):  # Content-Length, then chunked
            with pytest.raises(ResponseTooLargeError):
                await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)

    run(main, http_server.url, max_response_bytes=64)


def test_one_client_across_event_loops(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)
    client = aio.ApiClient(Configuration(host=http_server.url))
    api = aio.ChatApi(client)

    async def call() -> str:
        answer = await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        await client.close()  # in the loop that used it; the client reconnects in the next one
        return answer.id

    assert [asyncio.run(call()) for _ in range(2)] == ["chatcmpl-1", "chatcmpl-1"]
    assert http_server.connection_count == 2
