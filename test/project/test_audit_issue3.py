"""Issue 3 promises checked on the four real operations (generated ChatApi/DeploymentsApi), over real sockets.

The runtime tests (test/wire) prove most of these on small hand-made operations; these tests prove them
on what users call: the spec carries every seed and real request field with the real bounds (never
stricter than the real server), only the fields a user set reach the wire, unknown fields and enum
values survive in both directions, invalid input never leaves the process while what the real server
takes always does, each error status gives its class and model in the real services' error shapes, and
the README's "Getting started" example prints every field.
"""

import json
import pprint
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple, Type

import pydantic
import pytest
import yaml

import tachyon_sdk
from tachyon_sdk.api_client import ApiClient
from tachyon_sdk.configuration import Configuration
from tachyon_sdk.exceptions import (
    ApiDecodeError,
    ApiException,
    ApiValidationError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    PaymentRequiredException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from tachyon_sdk.testing import LocalServer

from ..conftest import ScriptedServer

ROOT = Path(__file__).resolve().parents[2]

# --- the spec carries every request field of seeds 000-004 -------------------------------------------------

# Seeds 000/001 (deployment bodies), the real Tachyon request and the OpenAI-compatible chat parameters of
# seeds 002/004: field -> (minimum, maximum) as the real documents state them; None where they state no bound.
# The real Emissary document puts no bound on any deployment field, so the spec must not either.
DEPLOYMENT_SEED_FIELDS: Dict[str, Tuple[Any, Any]] = {
    "streaming": (None, None),
    "temperature": (None, None),
    "max_new_tokens": (None, None),
    "top_p": (None, None),
    "top_k": (None, None),
    "no_repeat_ngram_size": (None, None),
    "do_sample": (None, None),
}
CHAT_SEED_FIELDS: Dict[str, Tuple[Any, Any]] = {
    "messages": (None, None),
    "model": (None, None),
    "frequency_penalty": (-2, 2),
    "logit_bias": (None, None),
    "max_tokens": (None, None),
    "max_completion_tokens": (None, None),
    "n": (1, 10),
    "presence_penalty": (-2, 2),
    "response_format": (None, None),
    "seed": (None, None),
    "stop": (None, None),
    "stream": (None, None),
    "stream_options": (None, None),
    "temperature": (0, 2),
    "tool_choice": (None, None),
    "tools": (None, None),
    "top_p": (0, 1),
    "user": (None, None),
    "memory_settings": (None, None),
    "communication_style": (None, None),
    "explanation_style": (None, None),
    "technical_level": (None, None),
    "web_search": (None, None),
    "functions": (None, None),
    "function_call": (None, None),
}


def _spec() -> Dict[str, Any]:
    loaded: Dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return loaded


def _has_type(prop: Dict[str, Any], schemas: Dict[str, Any]) -> bool:
    """A property is typed by ``type``, a ``$ref`` to a typed schema, or a union of typed members."""
    if "type" in prop:
        return True
    if "$ref" in prop:
        return _has_type(schemas[prop["$ref"].rsplit("/", 1)[1]], schemas)
    members = prop.get("anyOf") or prop.get("oneOf")
    return bool(members) and all(_has_type(member, schemas) for member in members)


@pytest.mark.parametrize(
    ("schema", "fields"),
    [
        ("ChatCompletionRequest", CHAT_SEED_FIELDS),
        ("GetChatCompletionsFromDeploymentRequestBody", {"messages": (None, None), **DEPLOYMENT_SEED_FIELDS}),
        ("GetCompletionsFromDeploymentRequestBody", {"prompt": (None, None), **DEPLOYMENT_SEED_FIELDS}),
    ],
)
def test_every_seed_request_field_is_in_the_spec_typed_described_and_bounded(
    schema: str, fields: Dict[str, Tuple[Any, Any]]
) -> None:
    schemas = _spec()["components"]["schemas"]
    properties = schemas[schema]["properties"]
    for name, (minimum, maximum) in fields.items():
        assert name in properties, f"{schema}.{name} is missing"
        prop = properties[name]
        assert _has_type(prop, schemas), f"{schema}.{name} has no type"
        target = schemas[prop["$ref"].rsplit("/", 1)[1]] if "$ref" in prop else prop
        assert prop.get("description") or target.get("description"), f"{schema}.{name} has no description"
        assert prop.get("minimum") == minimum, f"{schema}.{name} minimum"
        assert prop.get("maximum") == maximum, f"{schema}.{name} maximum"
    if schema == "ChatCompletionRequest":
        array = next(member for member in properties["stop"]["anyOf"] if member.get("type") == "array")
        assert array["maxItems"] == 4
        bias = properties["logit_bias"]["additionalProperties"]
        assert (bias["minimum"], bias["maximum"]) == (-100, 100)
        assert "minItems" not in properties["messages"]  # the real server takes an empty list
        for name in ("frequency_penalty", "presence_penalty", "max_completion_tokens", "n", "stream", "temperature"):
            assert "default" in properties[name], f"{schema}.{name} has no default"
    else:
        for name in DEPLOYMENT_SEED_FIELDS:
            assert not {"minimum", "maximum", "minLength"} & set(properties[name]), f"{schema}.{name} is bounded"


# --- the four operations, called through the generated API ---------------------------------------------------

CHAT_BODY: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
DEPLOYMENT_CHAT_BODY: Dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
COMPLETION_BODY: Dict[str, Any] = {"prompt": "Once"}

CHAT_JSON: Dict[str, Any] = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}
ANSWERS: Dict[str, Dict[str, Any]] = {
    "chat_completion": CHAT_JSON,
    "chat_completion_on_chatroom": {**CHAT_JSON, "chatroom_id": "room-1"},
    "get_chat_completions_from_deployment": {"id": "d1", "response": "Hello"},
    "get_completions_from_deployment": {"id": "d2", "response": "upon a time"},
}
RESPONSE_MODELS = {
    "chat_completion": "ChatCompletionResponse",
    "chat_completion_on_chatroom": "ChatCompletionWithChatroomResponse",
    "get_chat_completions_from_deployment": "GetChatCompletionsFromDeploymentResponseBody",
    "get_completions_from_deployment": "GetCompletionsFromDeploymentResponseBody",
}
REQUEST_MODELS = {
    "chat_completion": "ChatCompletionRequest",
    "chat_completion_on_chatroom": "ChatCompletionRequest",
    "get_chat_completions_from_deployment": "GetChatCompletionsFromDeploymentRequestBody",
    "get_completions_from_deployment": "GetCompletionsFromDeploymentRequestBody",
}
BODY_ARGUMENTS = {
    "chat_completion": "chat_completion_request",
    "chat_completion_on_chatroom": "chat_completion_request",
    "get_chat_completions_from_deployment": "get_chat_completions_from_deployment_request_body",
    "get_completions_from_deployment": "get_completions_from_deployment_request_body",
}
PATHS = {
    "chat_completion": "/v1/llms/chat/completions",
    "chat_completion_on_chatroom": "/v1/llms/chatrooms/room-1/chat/completions",
    "get_chat_completions_from_deployment": "/v1/projects/proj/deployments/dep/chat/completions",
    "get_completions_from_deployment": "/v1/projects/proj/deployments/dep/completions",
}
OPERATIONS = list(ANSWERS)


