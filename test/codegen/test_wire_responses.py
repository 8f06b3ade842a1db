"""Responses over the wire (``specs/responses.yaml``): several success codes with their own schemas, a
``2XX`` range, ``default``, ``204``, text and bytes, response headers, errors by code / range / default,
and event streams asked for by the ``Accept`` header."""

import importlib
from types import ModuleType
from typing import Iterator

import pytest

from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    ServiceException,
)
from tachyon_sdk.streaming import Stream
from test.codegen._clients import Generated
from test.conftest import ScriptedServer


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
    events = [b'data: {"seq": 1}\n\n', b'data: {"seq": 2}\n\n', b"data: [DONE]\n\n"]
    http_server.reply(200, body=events, headers={"Content-Type": "text/event-stream"})
    api = _api(client, http_server)

    with api.events() as stream:
        assert isinstance(stream, Stream)
        seen = [event.seq for event in stream]

    assert seen == [1, 2]
    assert http_server.requests[0].header("Accept") == "text/event-stream"


def test_accept_negotiated_stream_or_whole_answer(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json=[{"seq": 1}])
    http_server.reply(
        200, body=[b'data: {"seq": 9}\n\n', b"data: [DONE]\n\n"], headers={"Content-Type": "text/event-stream"}
    )
    http_server.reply(200, json=[{"seq": 1}])
    api = _api(client, http_server)

    whole = api.feed()
    with api.feed_stream() as stream:
        streamed = [event.seq for event in stream]
    with pytest.raises(ApiDecodeError, match="asked for a stream"):
        api.feed_stream()

    assert [type(event).__name__ for event in whole] == ["Event"] and streamed == [9]
    assert [request.header("Accept") for request in http_server.requests] == [
        "application/json",
        "text/event-stream",
        "text/event-stream",
    ]
