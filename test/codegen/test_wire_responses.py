"""Responses over the wire (``specs/responses.yaml``): several success codes with their own schemas, a
``2XX`` range, ``default``, ``204``, text and bytes, response headers, errors by code / range / default,
and event streams asked for by the ``Accept`` header."""

import importlib
import threading
from types import ModuleType
from typing import Callable, Iterator, List

import pytest

from tachyon_sdk._operation import Operation
from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ServiceException,
    StreamError,
)
from tachyon_sdk.streaming import Stream
from test.codegen._clients import Generated
from test.conftest import MAX_WAIT, RawConnection, RawServer, ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("responses"))


def _api(module: ModuleType, http_server: ScriptedServer) -> object:
    return module.ResponsesApi(module.ApiClient(module.Configuration(host=http_server.url, retries=0)))


def test_each_success_code_decodes_into_its_own_schema(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"name": "t", "note": None}, headers={"X-Rate-Limit": "41"})
    http_server.reply(202, json={"eta": 5})
    http_server.reply(201, json={"other": True})  # only the 2XX range covers 201
    http_server.reply(204)
    api = _api(client, http_server)

    info = api.get_thing_with_http_info("1")
    pending = api.get_thing("2")
    other = api.get_thing("3")
    nothing = api.get_thing("4")

    assert isinstance(info.data, client.Thing) and info.data.note is None
    assert info.status_code == 200 and info.headers["X-Rate-Limit"] == "41"
    assert isinstance(pending, client.Pending) and pending.eta == 5
    assert isinstance(other, client.Other) and other.other is True
    assert nothing is None


