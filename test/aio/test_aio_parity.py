"""Where the asyncio client used to differ from the sync one: pool exhaustion, fork, socket options, a body
its Content-Encoding cannot decode, malformed answers. Each case ends as the sync client's does.

Real sockets on 127.0.0.1 (the scripted and raw servers of ``test/conftest.py``); every server script is
bounded and stops by itself. No assertion is about elapsed time.
"""

import asyncio
import gc
import gzip
import os
import select
import socket
import subprocess
import sys
import threading
import warnings
import zlib
from typing import Any, Callable, List, Optional, Tuple

import pytest

from tachyon_sdk import ApiClient as SyncApiClient
from tachyon_sdk import ChatApi as SyncChatApi
from tachyon_sdk import Configuration, aio
from tachyon_sdk.aio import rest as aio_rest
from tachyon_sdk.exceptions import ApiConnectionError, ApiDecodeError, ApiTimeoutError, ApiValueError, OpenApiException

from ..conftest import RawConnection, RawServer, ScriptedServer, in_child
from ..wire._tachyon import CHAT_JSON, CHAT_REQUEST, SSE_HEADERS, chat_chunk, event, sse
from ._support import run

TOKEN = "Bearer sk-aio-parity-0001"
StartServer = Callable[[Callable[[RawConnection], None]], RawServer]


# --- pool exhaustion ----------------------------------------------------------------------------------------


async def _pool_timeout_error(api: aio.ChatApi) -> ApiTimeoutError:
    with pytest.raises(ApiTimeoutError) as caught:
        await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
    return caught.value


def test_no_free_connection_within_pool_timeout_is_phase_pool_and_not_retried(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a")]), headers=SSE_HEADERS)
    http_server.default_reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[Any]:
        api = aio.ChatApi(client)
        stream = await api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)  # holds the one connection
        error = await _pool_timeout_error(api)
        sent_meanwhile = len(http_server.requests)
        retried = list(waits)
        await stream.aclose()
        answer = await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)  # the slot came back
        return [error, sent_meanwhile, retried, answer.id]

    error, sent_meanwhile, retried, answer_id = run(main, http_server.url, connection_pool_maxsize=1, pool_timeout=0.05)

    assert error.phase == "pool" and not error.response_started
    assert "connection_pool_maxsize" in str(error)
    assert sent_meanwhile == 1 and retried == []  # nothing sent for the refused call, and no retry
    assert answer_id == "chatcmpl-1"


def test_a_call_waiting_for_a_connection_while_the_client_closes_opens_a_new_session(
    http_server: ScriptedServer,
) -> None:
    http_server.reply(200, body=sse([chat_chunk("a")]), headers=SSE_HEADERS)
    http_server.default_reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> str:
        api = aio.ChatApi(client)
        stream = await api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)  # holds the one slot
        waiting = asyncio.create_task(api.chat_completion("tn_1", TOKEN, CHAT_REQUEST))
        (slots,) = client.rest_client._slots.values()
        for _ in range(1000):
            if slots.waiters:
                break
            await asyncio.sleep(0)
        assert len(slots.waiters) == 1
        await stream.aclose()  # the slot goes to the waiting call ...
        await client.close()  # ... whose session is closed before it runs: it opens a new one
        return str((await waiting).id)

    assert run(main, http_server.url, connection_pool_maxsize=1, pool_timeout=5.0) == "chatcmpl-1"
    assert len(http_server.requests) == 2


def test_a_cancelled_wait_for_a_connection_gives_back_nothing_it_did_not_take(http_server: ScriptedServer) -> None:
    http_server.reply(200, body=sse([chat_chunk("a")]), headers=SSE_HEADERS)
    http_server.default_reply(200, json=CHAT_JSON)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[Any]:
        api = aio.ChatApi(client)
        stream = await api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)
        client.configuration.pool_timeout = None  # this one waits as long as it takes ...
        waiting = asyncio.create_task(api.chat_completion("tn_1", TOKEN, CHAT_REQUEST))
        (slots,) = client.rest_client._slots.values()
        for _ in range(1000):  # ... and gets to its wait for the slot without any I/O
            if slots.waiters:
                break
            await asyncio.sleep(0)
        assert len(slots.waiters) == 1 and not waiting.done()  # cancelled while it waits, not before
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        client.configuration.pool_timeout = 0.05
        error = await _pool_timeout_error(api)  # the stream still holds the only slot
        chunks = [chunk.choices[0].delta.content async for chunk in stream]  # read to its end: slot back
        first = await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        second = await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        return [error.phase, chunks, first.id, second.id]

    assert run(main, http_server.url, connection_pool_maxsize=1) == ["pool", ["a"], "chatcmpl-1", "chatcmpl-1"]
    assert len(http_server.requests) == 3
    assert http_server.connection_count == 1  # one connection, reused: the slots follow it


