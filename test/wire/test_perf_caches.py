"""The transport's shortcuts (issue 8) over real sockets: cached pools, one-read bodies, shared timeouts.

- a call goes straight to the host's cached pool; after ``ApiClient.close()`` or an eviction by the
  pool manager the pool is fetched again and the client reconnects;
- threads sharing a fresh client end up with one pool and one cache entry;
- a proxied client and URLs urllib3 would rewrite keep the pool manager's own path;
- a body with a Content-Length is read in one call, and the size limit holds whatever the headers
  claim (a lying Content-Length, chunked or encoded bodies).
"""

import gzip
import threading
from typing import Callable, Dict, List

import pytest

from tachyon_sdk._constants import DEFAULT_NUM_POOLS
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import ApiConnectionError, ResponseTooLargeError

from ..conftest import ClientKit, EchoResponse, RawConnection, RawServer, ScriptedServer, echo

MakeClient = Callable[..., ClientKit]
StartServer = Callable[[Callable[[RawConnection], None]], RawServer]
OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"id": "k"}'
ECHO_PATH = "/v1/rooms/room-1/echo"


def keep_alive(answer: bytes) -> Callable[[RawConnection], None]:
    """A handler answering every request of a connection with ``answer``, keeping the connection."""

    def handler(conn: RawConnection) -> None:
        while conn.read_request() is not None:
            conn.send(answer)

    return handler


def once(answer: bytes) -> Callable[[RawConnection], None]:
    """A handler answering the first request with ``answer``, then closing the connection."""

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is not None:
            conn.send(answer)
        conn.close()

    return handler


# --- cached pools -------------------------------------------------------------------------------------