def test_errors_use_the_code_then_the_range_then_default(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(404, json={"missing": "thing"})
    http_server.reply(409, json={"problem": "conflict"})
    http_server.reply(503, json={"code": 7})
    api = _api(client, http_server)

    with pytest.raises(NotFoundException) as not_found:
        api.get_thing("1")
    with pytest.raises(ConflictException) as conflict:
        api.get_thing("2")
    with pytest.raises(ServiceException) as failed:
        api.get_thing("3")

    assert isinstance(not_found.value.data, client.NotFound) and not_found.value.data.missing == "thing"
    assert conflict.value.status == 409 and isinstance(conflict.value.data, client.ClientError)
    assert isinstance(failed.value.data, client.Error) and failed.value.data.code == 7


def test_text_and_bytes_responses(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, body="Total: 5 \u20ac".encode(), headers={"Content-Type": "text/plain; charset=utf-8"})
    http_server.reply(200, body=b"\x89PNG\r\n\x1a\n\x00", headers={"Content-Type": "image/png"})
    api = _api(client, http_server)

    assert api.get_report() == "Total: 5 \u20ac"
    assert api.get_blob() == b"\x89PNG\r\n\x1a\n\x00"
    report, blob = http_server.requests
    assert report.header("Accept") == "text/plain"
    assert blob.header("Accept") == "image/png"


def test_a_text_error_body_is_the_error_data(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(403, body=b"not yours", headers={"Content-Type": "text/plain"})
    api = _api(client, http_server)

    with pytest.raises(ForbiddenException) as denied:
        api.get_report()

    assert denied.value.data == "not yours" and denied.value.body == "not yours"


def test_only_default_declared_is_the_success_type(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"name": "made"})
    api = _api(client, http_server)

    made = api.create_only_default()

    assert isinstance(made, client.Thing) and made.name == "made"
    assert http_server.requests[0].method == "POST"


def test_no_content_returns_none(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(204)
    api = _api(client, http_server)

    assert api.delete_all() is None
    assert http_server.requests[0].method == "DELETE" and http_server.requests[0].header("Accept") is None


def test_an_operation_that_only_streams_returns_a_stream(client: ModuleType, http_server: ScriptedServer) -> None:
    """``events`` names no sentinel: the end of the (chunked) body is the end of the stream."""
    events = [b'data: {"seq": 1}\n\n', b'data: {"seq": 2}\n\n']
    http_server.reply(200, body=events, headers={"Content-Type": "text/event-stream"})
    api = _api(client, http_server)

    with api.events() as stream:
        assert isinstance(stream, Stream)
        seen = [event.seq for event in stream]

    assert seen == [1, 2]
    assert http_server.requests[0].header("Accept") == "text/event-stream"


def test_without_a_sentinel_done_still_ends_the_stream(client: ModuleType, http_server: ScriptedServer) -> None:
    """``[DONE]`` is never a JSON chunk: on an operation that names no sentinel it ends the stream too (Mistral
    ends so and its document does not say it), and nothing after it is read as a chunk."""
    events = [b'data: {"seq": 1}\n\n', b"data: [DONE]\n\n", b'data: {"seq": 2}\n\n']
    http_server.reply(200, body=events, headers={"Content-Type": "text/event-stream"})
    http_server.reply(
        200, body=[b'data: {"seq": 1}\n\n', b"data: [DONE!]\n\n"], headers={"Content-Type": "text/event-stream"}
    )
    api = _api(client, http_server)

    with api.events() as stream:
        assert [event.seq for event in stream] == [1]
    with api.events() as stream:
        assert next(stream).seq == 1
        with pytest.raises(ApiDecodeError) as info:  # any other data that is not a chunk is an error
            next(stream)

    assert info.value.body == "[DONE!]" and "chunk 2 of the stream does not match Event" in str(info.value)


def test_accept_negotiated_stream_or_whole_answer(client: ModuleType, http_server: ScriptedServer) -> None:
    """``feed`` names the sentinel ``[DONE]``: it ends the stream, and a body ending without it is cut."""
    http_server.reply(200, json=[{"seq": 1}])
    http_server.reply(
        200, body=[b'data: {"seq": 9}\n\n', b"data: [DONE]\n\n"], headers={"Content-Type": "text/event-stream"}
    )
    http_server.reply(200, json=[{"seq": 1}])
    http_server.reply(200, body=[b'data: {"seq": 9}\n\n'], headers={"Content-Type": "text/event-stream"})
    api = _api(client, http_server)

    whole = api.feed()
    with api.feed_stream() as stream:
        streamed = [event.seq for event in stream]
    with pytest.raises(ApiDecodeError, match="asked for a stream"):
        api.feed_stream()
    with api.feed_stream() as cut, pytest.raises(StreamError, match=r"after 1 chunks without \[DONE\]"):
        for _ in cut:
            pass

    assert [type(event).__name__ for event in whole] == ["Event"] and streamed == [9]
    assert [request.header("Accept") for request in http_server.requests] == [
        "application/json",
        "text/event-stream",
        "text/event-stream",
        "text/event-stream",
    ]


def test_the_end_of_each_stream_is_read_from_its_media_type(client: ModuleType, generated: Generated) -> None:
    module = importlib.import_module(f"{generated.package('responses')}.api.responses_api")
    operations = {value.operation_id: value for value in vars(module).values() if isinstance(value, Operation)}
    docs = (generated.outputs["responses"] / "docs" / "ResponsesApi.md").read_text(encoding="utf-8")

    assert {name: op.stream.sentinel for name, op in operations.items() if op.stream is not None} == {
        "events": None,
        "feed": "[DONE]",
    }
    assert (
        "that ends at `data: [DONE]` or with the response body."
        in docs.split("# **events_stream**")[1].split("# **")[0]
    )
    assert "that ends at `data: [DONE]`." in docs.split("# **feed_stream**")[1].split("# **")[0]


# --- an operation without a sentinel ends with its HTTP body, over raw sockets --------------------------------

_EVENTS = b'data: {"seq": 1}\n\ndata: {"seq": 2}\n\n'
_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


_FRAMINGS = {
    # name: (bytes after the request, then "close" or "reset", complete?)
    "chunked_with_terminator": (_HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(_EVENTS) + b"0\r\n\r\n", "keep", True),
    "full_content_length": (_HEAD + b"Content-Length: %d\r\n\r\n" % len(_EVENTS) + _EVENTS, "keep", True),
    "close_framed_body": (_HEAD + b"Connection: close\r\n\r\n" + _EVENTS, "close", True),
    "chunked_without_last_chunk": (_HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(_EVENTS), "close", False),
    "short_content_length": (_HEAD + b"Content-Length: %d\r\n\r\n" % (len(_EVENTS) + 40) + _EVENTS, "close", False),
    "connection_reset": (_HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(_EVENTS), "reset", False),
    "unterminated_last_event": (
        _HEAD + b"Connection: close\r\n\r\n" + _EVENTS + b'data: {"seq": 3}', "close", False
    ),
}  # fmt: skip


@pytest.mark.parametrize("framing", list(_FRAMINGS))
def test_without_a_sentinel_a_complete_body_ends_the_stream_and_a_cut_one_is_a_stream_error(
    client: ModuleType, raw_server: Callable[[Callable[[RawConnection], None]], RawServer], framing: str
) -> None:
    answer, then, complete = _FRAMINGS[framing]
    caller_has_both = threading.Event()  # a reset drops unread data: it waits until the caller read both events
    caller_done = threading.Event()

    def handler(conn: RawConnection) -> None:
        if conn.read_request() is None:
            return
        conn.send(answer)
        if then == "reset":
            caller_has_both.wait(MAX_WAIT)
            conn.reset()
        elif then == "close":
            conn.close()
        else:  # keep the connection open: the framing alone ends the body
            caller_done.wait(MAX_WAIT)

    server = raw_server(handler)
    api = client.ResponsesApi(client.ApiClient(client.Configuration(host=server.url, retries=0)))
    seen: List[int] = []
    try:
        with api.events() as stream:
            if complete:
                seen.extend(event.seq for event in stream)
            else:
                with pytest.raises(StreamError) as info:
                    for event in stream:
                        seen.append(event.seq)
                        if len(seen) == 2:
                            caller_has_both.set()
    finally:
        caller_done.set()

    assert seen == [1, 2]  # every chunk delivered, cut or not
    if not complete:
        assert info.value.chunks_received == 2
        assert "stream ended after 2 chunks before the end of its body" in str(info.value)