def test_every_end_of_a_response_gives_its_slot_back(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, body=sse([chat_chunk("a")]), headers=SSE_HEADERS)

    async def main(client: aio.ApiClient, waits: List[float]) -> List[str]:
        api = aio.ChatApi(client)
        ends: List[str] = []
        raw = await api.chat_completion_without_preload_content("tn_1", TOKEN, {**CHAT_REQUEST, "stream": True})
        async with raw:  # released unread
            ends.append("raw released")
        raw = await api.chat_completion_without_preload_content("tn_1", TOKEN, {**CHAT_REQUEST, "stream": True})
        await raw.read()
        ends.append("raw read")
        async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            ends.append(f"stream left early ({stream.status_code})")
        stream = await api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST)
        with pytest.warns(ResourceWarning, match="unclosed AsyncStream"):
            del stream  # dropped unclosed: collected
            gc.collect()
        ends.append("stream collected")
        async with api.chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
            ends.append("".join([chunk.choices[0].delta.content async for chunk in stream]))
        return ends

    assert run(main, http_server.url, connection_pool_maxsize=1, pool_timeout=2.0) == [
        "raw released",
        "raw read",
        "stream left early (200)",
        "stream collected",
        "a",
    ]
    assert len(http_server.requests) == 5


def test_a_slot_handed_to_a_waiter_cancelled_at_that_moment_goes_to_the_next_one() -> None:
    # The moment between a hand-over and the waiter running cannot be aimed at over a socket: the slots alone.
    async def main() -> List[Any]:
        slots = aio_rest._HostSlots(1)
        assert await slots.acquire(None)
        first = asyncio.create_task(slots.acquire(None))
        second = asyncio.create_task(slots.acquire(None))
        for _ in range(5):
            await asyncio.sleep(0)
        slots.release()  # handed to the first waiter ...
        first.cancel()  # ... cancelled before it runs
        with pytest.raises(asyncio.CancelledError):
            await first
        taken = await asyncio.wait_for(second, 5.0)  # bounded: a lost slot would leave it waiting
        refused = await slots.acquire(0.01)  # still one slot, which the second holds
        slots.release()
        again = await slots.acquire(0.01)
        slots.release()
        return [taken, refused, again, slots.free, slots.users, len(slots.waiters)]

    assert asyncio.run(main()) == [True, False, True, 1, 0, 0]


# --- fork -------------------------------------------------------------------------------------------------


def test_a_forked_child_opens_its_own_connections_and_leaves_the_parents_alone(http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json=CHAT_JSON)
    client = aio.ApiClient(Configuration(host=http_server.url, timeout=(2.0, 5.0)))
    api = aio.ChatApi(client)

    async def call() -> str:
        return str((await api.chat_completion("tn_1", TOKEN, CHAT_REQUEST)).id)

    async def call_and_close() -> str:
        try:
            return await call()
        finally:
            await client.close()

    loop = asyncio.new_event_loop()  # the parent's loop stays open across the fork, its connection pooled
    try:
        assert loop.run_until_complete(call()) == "chatcmpl-1"

        status = in_child(lambda: asyncio.run(call_and_close()) == "chatcmpl-1")

        # The parent's pooled connection is intact (its socket open, its loop still watching it): reused.
        assert loop.run_until_complete(call()) == "chatcmpl-1"
        loop.run_until_complete(client.close())
    finally:
        loop.close()

    assert status == 0
    assert len(http_server.requests) == 3
    assert http_server.connection_count == 2  # the parent's one connection, and the child's own


def test_a_forked_child_holds_no_copy_of_the_parents_sockets(raw_server: StartServer) -> None:
    # While a child lives, the parent closing a connection must still hang up on the server: the child's
    # copy of the socket would otherwise keep the connection open (and a stream left early generating).
    hung_up = threading.Event()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            conn.read_request()  # returns when the connection is closed by every process holding it
            hung_up.set()

    server = raw_server(handler)
    client = aio.ApiClient(Configuration(host=server.url, timeout=(2.0, 5.0)))
    api = aio.ChatApi(client)
    loop = asyncio.new_event_loop()
    release_read, release_write = os.pipe()
    try:
        raw = loop.run_until_complete(api.chat_completion_without_preload_content("tn_1", TOKEN, CHAT_REQUEST))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (Python 3.12+)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child only waits to be released (at most 30 s)
            try:
                os.close(release_write)
                select.select([release_read], [], [], 30.0)
            finally:
                os._exit(0)
        os.close(release_read)
        try:
            raw.release()  # not read to its end: the parent closes the connection (when its loop runs)
            closed_while_the_child_lives = loop.run_until_complete(asyncio.to_thread(hung_up.wait, 10.0))
        finally:
            os.close(release_write)  # the child exits
            os.waitpid(pid, 0)
        loop.run_until_complete(client.close())
    finally:
        loop.close()
    assert closed_while_the_child_lives
    assert len(server.requests) == 1


