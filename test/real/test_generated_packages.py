"""Each real document of ``../shared/real-specs`` gives a working client with one command and no extra flag.

Generated, pip-installed, imported and ``mypy --strict`` (``_generated.py``); the non-streamed operations
called through a Prism dynamic mock of the same document (Prism also reports any request that breaks the
document, in ``sl-violations``); the streams read from a local server speaking the real wire format:

- Atoma: one ``data:`` event per chunk, and the server closes the (completely framed) body after the usage
  chunk, without the ``[DONE]`` its document names: every chunk is delivered, no error; a body cut short
  (chunked encoding without its last chunk) is ``StreamError``;
- Mistral: chunks, then ``data: [DONE]``;
- Tachyon's agent endpoints: named agent events (``say``, ``usage``, ...), ``event: done`` at the end.
"""

import importlib
import inspect
import json
import typing
from types import ModuleType
from typing import Any, Dict, List, Tuple

import pytest

from test.conftest import ScriptedServer
from test.real._generated import DOCUMENTS, Built, built, generated_mock, mypy_result

__all__ = ["built", "generated_mock", "mypy_result"]  # the fixtures of _generated.py, used here

pytestmark = pytest.mark.real

SSE = {"Content-Type": "text/event-stream"}
KEYS = sorted(DOCUMENTS)


def _events(*chunks: Any) -> bytes:
    return b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for chunk in chunks)


def _module(built: Dict[str, Built], key: str) -> ModuleType:
    module = importlib.import_module(built[key].package)
    assert module.__file__ is not None and module.__file__.startswith(str(built[key].target))
    return module


def _client(module: ModuleType, host: str) -> Any:
    configuration = module.Configuration(
        host=host, retries=0, access_token="real-token", api_key={"api_key": "real-key"}
    )
    return module.ApiClient(configuration)


# --- generate, install, import, mypy -------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_generates_with_one_command_and_installs(built: Dict[str, Built], key: str) -> None:
    item = built[key]
    assert item.generator.returncode == 0, item.generator.stderr
    assert "error:" not in item.generator.stderr and "Traceback" not in item.generator.stderr
    assert not any("x-stream-flag" in line for line in item.generator.stderr.splitlines())
    assert item.install.returncode == 0, item.install.stdout + item.install.stderr
    assert (item.output / "pyproject.toml").is_file()
    assert (item.target / item.package / "py.typed").is_file()
    module = _module(built, key)
    assert module.ApiClient.__module__ == f"{item.package}.api_client"  # the runtime came with it


def test_every_package_passes_mypy_strict(mypy_result: Any) -> None:
    assert mypy_result.returncode == 0, mypy_result.stdout[-5000:] + mypy_result.stderr[-2000:]


# --- non-streamed operations against Prism ------------------------------------------------------------


def _operations(module: ModuleType) -> List[Tuple[Any, Any]]:
    """(API class, runtime Operation) for every operation of the package."""
    runtime = importlib.import_module(f"{module.__name__}._operation")
    api_package = importlib.import_module(f"{module.__name__}.api")
    found = []
    for name in sorted(api_package.__all__):
        api_module = importlib.import_module(getattr(api_package, name).__module__)
        cls = getattr(api_module, name)
        for value in vars(api_module).values():
            if isinstance(value, runtime.Operation) and hasattr(cls, value.operation_id):
                found.append((cls, value))
    return found


_SAMPLES: Dict[type, Any] = {str: "sample", int: 1, float: 1.0, bool: True}


def _sweep(module: ModuleType, host: str) -> Tuple[List[str], List[str]]:
    """Call every operation that needs no body and only scalar arguments; (answered, refused) names.

    A refusal is an error status the document declares, parsed as such (Prism answers one when a
    made-up path value does not name anything it can mock); a 2xx answer must decode.
    """
    client = _client(module, host)
    answered: List[str] = []
    refused: List[str] = []
    for cls, operation in _operations(module):
        only_stream = operation.stream is not None and all("event-stream" in media for media in operation.accepts)
        if only_stream or (operation.body is not None and operation.body.required):
            continue
        required = [param for param in operation.params if param.required]
        if not all(param.type in _SAMPLES for param in required):
            continue
        method = getattr(cls(client), operation.operation_id + "_with_http_info")
        try:
            response = method(*(_SAMPLES[param.type] for param in required))
        except module.ApiException as exc:
            assert not isinstance(exc, module.ApiDecodeError), f"{operation.operation_id}: {exc}"
            assert exc.status >= 400, f"{operation.operation_id}: {exc}"
            refused.append(operation.operation_id)
            continue
        assert 200 <= response.status_code < 300
        assert not _request_violations(response), operation.operation_id
        answered.append(operation.operation_id)
    return answered, refused


