"""Error answers as the real services send them: each exception carries the server's own text.

Tachyon answers ``"<Variant>: text"`` as a JSON string or as ``{"error": ...}``, newer parts ``{"code",
"message"}``, and its web framework rejects bodies in plain text (400, 415, 422); 402 means no credits.
Emissary answers ``{status, error}`` and ``{status, error, code}``. For each: the class for the status, the
first line of ``str(exc)`` ``(status) Reason: server text``, ``.server_message``, ``.data`` parsed where the
body fits the declared model, and the headers and body kept.
"""

import json
from dataclasses import dataclass
from typing import Any, Callable, Optional, Type

import pytest

import tachyon_sdk
from tachyon_sdk.exceptions import (
    ApiException,
    BadRequestException,
    NotFoundException,
    PaymentRequiredException,
    ServiceException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from tachyon_sdk.models.api_error_invalid_input import APIErrorInvalidInput
from tachyon_sdk.models.api_error_not_found import APIErrorNotFound
from tachyon_sdk.models.api_error_unauthorized import APIErrorUnauthorized
from tachyon_sdk.models.error_response import ErrorResponse

from ..conftest import ClientKit, ScriptedServer
from ._real import (
    API_KEY,
    AUTHORIZATION,
    CHAT_BODY,
    CHATROOM,
    DEPLOYMENT,
    DEPLOYMENT_CHAT_BODY,
    DEPLOYMENT_COMPLETION_BODY,
    JSON,
    OPERATOR,
    PROJECT,
    TEXT,
    fixture,
)

MakeClient = Callable[..., ClientKit]


def call_chat(client: tachyon_sdk.ApiClient) -> Any:
    return tachyon_sdk.ChatApi(client).chat_completion(OPERATOR, AUTHORIZATION, CHAT_BODY)


def call_chatroom(client: tachyon_sdk.ApiClient) -> Any:
    return tachyon_sdk.ChatApi(client).chat_completion_on_chatroom(CHATROOM, OPERATOR, AUTHORIZATION, CHAT_BODY)


def call_chat_stream(client: tachyon_sdk.ApiClient) -> Any:
    return tachyon_sdk.ChatApi(client).chat_completion_stream(OPERATOR, AUTHORIZATION, CHAT_BODY)


def call_deployment_chat(client: tachyon_sdk.ApiClient) -> Any:
    return tachyon_sdk.DeploymentsApi(client).get_chat_completions_from_deployment(
        PROJECT, DEPLOYMENT, DEPLOYMENT_CHAT_BODY
    )


def call_deployment_completion(client: tachyon_sdk.ApiClient) -> Any:
    return tachyon_sdk.DeploymentsApi(client).get_completions_from_deployment(
        PROJECT, DEPLOYMENT, DEPLOYMENT_COMPLETION_BODY
    )


@dataclass(frozen=True)
class Case:
    call: Callable[[tachyon_sdk.ApiClient], Any]
    status: int
    fixture: str
    error: Type[ApiException]
    first_line: str  # of str(exc)
    server_message: str
    model: Optional[Type[Any]]  # the type of .data; None: the body fits no declared model


CASES = {
    "tachyon_json_string": Case(
        call_chat, 400, "errors/tachyon_json_string.json", BadRequestException,
        "(400) Bad Request: BadRequest: messages must not be empty",
        "BadRequest: messages must not be empty", None,
    ),
    "tachyon_error_variant": Case(
        call_chat, 401, "errors/tachyon_error_variant.json", UnauthorizedException,
        "(401) Unauthorized: Unauthorized: invalid or expired API key",
        "Unauthorized: invalid or expired API key", ErrorResponse,
    ),
    "tachyon_code_message": Case(
        call_chatroom, 404, "errors/tachyon_code_message.json", NotFoundException,
        "(404) Not Found: NOT_FOUND: Chatroom not found: room-404",
        "NOT_FOUND: Chatroom not found: room-404", ErrorResponse,
    ),
    "tachyon_402": Case(
        call_chat, 402, "errors/tachyon_payment_required.json", PaymentRequiredException,
        "(402) Payment Required: PaymentRequired: insufficient credits",
        "PaymentRequired: insufficient credits", ErrorResponse,
    ),
    "tachyon_402_to_a_stream": Case(
        call_chat_stream, 402, "errors/tachyon_payment_required.json", PaymentRequiredException,
        "(402) Payment Required: PaymentRequired: insufficient credits",
        "PaymentRequired: insufficient credits", ErrorResponse,
    ),
    "tachyon_502": Case(
        call_chatroom, 502, "errors/tachyon_bad_gateway.json", ServiceException,
        "(502) Bad Gateway: BadGateway: the model provider is unavailable",
        "BadGateway: the model provider is unavailable", ErrorResponse,
    ),
    "axum_400": Case(
        call_chat, 400, "errors/axum_400.txt", BadRequestException,
        "(400) Bad Request: Failed to parse the request body as JSON: key must be a string at line 1 column 2",
        "Failed to parse the request body as JSON: key must be a string at line 1 column 2", None,
    ),
    "axum_415": Case(
        call_chatroom, 415, "errors/axum_415.txt", ApiException,
        "(415) Unsupported Media Type: Expected request with `Content-Type: application/json`",
        "Expected request with `Content-Type: application/json`", None,
    ),
    "axum_422": Case(
        call_chat, 422, "errors/axum_422.txt", UnprocessableEntityException,
        "(422) Unprocessable Entity: Failed to deserialize the JSON body into the target type: "
        "missing field `messages` at line 1 column 15",
        "Failed to deserialize the JSON body into the target type: missing field `messages` at line 1 column 15",
        None,
    ),
    "emissary_400": Case(
        call_deployment_chat, 400, "errors/emissary_400.json", BadRequestException,
        "(400) Bad Request: prompt is required", "prompt is required", APIErrorInvalidInput,
    ),
    "emissary_401": Case(
        call_deployment_completion, 401, "errors/emissary_401.json", UnauthorizedException,
        "(401) Unauthorized", "Unauthorized", APIErrorUnauthorized,  # the text is the reason: said once
    ),
    "emissary_404": Case(
        call_deployment_chat, 404, "errors/emissary_404.json", NotFoundException,
        "(404) Not Found: Deployment not found", "Deployment not found", APIErrorNotFound,
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_error_answer_carries_the_server_text(http_server: ScriptedServer, make_client: MakeClient, name: str) -> None:
    case = CASES[name]
    body = fixture(case.fixture)
    headers = TEXT if case.fixture.endswith(".txt") else JSON
    http_server.reply(case.status, body=body, headers=headers)
    client = make_client(api_key={"api_key": API_KEY}, retries=0).client

    with pytest.raises(ApiException) as caught:
        case.call(client)

    error = caught.value
    assert type(error) is case.error
    assert error.status == case.status
    assert str(error).splitlines()[0] == case.first_line
    assert error.server_message == case.server_message
    assert error.body == body.decode()
    assert error.headers is not None
    assert (error.headers["X-Request-Id"], error.headers["Content-Type"]) == (
        headers["X-Request-Id"],
        headers["Content-Type"],
    )
    if case.model is None:
        assert error.data is None
    else:
        assert type(error.data) is case.model
        assert error.data.to_dict() == json.loads(body)
    assert len(http_server.requests) == 1  # 4xx and (with retries=0) 5xx: sent once


def test_emissary_error_models_read_every_field(http_server: ScriptedServer, make_client: MakeClient) -> None:
    for name in ("errors/emissary_400.json", "errors/emissary_401.json", "errors/emissary_404.json"):
        http_server.reply(int(json.loads(fixture(name))["status"]), body=fixture(name), headers=JSON)
    client = make_client(api_key={"api_key": API_KEY}, retries=0).client
    errors = []
    for call in (call_deployment_chat, call_deployment_completion, call_deployment_chat):
        with pytest.raises(ApiException) as caught:
            call(client)
        errors.append(caught.value.data)

    invalid, unauthorized, not_found = errors
    assert isinstance(invalid, APIErrorInvalidInput) and (invalid.status, invalid.error) == (400, "prompt is required")
    assert isinstance(unauthorized, APIErrorUnauthorized)
    assert (unauthorized.status, unauthorized.error) == (401, "Unauthorized")
    assert isinstance(not_found, APIErrorNotFound)
    assert (not_found.status, not_found.error, not_found.code) == (404, "Deployment not found", "object_not_found")


def test_tachyon_error_models_read_both_shapes(http_server: ScriptedServer, make_client: MakeClient) -> None:
    http_server.reply(401, body=fixture("errors/tachyon_error_variant.json"), headers=JSON)
    http_server.reply(404, body=fixture("errors/tachyon_code_message.json"), headers=JSON)
    client = make_client(retries=0).client
    with pytest.raises(UnauthorizedException) as variant:
        call_chat(client)
    with pytest.raises(NotFoundException) as coded:
        call_chatroom(client)

    assert isinstance(variant.value.data, ErrorResponse)
    assert (variant.value.data.error, variant.value.data.code, variant.value.data.message) == (
        "Unauthorized: invalid or expired API key",
        None,
        None,
    )
    assert isinstance(coded.value.data, ErrorResponse)
    assert (coded.value.data.error, coded.value.data.code, coded.value.data.message) == (
        None,
        "NOT_FOUND",
        "Chatroom not found: room-404",
    )