# --- socket options -------------------------------------------------------------------------------------------


def _holding_server(raw_server: StartServer) -> RawServer:
    """Answers each request with a head and part of its body, then waits for the client to close."""

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            conn.read_request()  # returns when the client closes the connection

    return raw_server(handler)


def _keepalive_of_the_connection(url: str, **settings: Any) -> int:
    """SO_KEEPALIVE read back from the socket under an unfinished response of a client of ``url``."""

    async def main(client: aio.ApiClient, waits: List[float]) -> int:
        api = aio.ChatApi(client)
        async with await api.chat_completion_without_preload_content("tn_1", TOKEN, CHAT_REQUEST) as raw:
            connection = raw.response.connection
            assert connection is not None and connection.transport is not None
            sock = connection.transport.get_extra_info("socket")
            return int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))

    return int(run(main, url, **settings))


def test_socket_options_are_set_on_the_connection(raw_server: StartServer) -> None:
    server = _holding_server(raw_server)
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    if not aio_rest.SOCKET_FACTORY:  # aiohttp before 3.12: refused when the client is built, nothing sent
        with pytest.raises(ApiValueError, match=r"socket_options needs aiohttp 3\.12"):
            aio.ApiClient(Configuration(host=server.url, socket_options=options))
        assert server.requests == []
        return

    assert _keepalive_of_the_connection(server.url) == 0  # not aiohttp's default ...
    assert _keepalive_of_the_connection(server.url, socket_options=options) != 0  # ... but ours
    assert len(server.requests) == 2


def test_socket_options_on_an_aiohttp_without_socket_factory_are_refused_at_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No socket reaches an older aiohttp: its lack of the feature is what is patched in.
    monkeypatch.setattr(aio_rest, "SOCKET_FACTORY", False)
    with pytest.raises(ApiValueError, match="socket_options needs aiohttp 3.12 or later") as caught:
        aio.ApiClient(Configuration(socket_options=[(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]))
    assert aio_rest.aiohttp.__version__ in str(caught.value)
    assert aio.ApiClient(Configuration()).rest_client is not None  # without socket options: fine


# --- answers that arrive broken: the sync client's outcome, exactly -------------------------------------------

Outcome = Tuple[str, Optional[int], Optional[str], Optional[bool], Optional[str], int]


def _outcome(exc: OpenApiException, requests: int) -> Outcome:
    """What a caller can tell of a failed call: the class, status, phase, whether the answer had begun,
    the class of the cause when it is the SDK's, and how many requests the server read."""
    cause = exc.__cause__
    return (
        type(exc).__name__,
        getattr(exc, "status", None),
        getattr(exc, "phase", None),
        getattr(exc, "response_started", None),
        type(cause).__name__ if isinstance(cause, OpenApiException) else None,
        requests,
    )


def _same_answer_server(raw_server: StartServer, answer: bytes) -> RawServer:
    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(answer)
        conn.close()

    return raw_server(handler)


def _sync_outcome(raw_server: StartServer, answer: bytes) -> Outcome:
    server = _same_answer_server(raw_server, answer)
    configuration = Configuration(host=server.url, timeout=(2.0, 5.0))
    with SyncApiClient(configuration, sleep=lambda _seconds: None) as client:
        with pytest.raises(OpenApiException) as caught:
            SyncChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)
    return _outcome(caught.value, len(server.requests))


def _aio_outcome(raw_server: StartServer, answer: bytes) -> Outcome:
    server = _same_answer_server(raw_server, answer)

    async def main(client: aio.ApiClient, waits: List[float]) -> OpenApiException:
        with pytest.raises(OpenApiException) as caught:
            await aio.ChatApi(client).chat_completion("tn_1", TOKEN, CHAT_REQUEST)
        return caught.value

    return _outcome(run(main, server.url), len(server.requests))


def _encoded(status: str, encoding: str, body: bytes, chunked: bool = False) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Encoding: {encoding}\r\n"
    if chunked:
        return head.encode() + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    return head.encode() + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


_GOOD_GZIP = gzip.compress(b'{"id": "chatcmpl-1"}')
_FLIPPED_GZIP = _GOOD_GZIP[:10] + bytes(byte ^ 0x55 for byte in _GOOD_GZIP[10:])
_GARBAGE = b"\x1f\x8b\x08\x00garbage-not-deflate"