def call(client: ApiClient, operation: str, body: Any, **options: Any) -> Any:
    """Call ``operation`` of the generated API with fixed path and header arguments."""
    if operation == "chat_completion":
        return tachyon_sdk.ChatApi(client).chat_completion("tn_1", "Bearer sk-audit", body, **options)
    if operation == "chat_completion_on_chatroom":
        return tachyon_sdk.ChatApi(client).chat_completion_on_chatroom(
            "room-1", "tn_1", "Bearer sk-audit", body, **options
        )
    api = tachyon_sdk.DeploymentsApi(client)
    method: Callable[..., Any] = getattr(api, operation)
    return method("proj", "dep", body, **options)


def minimal_body(operation: str) -> Dict[str, Any]:
    if operation.startswith("chat"):
        return json.loads(json.dumps(CHAT_BODY))
    if operation == "get_chat_completions_from_deployment":
        return json.loads(json.dumps(DEPLOYMENT_CHAT_BODY))
    return dict(COMPLETION_BODY)


@pytest.fixture
def client(http_server: ScriptedServer) -> Any:
    configuration = Configuration(host=http_server.url, api_key={"api_key": "sk-audit"}, retries=0)
    with ApiClient(configuration) as api_client:
        yield api_client


# --- unset fields are never sent ---------------------------------------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("as_model", [True, False], ids=["model", "dict"])
def test_only_the_fields_the_user_set_are_sent(
    http_server: ScriptedServer, client: ApiClient, operation: str, as_model: bool
) -> None:
    http_server.reply(200, json=ANSWERS[operation])
    sent = {**minimal_body(operation), "temperature": 0.5}
    body = getattr(tachyon_sdk, REQUEST_MODELS[operation])(**sent) if as_model else sent

    call(client, operation, body)

    [request] = http_server.requests
    assert request.path == PATHS[operation]
    assert request.json() == sent  # no default (stream, streaming, n, top_p ...) and no null was added