@pytest.mark.parametrize("key", KEYS)
def test_every_operation_without_a_body_calls_prism(built: Dict[str, Built], generated_mock: Any, key: str) -> None:
    answered, refused = _sweep(_module(built, key), generated_mock(key))
    assert answered, refused
    assert len(answered) >= len(refused)


def _request_violations(response: Any) -> List[Any]:
    """What Prism found wrong with the request (it also reports its own made-up answers' slips)."""
    found = json.loads(response.headers.get("sl-violations") or "[]")
    return [item for item in found if item.get("location", [""])[0] == "request"]


def _no_violations(response: Any) -> Any:
    assert 200 <= response.status_code < 300
    assert not _request_violations(response)
    return response.data


CHAT_BODY = {"model": "m", "messages": [{"role": "user", "content": "Hello"}]}


@pytest.mark.parametrize("key", ["atoma_46e43c3", "atoma_bd869bb"])
def test_atoma_with_bodies_against_prism(built: Dict[str, Built], generated_mock: Any, key: str) -> None:
    module = _module(built, key)
    client = _client(module, generated_mock(key))

    chat = _no_violations(module.ChatApi(client).chat_completions_create_with_http_info(CHAT_BODY))
    embeddings = _no_violations(
        module.EmbeddingsApi(client).embeddings_create_with_http_info({"model": "m", "input": "hi"})
    )

    assert type(chat).__name__ == "ChatCompletionResponse" and isinstance(chat.choices, list)
    assert type(embeddings).__name__ == "CreateEmbeddingResponse"
    returned = inspect.signature(module.ChatApi.chat_completions_create_stream).return_annotation
    assert typing.get_origin(returned) is module.Stream  # a stream-only operation: the plain method streams


@pytest.mark.parametrize("key", ["mistral_14761ca", "mistral_8a53300"])
def test_mistral_with_bodies_against_prism(built: Dict[str, Built], generated_mock: Any, key: str) -> None:
    module = _module(built, key)
    client = _client(module, generated_mock(key))

    chat = _no_violations(module.ChatApi(client).chat_completion_v1_chat_completions_post_with_http_info(CHAT_BODY))
    fim = _no_violations(
        module.FimApi(client).fim_completion_v1_fim_completions_post_with_http_info(
            {"model": "codestral-latest", "prompt": "def"}
        )
    )
    embeddings = _no_violations(
        module.EmbeddingsApi(client).embeddings_v1_embeddings_post_with_http_info(
            {"model": "mistral-embed", "input": ["hi"]}
        )
    )

    assert type(chat).__name__ == "ChatCompletionResponse"
    assert type(fim).__name__ == "FIMCompletionResponse"
    assert type(embeddings).__name__ == "EmbeddingResponse"


def test_emissary_with_bodies_against_prism(built: Dict[str, Built], generated_mock: Any) -> None:
    module = _module(built, "emissary")
    client = _client(module, generated_mock("emissary"))
    api = module.DeploymentApi(client)

    chat = _no_violations(
        api.get_chat_completions_from_deployment_with_http_info(
            "p1", "d1", {"messages": [{"role": "user", "content": "Hello"}]}
        )
    )
    completion = _no_violations(api.get_completions_from_deployment_with_http_info("p1", "d1", {"prompt": "Hello"}))

    assert chat is not None and completion is not None


def test_tachyon_chat_against_prism(built: Dict[str, Built], generated_mock: Any) -> None:
    module = _module(built, "tachyon")
    client = _client(module, generated_mock("tachyon"))
    api = module.ChatApi(client)
    body = {"model": "anthropic/claude-sonnet-4.5", "messages": [{"role": "user", "content": "Hello"}]}
    names = list(inspect.signature(api.chat_completion).parameters)
    arguments = [
        "tn_real" if "operator" in name else "Bearer real" for name in names[: names.index("chat_completion_request")]
    ]

    answer = _no_violations(api.chat_completion_with_http_info(*arguments, body))

    assert answer is not None


# --- streams against a local server speaking the real wire format -------------------------------------


