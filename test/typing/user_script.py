"""Type-checked, never run: a typical user's script, as a new user writes it from the README.

test_examples_typing.py runs ``mypy --strict`` on it with no pydantic plugin. Plain calls with dict
and model bodies, string values for enums, streaming through ``_stream``, ``_with_http_info``,
``_extra_body`` and error handling must all type-check without a cast; ``assert_type`` pins the
types a user relies on.
"""

import os
import sys
from typing import List, Optional

from typing_extensions import assert_type

import tachyon_sdk
from tachyon_sdk.api_response import ApiResponse
from tachyon_sdk.exceptions import ApiValidationError, OpenApiException, UnauthorizedException
from tachyon_sdk.helpers import answer_text, collect_chat_completion, text_deltas
from tachyon_sdk.models.chat_completion_chunk_response import ChatCompletionChunkResponse
from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage
from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.deployment_message import DeploymentMessage
from tachyon_sdk.models.get_chat_completions_from_deployment_request_body import (
    GetChatCompletionsFromDeploymentRequestBody,
)
from tachyon_sdk.models.get_chat_completions_from_deployment_response_body import (
    GetChatCompletionsFromDeploymentResponseBody,
)
from tachyon_sdk.streaming import Stream

OPERATOR = os.environ.get("TACHYON_OPERATOR_ID", "tn_xxxxxx")
AUTHORIZATION = "Bearer " + os.environ.get("TACHYON_API_KEY", "xxxxx")


def ask(api: tachyon_sdk.ChatApi, question: str) -> Optional[str]:
    request = ChatCompletionRequest(
        messages=[{"role": "system", "content": "Be brief."}, ChatCompletionMessage(role="user", content=question)],
        temperature=0.2,
        max_completion_tokens=256,
        tool_choice="auto",  # an enum field takes its plain string value
        stop=["\n\n"],
    )
    response = api.chat_completion(OPERATOR, AUTHORIZATION, request)
    assert_type(response, ChatCompletionResponse)
    message = response.choices[0].message
    if message is not None and isinstance(message.content, str):
        return message.content
    return answer_text(response) or None


def ask_with_a_dict(api: tachyon_sdk.ChatApi, question: str) -> ApiResponse[ChatCompletionResponse]:
    body = {"messages": [{"role": "user", "content": question}], "n": 2}
    info = api.chat_completion_with_http_info(OPERATOR, AUTHORIZATION, body, _extra_body={"new_option": True})
    print(info.status_code, info.headers.get("x-request-id"), len(info.data.choices))
    return info


def stream(api: tachyon_sdk.ChatApi, question: str) -> str:
    parts: List[str] = []
    request = {"messages": [{"role": "user", "content": question}], "stream_options": {"include_usage": True}}
    with api.chat_completion_stream(OPERATOR, AUTHORIZATION, request, _request_timeout=(3.0, 60.0)) as chunks:
        for chunk in chunks:
            assert_type(chunk, ChatCompletionChunkResponse)
            for choice in chunk.choices:
                parts.append(choice.delta.content or "")
            if chunk.usage is not None:
                print(chunk.usage.total_tokens, file=sys.stderr)
    info = api.chat_completion_stream_with_http_info(OPERATOR, AUTHORIZATION, request)
    assert_type(info.data, Stream[ChatCompletionChunkResponse])
    parts.extend(text_deltas(info.data))
    answer = collect_chat_completion(api.chat_completion_stream(OPERATOR, AUTHORIZATION, request))
    assert_type(answer, ChatCompletionResponse)
    return "".join(parts)


def deployment(api: tachyon_sdk.DeploymentsApi) -> Optional[str]:
    body = GetChatCompletionsFromDeploymentRequestBody(
        messages=[DeploymentMessage(role="user", content="Hi"), {"role": "assistant", "content": "Hello"}],
        max_new_tokens=64,
    )
    answer = api.get_chat_completions_from_deployment("project", "deployment", body)
    assert_type(answer, GetChatCompletionsFromDeploymentResponseBody)
    text = api.get_completions_from_deployment("project", "deployment", {"prompt": "Once upon a time"}).response
    with api.get_completions_from_deployment_stream("project", "deployment", {"prompt": "Hi"}) as chunks:
        text = "".join(chunk.response or "" for chunk in chunks)
    return answer.response or text


def main() -> int:
    configuration = tachyon_sdk.Configuration(host=os.environ.get("TACHYON_HOST", "http://localhost"), retries=1)
    configuration.api_key["api_key"] = os.environ.get("EMISSARY_API_KEY", "xxxxx")
    with tachyon_sdk.ApiClient(configuration) as client:
        chat = tachyon_sdk.ChatApi(client)
        try:
            print(ask(chat, "What is Tachyon?"))
            print(ask_with_a_dict(chat, "Hi").data.choices[0].index)
            print(stream(chat, "Count to three."))
            print(deployment(tachyon_sdk.DeploymentsApi(client)))
        except UnauthorizedException as exc:
            print(f"check your key: {exc.status} {exc.server_message}", file=sys.stderr)
            return 1
        except ApiValidationError as exc:
            print([error["loc"] for error in exc.errors()], file=sys.stderr)
            return 2
        except OpenApiException as exc:
            print(f"failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
