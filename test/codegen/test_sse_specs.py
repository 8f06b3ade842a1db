"""Event streams as other services' documents describe them (``specs/sse.yaml``, no flag of ours anywhere).

- an event-envelope schema (``{data: <chunk>, event, id, retry}``, Speakeasy style) streams its ``data``;
- a path key with a ``#fragment`` is a second operation on the same wire path, sent without the fragment;
- ``x-speakeasy-sse-sentinel`` ends the stream (a body end after the usage chunk is a clean end too: Atoma);
- an operation that answers nothing but a stream returns the ``Stream`` from its plain method;
- a boolean body property ``stream``/``streaming`` is the stream flag, without a warning.
"""

import importlib
import json
from types import ModuleType
from typing import Any, Dict, Iterator, List

import pytest

from tachyon_sdk.exceptions import StreamError
from tachyon_sdk.streaming import Stream
from test.codegen._clients import Generated
from test.conftest import ScriptedServer

SSE = {"Content-Type": "text/event-stream"}


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("sse"))


def _api(module: ModuleType, http_server: ScriptedServer) -> Any:
    return module.CompleteApi(module.ApiClient(module.Configuration(host=http_server.url, retries=0)))


def _events(*chunks: Dict[str, Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for chunk in chunks)


CHUNKS = [{"id": "c1", "text": "Hel"}, {"id": "c1", "text": "lo"}]
USAGE_CHUNK = {"id": "c1", "text": "", "usage": {"total_tokens": 7}}


def test_generation_says_nothing(generated: Generated) -> None:
    assert generated.exit_codes["sse"] == 0
    assert generated.stderr["sse"] == ""  # the inferred stream flag is the rule, not a warning


def test_envelope_schema_streams_its_data_schema(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[_events(*CHUNKS) + b"data: [END]\n\n"], headers=SSE)
    api = _api(client, http_server)

    with api.chat(client.ChatRequest(prompt="hi", streaming=True)) as stream:
        chunks = list(stream)

    assert isinstance(stream, Stream)
    assert [type(chunk) for chunk in chunks] == [client.Chunk, client.Chunk]
    assert [chunk.text for chunk in chunks] == ["Hel", "lo"]
    request = http_server.requests[0]
    assert request.header("Accept") == "text/event-stream"
    assert request.json() == {"prompt": "hi", "streaming": True}


def test_component_envelope_and_the_fragment_path(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"id": "w", "text": "whole"})
    http_server.reply(200, body=[_events(*CHUNKS), _events(USAGE_CHUNK), b"data: [DONE]\n\n"], headers=SSE)
    api = _api(client, http_server)

    whole = api.complete(client.CompleteRequest(prompt="hi"))
    with api.complete_stream({"prompt": "hi", "stream": True}) as stream:
        texts = [chunk.text for chunk in stream]
        usage = stream.chunks_received

    assert isinstance(whole, client.Chunk) and whole.text == "whole"
    assert texts == ["Hel", "lo", ""] and usage == 3
    described = importlib.import_module(f"{client.__name__}.api.complete_api")
    assert described._COMPLETE.path == described._COMPLETE_STREAM.path == "/v1/complete"
    first, second = http_server.requests
    assert first.method == second.method == "POST"
    assert first.path == second.path == "/v1/complete"  # the "#stream" of the path key is not sent
    assert first.header("Accept") == "application/json"
    assert second.header("Accept") == "text/event-stream"
    assert second.json() == {"prompt": "hi", "stream": True}


def test_a_stream_only_operation_sets_its_flag(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[_events(*CHUNKS), b"data: [DONE]\n\n"], headers=SSE)
    api = _api(client, http_server)

    # the caller's false is overridden: the operation answers nothing but a stream
    with api.complete_stream(client.CompleteStreamRequest(prompt="hi", stream=False)) as stream:
        assert [chunk.text for chunk in stream] == ["Hel", "lo"]

    assert http_server.requests[0].json() == {"prompt": "hi", "stream": True}


def test_a_clean_close_after_the_usage_chunk_ends_the_stream(client: ModuleType, http_server: ScriptedServer) -> None:
    # Atoma's end: its document names [DONE], its server closes the (completely framed) body after usage
    http_server.reply(200, body=[_events(*CHUNKS), _events(USAGE_CHUNK)], headers=SSE)
    http_server.reply(200, body=[_events(*CHUNKS), _events(USAGE_CHUNK)], headers=SSE, end=False)
    http_server.reply(200, body=[_events(*CHUNKS)], headers=SSE)
    api = _api(client, http_server)
    body = {"prompt": "hi", "stream": True}

    with api.complete_stream(body) as stream:
        delivered = [chunk.usage for chunk in stream]
    cut: List[str] = []
    with api.complete_stream(body) as stream, pytest.raises(StreamError) as chunked_cut:
        cut.extend(chunk.text for chunk in stream)
    early: List[str] = []
    with api.complete_stream(body) as stream, pytest.raises(StreamError) as no_usage:
        early.extend(chunk.text for chunk in stream)

    assert delivered[:2] == [None, None] and delivered[2] is not None and delivered[2].total_tokens == 7
    assert cut == ["Hel", "lo", ""] and chunked_cut.value.chunks_received == 3  # every chunk, then the error
    assert early == ["Hel", "lo"] and "without [DONE]" in str(no_usage.value)


def test_stream_only_operation_without_sentinel(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, body=[_events({"n": 1}, {"n": 2})], headers=SSE)
    http_server.reply(200, body=[_events({"n": 1})], headers=SSE, end=False)
    # no sentinel named, yet an OpenAI-style server (Mistral) ends with [DONE]: never a JSON chunk, so an end
    http_server.reply(200, body=[_events({"n": 3}) + b"data: [DONE]\n\n" + _events({"n": 4})], headers=SSE)
    api = _api(client, http_server)

    with api.watch() as stream:
        ticks = [tick.n for tick in stream]
    with api.watch() as stream, pytest.raises(StreamError):
        list(stream)
    with api.watch() as stream:
        until_done = [tick.n for tick in stream]

    assert ticks == [1, 2] and until_done == [3]
    assert all(request.header("Accept") == "text/event-stream" for request in http_server.requests)


def test_inferred_flag_decides_and_a_non_boolean_is_no_flag(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(200, json={"id": "w", "text": "whole"})
    http_server.reply(200, json={"n": 4})
    http_server.reply(200, body=[_events({"n": 5})], headers=SSE)
    api = _api(client, http_server)

    whole = api.chat({"prompt": "hi"})
    label = api.label({"text": "t", "stream": "news"})
    with api.label_stream({"text": "t", "stream": "news"}) as stream:
        streamed = [tick.n for tick in stream]

    assert isinstance(whole, client.Chunk)
    assert isinstance(label, client.Tick) and label.n == 4 and streamed == [5]
    chat, plain, asked = http_server.requests
    assert chat.header("Accept") == "application/json"
    assert plain.header("Accept") == "application/json" and plain.json() == {"text": "t", "stream": "news"}
    assert asked.header("Accept") == "text/event-stream" and asked.json() == {"text": "t", "stream": "news"}