def _atoma_chunks() -> List[Dict[str, Any]]:
    def chunk(content: Any, finish: Any = None, usage: Any = None) -> Dict[str, Any]:
        choices = (
            []
            if content is None
            else [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": finish}]
        )
        return {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1737800000,
            "model": "m",
            "choices": choices,
            "usage": usage,
        }

    usage = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
    return [chunk("Hel"), chunk("lo", finish="stop"), chunk(None, usage=usage)]


@pytest.mark.parametrize("key", ["atoma_46e43c3", "atoma_bd869bb"])
def test_atoma_stream_ends_when_the_server_closes_after_usage(
    built: Dict[str, Built], http_server: ScriptedServer, key: str
) -> None:
    module = _module(built, key)
    chunks = _atoma_chunks()
    http_server.reply(200, body=[_events(chunk) for chunk in chunks], headers=SSE)
    http_server.reply(200, body=[_events(chunk) for chunk in chunks[:2]], headers=SSE, end=False)
    api = module.ChatApi(_client(module, http_server.url))
    body = {**CHAT_BODY, "stream": True}

    with api.chat_completions_create_stream(body) as stream:
        received = list(stream)
    delivered: List[Any] = []
    with api.chat_completions_create_stream(body) as stream, pytest.raises(module.StreamError) as cut:
        delivered.extend(stream)

    assert [type(chunk).__name__ for chunk in received] == ["ChatCompletionChunk"] * 3
    assert [c.choices[0].delta.content for c in received[:2]] == ["Hel", "lo"]
    usage = received[2].usage  # a model where the document declares it, else the unknown field as given
    assert (usage["total_tokens"] if isinstance(usage, dict) else usage.total_tokens) == 7
    assert len(delivered) == 2 and cut.value.chunks_received == 2
    request = http_server.requests[0]
    assert request.path == "/v1/chat/completions"  # not "#stream"
    assert request.header("Accept") == "text/event-stream" and request.json()["stream"] is True


@pytest.mark.parametrize("key", ["mistral_14761ca", "mistral_8a53300"])
def test_mistral_stream_ends_with_done(built: Dict[str, Built], http_server: ScriptedServer, key: str) -> None:
    module = _module(built, key)

    def chunk(content: str, finish: Any = None, **extra: Any) -> Dict[str, Any]:
        choice = {"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": finish}
        return {
            "id": "cmpl-1",
            "object": "chat.completion.chunk",
            "created": 1731900000,
            "model": "mistral-small-latest",
            "choices": [choice],
            **extra,
        }

    usage = {"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12}
    body = [_events(chunk("Hel"), chunk("lo")), _events(chunk("", "stop", usage=usage)) + b"data: [DONE]\n\n"]
    http_server.reply(200, body=body, headers=SSE)
    http_server.reply(200, body=[_events(chunk("Hel"))], headers=SSE, end=False)  # cut short
    api = module.ChatApi(_client(module, http_server.url))

    with api.chat_completion_v1_chat_completions_post_stream(CHAT_BODY) as stream:
        texts = [c.choices[0].delta.content for c in stream]
    delivered: List[Any] = []
    with api.chat_completion_v1_chat_completions_post_stream(CHAT_BODY) as stream, pytest.raises(module.StreamError):
        delivered.extend(stream)

    assert texts == ["Hel", "lo", ""] and len(delivered) == 1
    sent = http_server.requests[0]
    assert sent.path == "/v1/chat/completions" and sent.json()["stream"] is True


def test_tachyon_agent_stream_of_named_events(built: Dict[str, Built], http_server: ScriptedServer) -> None:
    module = _module(built, "tachyon")
    say = {"type": "say", "index": 0, "text": "I'll help you with that task."}
    usage = {"type": "usage", "prompt_tokens": 150, "completion_tokens": 50, "total_tokens": 200}
    wire = b"".join(
        b"event: " + name.encode() + b"\ndata: " + json.dumps(data).encode() + b"\n\n"
        for name, data in (("say", say), ("usage", usage))
    )
    http_server.reply(200, body=[wire, b"event: done\ndata: {}\n\n"], headers=SSE)
    api = module.AgentApi(_client(module, http_server.url))
    signature = inspect.signature(api.execute_agent)
    required = [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.default is parameter.empty
    ]
    body_name = required[-1]
    arguments = [
        "ch_1" if "chatroom" in name else "tn_real" if "operator" in name else "Bearer real" for name in required[:-1]
    ]

    with api.execute_agent(*arguments, {"task": "Hello"} if body_name else None) as stream:
        events = [(event.event, json.loads(event.data)) for event in stream.events()]

    chunks = [stream.chunk_type.model_validate(data) for _, data in events]  # each event's data is an AgentChunk

    assert isinstance(stream, module.Stream) and stream.chunk_type is module.AgentChunk
    assert events == [("say", say), ("usage", usage)]
    assert [chunk.text for chunk in chunks[:1]] == [say["text"]] and chunks[1].total_tokens == 200
    assert http_server.requests[0].header("Accept") == "text/event-stream"