# --- unknown fields and enum values: kept in a request the user builds, and in a response --------------------


@pytest.mark.parametrize("operation", OPERATIONS)
def test_unknown_fields_and_enum_values_in_a_request_model_reach_the_wire(
    http_server: ScriptedServer, client: ApiClient, operation: str
) -> None:
    # Issue 13: a field the model does not declare is refused (a typo is never sent); a field the SDK does
    # not know yet goes through `_extra_body`, merged into the body as given. Enum values stay open.
    http_server.reply(200, json=ANSWERS[operation])
    wire: Dict[str, Any]
    if operation == "get_completions_from_deployment":
        wire = {"prompt": "Once"}
    else:
        wire = {"messages": [{"role": "developer", "content": "Be brief."}]}
    model = getattr(tachyon_sdk, REQUEST_MODELS[operation])(**wire)
    if "messages" in wire:
        role = model.messages[0].role
        assert role == "developer"
        if operation == "get_chat_completions_from_deployment":  # an enum there (system/user/assistant): open
            assert role.is_known is False
        else:  # a plain string in the real Tachyon request
            assert type(role) is str
    with pytest.raises(ApiValidationError, match="added_later"):
        getattr(tachyon_sdk, REQUEST_MODELS[operation])(**wire, added_later={"k": [1, 2]})

    call(client, operation, model, _extra_body={"added_later": {"k": [1, 2]}})

    assert http_server.requests[0].json() == {**wire, "added_later": {"k": [1, 2]}}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_unknown_fields_and_enum_values_in_a_response_are_kept_and_round_trip(
    http_server: ScriptedServer, client: ApiClient, operation: str
) -> None:
    answer = json.loads(json.dumps(ANSWERS[operation]))
    answer["service_tier"] = "priority"
    if operation.startswith("chat"):
        choice = answer["choices"][0]
        choice["finish_reason"] = "paused_for_review"
        choice["message"]["role"] = "critic"
        choice["message"]["annotations"] = [{"kind": "x"}]
    http_server.reply(200, json=answer)

    response = call(client, operation, minimal_body(operation))

    assert type(response).__name__ == RESPONSE_MODELS[operation]
    assert response.model_extra == {"service_tier": "priority"}
    if operation.startswith("chat"):
        choice = response.choices[0]
        assert choice.finish_reason == "paused_for_review" and choice.finish_reason.is_known is False
        assert choice.message.role == "critic"
        assert choice.message.model_extra == {"annotations": [{"kind": "x"}]}
    else:
        assert response.response == answer["response"]
    assert response.to_dict() == answer
    assert type(response).from_json(response.to_json()) == response


# --- invalid input raises before anything is sent, naming the field ----------------------------------------