def test_the_pool_is_fetched_again_after_close_and_the_client_reconnects(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.default_reply(200, json={"id": "p"})
    client = make_client().client
    manager = client.rest_client.pool_manager

    assert echo(client).data == EchoResponse(id="p")
    assert echo(client).data == EchoResponse(id="p")
    [first] = client.rest_client._pools.values()
    assert first is manager.connection_from_url(http_server.url)
    assert http_server.connection_count == 1  # the one-read body left the connection reusable

    client.close()
    assert client.rest_client._pools == {} and len(manager.pools) == 0

    assert echo(client).data == EchoResponse(id="p")  # the closed pool is not used again
    [second] = client.rest_client._pools.values()
    assert second is not first and second.pool is not None
    assert second is manager.connection_from_url(http_server.url)
    assert http_server.connection_count == 2
    assert [request.path for request in http_server.requests] == [ECHO_PATH] * 3


def test_a_pool_the_manager_evicted_is_fetched_again(raw_server: StartServer) -> None:
    servers = [raw_server(keep_alive(OK)) for _ in range(DEFAULT_NUM_POOLS + 1)]
    configuration = Configuration(host=servers[0].url, timeout=(2.0, 5.0))
    with ApiClient(configuration) as client:
        assert echo(client).data == EchoResponse(id="k")
        first = servers[0].url.split("://")[1]
        evicted = client.rest_client._pools[("http", first)]
        for server in servers[1:]:  # one host too many: the manager drops the least recently used pool
            configuration.host = server.url
            assert echo(client).data == EchoResponse(id="k")
            if server is servers[-1]:  # this call made the manager drop a pool: nothing stays cached
                assert client.rest_client._pools == {}
            else:
                assert ("http", first) in client.rest_client._pools
        assert len(client.rest_client.pool_manager.pools) == DEFAULT_NUM_POOLS

        configuration.host = servers[0].url
        assert echo(client).data == EchoResponse(id="k")  # evicts again: the pool is not cached yet ...
        assert echo(client).data == EchoResponse(id="k")  # ... and is now
        again = client.rest_client._pools[("http", first)]
        assert again is not evicted  # the cache never keeps a pool the manager let go
        assert again is client.rest_client.pool_manager.connection_from_url(servers[0].url)
    assert len(servers[0].requests) == 3
    assert all(len(server.requests) == 1 for server in servers[1:])


def test_threads_sharing_a_fresh_client_share_one_pool(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.default_reply(200, json={"id": "t"})
    threads_count, calls = 16, 20
    client = make_client(connection_pool_maxsize=4).client
    start = threading.Barrier(threads_count)
    errors: List[BaseException] = []
    done: Dict[int, int] = {}

    def work(index: int) -> None:
        start.wait(5)
        try:
            done[index] = sum(echo(client).data.id == "t" for _ in range(calls))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(done.values()) == threads_count * calls
    assert len(client.rest_client.pool_manager.pools) == 1
    [pool] = client.rest_client._pools.values()
    assert pool is client.rest_client.pool_manager.connection_from_url(http_server.url)
    assert 1 <= http_server.connection_count <= 4


def test_calls_keep_working_while_another_thread_closes_the_client(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.default_reply(200, json={"id": "c"})
    client = make_client(connection_pool_maxsize=4).client
    workers_count, calls = 8, 30
    errors: List[BaseException] = []
    done: Dict[int, int] = {}
    finished = threading.Event()

    def work(index: int) -> None:
        try:
            done[index] = sum(echo(client).data.id == "c" for _ in range(calls))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    def closer() -> None:
        for _ in range(200):  # bounded: stops early once the workers are done
            if finished.wait(0.002):
                return
            client.close()

    workers = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(workers_count)]
    closing = threading.Thread(target=closer, daemon=True)
    closing.start()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    finished.set()
    closing.join(10)

    assert errors == []
    assert sum(done.values()) == workers_count * calls
    assert len(http_server.requests) == workers_count * calls
    assert echo(client).data.id == "c"
    cached = list(client.rest_client._pools.values())
    assert cached == [client.rest_client.pool_manager.connection_from_url(http_server.url)]


def test_a_proxied_client_sends_absolute_urls_and_caches_no_pool(http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"id": "x"})
    target = "http://upstream.invalid:8080"  # never resolved: the scripted server is the proxy
    configuration = Configuration(host=target, proxy=http_server.url, timeout=(2.0, 5.0), retries=0)
    with ApiClient(configuration) as client:
        assert echo(client).data == EchoResponse(id="x")
        assert client.rest_client._pools == {}
    assert http_server.requests[0].path == target + ECHO_PATH


def test_a_url_urllib3_rewrites_goes_through_the_pool_manager(
    http_server: ScriptedServer, make_client: MakeClient
) -> None:
    http_server.reply(200, json={"id": "d"})
    client = make_client(host=http_server.url + "/base/..").client  # a dot segment urllib3 removes

    assert echo(client).data == EchoResponse(id="d")
    assert http_server.requests[0].path == ECHO_PATH
    assert client.rest_client._pools == {}


# --- bodies read in one call --------------------------------------------------------------------------


def test_a_content_length_smaller_than_the_body_reads_only_what_it_declares(raw_server: StartServer) -> None:
    server = raw_server(once(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" + b"x" * 1000))
    with ApiClient(Configuration(host=server.url, max_response_bytes=100)) as client:
        response = client.rest_client.request("GET", server.url + "/any", max_response_bytes=100)
        assert response.data == b"x" * 10


@pytest.mark.parametrize("declared", [b"10", b"100"])
def test_a_chunked_body_is_limited_whatever_content_length_claims(raw_server: StartServer, declared: bytes) -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (100, b"y" * 100) for _ in range(10)) + b"0\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: " + declared + b"\r\n\r\n"
    server = raw_server(once(head + chunks))
    with ApiClient(Configuration(host=server.url)) as client:
        with pytest.raises(ResponseTooLargeError):
            client.rest_client.request("GET", server.url + "/any", max_response_bytes=150)


def test_an_encoded_body_is_limited_on_its_decoded_size(raw_server: StartServer) -> None:
    packed = gzip.compress(b"z" * 5000)
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed)
    server = raw_server(once(head + packed))
    assert len(packed) < 1000
    with ApiClient(Configuration(host=server.url)) as client:
        with pytest.raises(ResponseTooLargeError):
            client.rest_client.request("GET", server.url + "/any", max_response_bytes=1000)


def test_a_body_within_the_limit_arrives_whole(raw_server: StartServer) -> None:
    body = bytes(range(256)) * 400  # 100 KiB: more than one socket read
    server = raw_server(keep_alive(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)))
    with ApiClient(Configuration(host=server.url)) as client:
        for _ in range(2):
            assert client.rest_client.request("GET", server.url + "/any", max_response_bytes=len(body)).data == body
    assert len(server.requests) == 2


def test_a_body_cut_short_of_its_content_length_is_a_broken_answer(raw_server: StartServer) -> None:
    server = raw_server(once(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"w" * 40))
    with ApiClient(Configuration(host=server.url)) as client:
        with pytest.raises(ApiConnectionError) as caught:
            client.rest_client.request("GET", server.url + "/any", max_response_bytes=1000)
    assert caught.value.phase == "read" and caught.value.response_started