@pytest.mark.parametrize(
    "answer",
    [
        _encoded("200 OK", "gzip", _GARBAGE),
        _encoded("200 OK", "gzip", _FLIPPED_GZIP),
        _encoded("200 OK", "gzip", _GARBAGE, chunked=True),
        _encoded("200 OK", "deflate", b"not deflate at all"),
        _encoded("200 OK", "deflate", zlib.compress(b'{"id": "chatcmpl-1"}')[:-6]),
        _encoded("404 Not Found", "gzip", _GARBAGE),
        _encoded("404 Not Found", "gzip", _FLIPPED_GZIP, chunked=True),
        _encoded("422 Unprocessable Entity", "deflate", b"not deflate at all"),
    ],
    ids=[
        "200-gzip-garbage",
        "200-gzip-flipped",
        "200-gzip-chunked",
        "200-deflate-garbage",
        "200-deflate-cut",
        "404-gzip-garbage",
        "404-gzip-flipped-chunked",
        "422-deflate-garbage",
    ],
)
def test_a_body_its_content_encoding_cannot_decode_ends_as_with_the_sync_client(
    raw_server: StartServer, answer: bytes
) -> None:
    expected = _sync_outcome(raw_server, answer)

    assert _aio_outcome(raw_server, answer) == expected
    status = expected[1]
    assert status is not None and str(status) == answer[9:12].decode()  # the answer's own status, kept
    if status == 200:
        assert expected[0] == ApiDecodeError.__name__
    else:
        assert expected[4] == ApiDecodeError.__name__  # the status's exception, caused by the decode error


def _gzip_stream_answer(corrupt: bool) -> bytes:
    body = gzip.compress(b"".join(event(chunk) for chunk in (chat_chunk("Hel"), chat_chunk("lo"), "[DONE]")))
    if corrupt:
        body = body[:12] + bytes(byte ^ 0x55 for byte in body[12:])
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Encoding: gzip\r\n"
    return head + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.mark.parametrize("corrupt", [False, True], ids=["whole", "corrupt"])
def test_a_gzip_encoded_stream_is_decoded_as_by_the_sync_client(raw_server: StartServer, corrupt: bool) -> None:
    answer = _gzip_stream_answer(corrupt)

    def sync_texts() -> List[str]:
        server = _same_answer_server(raw_server, answer)
        texts: List[str] = []
        with SyncApiClient(Configuration(host=server.url, timeout=(2.0, 5.0))) as client:
            try:
                for chunk in SyncChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST):
                    texts.append(chunk.choices[0].delta.content)
            except OpenApiException as exc:
                texts.append(type(exc).__name__)
        return texts

    async def aio_texts(client: aio.ApiClient, waits: List[float]) -> List[str]:
        texts: List[str] = []
        try:
            async with aio.ChatApi(client).chat_completion_stream("tn_1", TOKEN, CHAT_REQUEST) as stream:
                async for chunk in stream:
                    texts.append(chunk.choices[0].delta.content)
        except OpenApiException as exc:
            texts.append(type(exc).__name__)
        return texts

    expected = sync_texts()

    assert run(aio_texts, _same_answer_server(raw_server, answer).url) == expected
    assert expected == (["StreamError"] if corrupt else ["Hel", "lo"])


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\nContent-Length: 21\r\n\r\n"
        + b'{"id": "chatcmpl-1"}',
        b"HTTP/1.1 200 OK\r\nContent-Length: 20, 22\r\n\r\n" + b'{"id": "chatcmpl-1"}',
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Type: applic",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r",
    ],
    ids=[
        "conflicting-content-lengths",
        "one-content-length-two-values",
        "conflicting-content-lengths-on-a-503",
        "headers-cut-mid-line",
        "headers-cut-after-a-line",
        "headers-cut-after-the-status-line",
        "headers-cut-in-the-blank-line",
    ],
)
def test_a_malformed_answer_ends_as_with_the_sync_client(raw_server: StartServer, answer: bytes) -> None:
    expected = _sync_outcome(raw_server, answer)

    assert _aio_outcome(raw_server, answer) == expected
    assert expected[:4] == (ApiConnectionError.__name__, None, "read", True)  # malformed, never an answer
    assert expected[5] == 1  # the server may have acted on it: never resent


def test_conflicting_content_lengths_are_refused_with_aiohttp_s_pure_python_parser_too() -> None:
    # aiohttp's C parser refuses them itself; its pure-Python one (no C extensions: PyPy, a Python without
    # wheels yet) keeps one of them, and the SDK refuses them. The same socket tests, in that mode.
    env = dict(os.environ, AIOHTTP_NO_EXTENSIONS="1")
    parser = "import aiohttp.http_parser as p; print(p.HttpResponseParser is p.HttpResponseParserPy)"
    chosen = subprocess.run([sys.executable, "-c", parser], env=env, capture_output=True, text=True, timeout=60)
    assert chosen.stdout.strip() == "True", chosen.stderr  # the mode really selects the pure-Python parser
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{_MALFORMED}", "-k", "content"],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


_MALFORMED = test_a_malformed_answer_ends_as_with_the_sync_client.__name__