INVALID: List[Tuple[str, Dict[str, Any], str]] = [
    # (operation, body, the field named in the message)
    ("chat_completion", {"temperature": 1}, "messages"),  # missing
    ("chat_completion", {"messages": "Hi"}, "messages"),  # mistyped
    ("chat_completion", {**CHAT_BODY, "temperature": 2.5}, "temperature"),  # out of range
    ("chat_completion", {**CHAT_BODY, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
    ("chat_completion_on_chatroom", {**CHAT_BODY, "n": 0}, "n"),
    ("chat_completion_on_chatroom", {**CHAT_BODY, "top_p": 1.5}, "top_p"),
    ("chat_completion_on_chatroom", {**CHAT_BODY, "n": 11}, "n"),
    ("chat_completion_on_chatroom", {"messages": [{"content": "no role"}]}, "role"),
    ("get_chat_completions_from_deployment", {"messages": "Hi"}, "messages"),
    ("get_chat_completions_from_deployment", {"messages": [{"role": "user"}]}, "content"),
    ("get_chat_completions_from_deployment", {**DEPLOYMENT_CHAT_BODY, "max_new_tokens": "many"}, "max_new_tokens"),
    ("get_completions_from_deployment", {}, "prompt"),
    ("get_completions_from_deployment", {"prompt": 5}, "prompt"),
    ("get_completions_from_deployment", {"prompt": "p", "temperature": "hot"}, "temperature"),
]

# What the real servers take: no minItems on messages, any role string in chat, no ranges on deployment bodies.
LEGAL: List[Tuple[str, Dict[str, Any]]] = [
    ("chat_completion", {"messages": []}),
    ("chat_completion", {"messages": [{"role": "developer", "content": "x"}], "n": 10, "max_tokens": 0}),
    ("chat_completion_on_chatroom", {**CHAT_BODY, "temperature": 2, "top_p": 0, "communication_style": "any"}),
    ("get_chat_completions_from_deployment", {"messages": [], "top_k": 0, "temperature": 5, "max_new_tokens": 0}),
    ("get_completions_from_deployment", {"prompt": "", "top_p": 3, "no_repeat_ngram_size": -1}),
]


@pytest.mark.parametrize(("operation", "body", "field"), INVALID)
def test_an_invalid_dict_body_is_refused_before_anything_is_sent(
    http_server: ScriptedServer, client: ApiClient, operation: str, body: Dict[str, Any], field: str
) -> None:
    with pytest.raises(ApiValueError) as caught:
        call(client, operation, body)

    assert re.search(rf"\b{field}\b", str(caught.value)), str(caught.value)
    assert http_server.requests == []
    assert http_server.connection_count == 0


@pytest.mark.parametrize(("operation", "body"), LEGAL)
@pytest.mark.parametrize("as_model", [True, False], ids=["model", "dict"])
def test_what_the_real_server_takes_is_sent_as_is(
    http_server: ScriptedServer, client: ApiClient, operation: str, body: Dict[str, Any], as_model: bool
) -> None:
    http_server.reply(200, json=ANSWERS[operation])
    argument = getattr(tachyon_sdk, REQUEST_MODELS[operation])(**body) if as_model else body

    call(client, operation, argument)

    [request] = http_server.requests
    assert request.json() == body


@pytest.mark.parametrize(("operation", "body", "field"), INVALID)
def test_an_invalid_model_cannot_be_built_nor_made_invalid_afterwards(
    http_server: ScriptedServer, operation: str, body: Dict[str, Any], field: str
) -> None:
    model_class = getattr(tachyon_sdk, REQUEST_MODELS[operation])
    with pytest.raises(ApiValidationError) as caught:  # an SDK exception (issue 13), pydantic's as its cause
        model_class(**body)
    assert re.search(rf"\b{field}\b", str(caught.value)), str(caught.value)

    valid = model_class(**minimal_body(operation))
    with pytest.raises(ApiValidationError, match="temperature"):
        valid.temperature = "hot"  # validate_assignment
    assert http_server.requests == []


@pytest.mark.parametrize("operation", OPERATIONS)
def test_missing_or_mistyped_arguments_are_refused_before_anything_is_sent(
    http_server: ScriptedServer, client: ApiClient, operation: str
) -> None:
    with pytest.raises(ApiValueError, match=BODY_ARGUMENTS[operation]):
        call(client, operation, None)
    with pytest.raises(OpenApiException, match=BODY_ARGUMENTS[operation]):
        call(client, operation, ["not", "a", "body"])
    assert http_server.requests == []


# --- each status gives its class, with the parsed error model the spec declares -----------------------------
# Tachyon answers {"error": "<Variant>: text"} (ErrorResponse) for every error; Emissary {status, error}, read
# by APIErrorInvalidInput (400), APIErrorUnauthorized (401), APIErrorNotFound (404), ErrorResponse otherwise.

STATUSES: List[Tuple[int, Type[ApiException], str]] = [
    (400, BadRequestException, "BadRequest"),
    (401, UnauthorizedException, "Unauthorized"),
    (402, PaymentRequiredException, "PaymentRequired"),
    (403, ForbiddenException, "Forbidden"),
    (404, NotFoundException, "NotFound"),
    (409, ConflictException, "Conflict"),
    (422, UnprocessableEntityException, "UnprocessableEntity"),
    (429, TooManyRequestsException, "TooManyRequests"),
    (418, ApiException, "ImATeapot"),
    (500, ServiceException, "InternalServerError"),
    (503, ServiceException, "ServiceUnavailable"),
]
EMISSARY_MODELS = {400: "APIErrorInvalidInput", 401: "APIErrorUnauthorized", 404: "APIErrorNotFound"}


def error_payload(operation: str, status: int, variant: str) -> Tuple[Dict[str, Any], str]:
    """The error body the real service of ``operation`` sends for ``status``, and the model that reads it."""
    if operation.startswith("chat"):
        return {"error": f"{variant}: the audit request failed"}, "ErrorResponse"
    payload: Dict[str, Any] = {"status": status, "error": "the audit request failed"}
    if status == 404:
        payload["code"] = "object_not_found"
    return payload, EMISSARY_MODELS.get(status, "ErrorResponse")


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(("status", "klass", "variant"), STATUSES, ids=[str(s[0]) for s in STATUSES])
def test_each_error_status_of_each_operation_raises_its_class_with_its_model(
    http_server: ScriptedServer,
    client: ApiClient,
    operation: str,
    status: int,
    klass: Type[ApiException],
    variant: str,
) -> None:
    payload, model = error_payload(operation, status, variant)
    http_server.reply(status, json=payload, headers={"X-Request-Id": "req-audit"})

    with pytest.raises(ApiException) as caught:
        call(client, operation, minimal_body(operation))

    error = caught.value
    assert type(error) is klass
    assert error.status == status and error.reason
    assert error.headers is not None and error.headers["X-Request-Id"] == "req-audit"
    assert json.loads(error.body or "") == payload
    assert type(error.data).__name__ == model
    assert error.data.to_dict() == payload
    assert error.server_message == payload["error"]
    assert str(error).splitlines()[0] == f"({status}) {error.reason}: {payload['error']}"


BROKEN_BODIES: List[Tuple[int, Type[ApiException], bytes, str]] = [
    (400, BadRequestException, b'{"message": "cut', "application/json"),
    (404, NotFoundException, b"<html><body>Not Found</body></html>", "text/html"),
    (422, UnprocessableEntityException, b"detail: nope", "text/plain"),
    (429, TooManyRequestsException, b"", "application/json"),
    (502, ServiceException, b"<html><h1>502 Bad Gateway</h1></html>", "text/html"),
]


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    ("status", "klass", "raw", "content_type"), BROKEN_BODIES, ids=[str(b[0]) for b in BROKEN_BODIES]
)
def test_html_or_malformed_error_bodies_still_give_the_right_class_carrying_the_text(
    http_server: ScriptedServer,
    client: ApiClient,
    operation: str,
    status: int,
    klass: Type[ApiException],
    raw: bytes,
    content_type: str,
) -> None:
    http_server.reply(status, body=raw, headers={"Content-Type": content_type})

    with pytest.raises(ApiException) as caught:
        call(client, operation, minimal_body(operation))

    assert type(caught.value) is klass
    assert caught.value.status == status
    assert (caught.value.body or "") == raw.decode()
    assert caught.value.data is None


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b'{"id": "c1", ', "application/json"),  # malformed JSON
        (b'{"id": 5}', "application/json"),  # JSON that is not the model
        (b"<html>login</html>", "text/html"),
        (b"", "application/json"),
    ],
    ids=["malformed", "wrong-shape", "html", "empty"],
)
def test_an_undecodable_200_is_an_openapi_exception_never_a_json_or_pydantic_error(
    http_server: ScriptedServer, client: ApiClient, operation: str, raw: bytes, content_type: str
) -> None:
    http_server.reply(200, body=raw, headers={"Content-Type": content_type})

    with pytest.raises(OpenApiException) as caught:
        call(client, operation, minimal_body(operation))

    assert isinstance(caught.value, ApiDecodeError)
    assert caught.value.status == 200
    assert not isinstance(caught.value, (json.JSONDecodeError, pydantic.ValidationError))


# --- notebooks and the README -------------------------------------------------------------------------------


def test_pprint_and_ipython_show_every_field_of_a_response(http_server: ScriptedServer, client: ApiClient) -> None:
    answer = {
        **CHAT_JSON,
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
        "service_tier": "priority",
    }
    http_server.reply(200, json=answer)
    response = call(client, "chat_completion", CHAT_BODY)

    text = pprint.pformat(response)

    assert text.startswith("ChatCompletionResponse(\n")
    for name in tachyon_sdk.ChatCompletionResponse.model_fields:
        assert f"\n    {name}=" in text, name
    assert "\n    service_tier='priority'," in text
    assert "message=ChatCompletionResponseMessage(" in text
    assert (
        "usage=CompletionUsage(\n        prompt_tokens=3,\n        completion_tokens=1,\n        total_tokens=4,\n"
        in text
    )
    parts: List[str] = []

    class Printer:
        def text(self, value: str) -> None:
            parts.append(value)

    response._repr_pretty_(Printer(), False)
    assert parts == [text]
    assert response.to_str() == pprint.pformat(answer)


def test_readme_getting_started_example_prints_the_response(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Getting started\n", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    assert "api_instance.chat_completion(x_operator_id, authorization, chat_completion_request)" in code
    namespace: Dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # as written: it starts its own LocalServer
    server = namespace["server"]
    assert isinstance(server, LocalServer) and not server.running
    [request] = server.requests

    out = capsys.readouterr().out
    assert "Exception when calling" not in out
    assert out.startswith("The response of ChatApi->chat_completion:\n")
    assert "ChatCompletionResponse(\n" in out
    assert "content='Hi'," in out
    assert request.operation == "chat_completion"
    assert request.body == {"messages": [{"role": "user", "content": "Hi"}]}
