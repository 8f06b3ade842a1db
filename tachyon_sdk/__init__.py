# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""Tachyon LLM API client (API version 0.58.1).

Every public name is imported lazily (PEP 562): ``import tachyon_sdk`` loads no API or model module until one is used.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any, Dict, List

__version__ = "0.58.1"

if TYPE_CHECKING:
    from tachyon_sdk.api.chat_api import ChatApi as ChatApi
    from tachyon_sdk.api.deployments_api import DeploymentsApi as DeploymentsApi
    from tachyon_sdk.api_client import ApiClient as ApiClient
    from tachyon_sdk.api_response import ApiResponse as ApiResponse
    from tachyon_sdk.configuration import Configuration as Configuration
    from tachyon_sdk.exceptions import ApiAttributeError as ApiAttributeError
    from tachyon_sdk.exceptions import ApiConnectionError as ApiConnectionError
    from tachyon_sdk.exceptions import ApiDecodeError as ApiDecodeError
    from tachyon_sdk.exceptions import ApiException as ApiException
    from tachyon_sdk.exceptions import ApiKeyError as ApiKeyError
    from tachyon_sdk.exceptions import ApiTimeoutError as ApiTimeoutError
    from tachyon_sdk.exceptions import ApiTypeError as ApiTypeError
    from tachyon_sdk.exceptions import ApiValidationError as ApiValidationError
    from tachyon_sdk.exceptions import ApiValueError as ApiValueError
    from tachyon_sdk.exceptions import BadRequestException as BadRequestException
    from tachyon_sdk.exceptions import ConflictException as ConflictException
    from tachyon_sdk.exceptions import ForbiddenException as ForbiddenException
    from tachyon_sdk.exceptions import NotFoundException as NotFoundException
    from tachyon_sdk.exceptions import OpenApiException as OpenApiException
    from tachyon_sdk.exceptions import PaymentRequiredException as PaymentRequiredException
    from tachyon_sdk.exceptions import ResponseTooLargeError as ResponseTooLargeError
    from tachyon_sdk.exceptions import ServiceException as ServiceException
    from tachyon_sdk.exceptions import StreamError as StreamError
    from tachyon_sdk.exceptions import TooManyRequestsException as TooManyRequestsException
    from tachyon_sdk.exceptions import UnauthorizedException as UnauthorizedException
    from tachyon_sdk.exceptions import UnprocessableEntityException as UnprocessableEntityException
    from tachyon_sdk.models.api_error_detail import APIErrorDetail as APIErrorDetail
    from tachyon_sdk.models.api_error_invalid_input import APIErrorInvalidInput as APIErrorInvalidInput
    from tachyon_sdk.models.api_error_not_found import APIErrorNotFound as APIErrorNotFound
    from tachyon_sdk.models.api_error_unauthorized import APIErrorUnauthorized as APIErrorUnauthorized
    from tachyon_sdk.models.chat_completion_choice import ChatCompletionChoice as ChatCompletionChoice
    from tachyon_sdk.models.chat_completion_chunk_choice import ChatCompletionChunkChoice as ChatCompletionChunkChoice
    from tachyon_sdk.models.chat_completion_chunk_response import (
        ChatCompletionChunkResponse as ChatCompletionChunkResponse,
    )
    from tachyon_sdk.models.chat_completion_chunk_tool_call import (
        ChatCompletionChunkToolCall as ChatCompletionChunkToolCall,
    )
    from tachyon_sdk.models.chat_completion_content_part import ChatCompletionContentPart as ChatCompletionContentPart
    from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage as ChatCompletionMessage
    from tachyon_sdk.models.chat_completion_message_tool_call import (
        ChatCompletionMessageToolCall as ChatCompletionMessageToolCall,
    )
    from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest as ChatCompletionRequest
    from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse as ChatCompletionResponse
    from tachyon_sdk.models.chat_completion_response_message import (
        ChatCompletionResponseMessage as ChatCompletionResponseMessage,
    )
    from tachyon_sdk.models.chat_completion_role import ChatCompletionRole as ChatCompletionRole
    from tachyon_sdk.models.chat_completion_stream_delta import ChatCompletionStreamDelta as ChatCompletionStreamDelta
    from tachyon_sdk.models.chat_completion_tool import ChatCompletionTool as ChatCompletionTool
    from tachyon_sdk.models.chat_completion_with_chatroom_response import (
        ChatCompletionWithChatroomResponse as ChatCompletionWithChatroomResponse,
    )
    from tachyon_sdk.models.chat_completion_with_chatroom_stream_response import (
        ChatCompletionWithChatroomStreamResponse as ChatCompletionWithChatroomStreamResponse,
    )
    from tachyon_sdk.models.completion_usage import CompletionUsage as CompletionUsage
    from tachyon_sdk.models.deployment_message import DeploymentMessage as DeploymentMessage
    from tachyon_sdk.models.deployment_message_role import DeploymentMessageRole as DeploymentMessageRole
    from tachyon_sdk.models.error_response import ErrorResponse as ErrorResponse
    from tachyon_sdk.models.finish_reason import FinishReason as FinishReason
    from tachyon_sdk.models.function_call import FunctionCall as FunctionCall
    from tachyon_sdk.models.function_call_delta import FunctionCallDelta as FunctionCallDelta
    from tachyon_sdk.models.function_definition import FunctionDefinition as FunctionDefinition
    from tachyon_sdk.models.function_parameters import FunctionParameters as FunctionParameters
    from tachyon_sdk.models.get_chat_completions_from_deployment_chunk import (
        GetChatCompletionsFromDeploymentChunk as GetChatCompletionsFromDeploymentChunk,
    )
    from tachyon_sdk.models.get_chat_completions_from_deployment_request_body import (
        GetChatCompletionsFromDeploymentRequestBody as GetChatCompletionsFromDeploymentRequestBody,
    )
    from tachyon_sdk.models.get_chat_completions_from_deployment_response_body import (
        GetChatCompletionsFromDeploymentResponseBody as GetChatCompletionsFromDeploymentResponseBody,
    )
    from tachyon_sdk.models.get_completions_from_deployment_chunk import (
        GetCompletionsFromDeploymentChunk as GetCompletionsFromDeploymentChunk,
    )
    from tachyon_sdk.models.get_completions_from_deployment_request_body import (
        GetCompletionsFromDeploymentRequestBody as GetCompletionsFromDeploymentRequestBody,
    )
    from tachyon_sdk.models.get_completions_from_deployment_response_body import (
        GetCompletionsFromDeploymentResponseBody as GetCompletionsFromDeploymentResponseBody,
    )
    from tachyon_sdk.models.image_url import ImageUrl as ImageUrl
    from tachyon_sdk.models.memory_settings import MemorySettings as MemorySettings
    from tachyon_sdk.models.response_format import ResponseFormat as ResponseFormat
    from tachyon_sdk.models.stream_options import StreamOptions as StreamOptions
    from tachyon_sdk.models.tool_choice import ToolChoice as ToolChoice
    from tachyon_sdk.models.web_search_options import WebSearchOptions as WebSearchOptions
    from tachyon_sdk.retry import RetryPolicy as RetryPolicy
    from tachyon_sdk.streaming import Stream as Stream

_EXPORTS: Dict[str, str] = {
    "ApiAttributeError": "tachyon_sdk.exceptions",
    "ApiClient": "tachyon_sdk.api_client",
    "ApiConnectionError": "tachyon_sdk.exceptions",
    "ApiDecodeError": "tachyon_sdk.exceptions",
    "APIErrorDetail": "tachyon_sdk.models.api_error_detail",
    "APIErrorInvalidInput": "tachyon_sdk.models.api_error_invalid_input",
    "APIErrorNotFound": "tachyon_sdk.models.api_error_not_found",
    "APIErrorUnauthorized": "tachyon_sdk.models.api_error_unauthorized",
    "ApiException": "tachyon_sdk.exceptions",
    "ApiKeyError": "tachyon_sdk.exceptions",
    "ApiResponse": "tachyon_sdk.api_response",
    "ApiTimeoutError": "tachyon_sdk.exceptions",
    "ApiTypeError": "tachyon_sdk.exceptions",
    "ApiValidationError": "tachyon_sdk.exceptions",
    "ApiValueError": "tachyon_sdk.exceptions",
    "BadRequestException": "tachyon_sdk.exceptions",
    "ChatApi": "tachyon_sdk.api.chat_api",
    "ChatCompletionChoice": "tachyon_sdk.models.chat_completion_choice",
    "ChatCompletionChunkChoice": "tachyon_sdk.models.chat_completion_chunk_choice",
    "ChatCompletionChunkResponse": "tachyon_sdk.models.chat_completion_chunk_response",
    "ChatCompletionChunkToolCall": "tachyon_sdk.models.chat_completion_chunk_tool_call",
    "ChatCompletionContentPart": "tachyon_sdk.models.chat_completion_content_part",
    "ChatCompletionMessage": "tachyon_sdk.models.chat_completion_message",
    "ChatCompletionMessageToolCall": "tachyon_sdk.models.chat_completion_message_tool_call",
    "ChatCompletionRequest": "tachyon_sdk.models.chat_completion_request",
    "ChatCompletionResponse": "tachyon_sdk.models.chat_completion_response",
    "ChatCompletionResponseMessage": "tachyon_sdk.models.chat_completion_response_message",
    "ChatCompletionRole": "tachyon_sdk.models.chat_completion_role",
    "ChatCompletionStreamDelta": "tachyon_sdk.models.chat_completion_stream_delta",
    "ChatCompletionTool": "tachyon_sdk.models.chat_completion_tool",
    "ChatCompletionWithChatroomResponse": "tachyon_sdk.models.chat_completion_with_chatroom_response",
    "ChatCompletionWithChatroomStreamResponse": "tachyon_sdk.models.chat_completion_with_chatroom_stream_response",
    "CompletionUsage": "tachyon_sdk.models.completion_usage",
    "Configuration": "tachyon_sdk.configuration",
    "ConflictException": "tachyon_sdk.exceptions",
    "DeploymentMessage": "tachyon_sdk.models.deployment_message",
    "DeploymentMessageRole": "tachyon_sdk.models.deployment_message_role",
    "DeploymentsApi": "tachyon_sdk.api.deployments_api",
    "ErrorResponse": "tachyon_sdk.models.error_response",
    "FinishReason": "tachyon_sdk.models.finish_reason",
    "ForbiddenException": "tachyon_sdk.exceptions",
    "FunctionCall": "tachyon_sdk.models.function_call",
    "FunctionCallDelta": "tachyon_sdk.models.function_call_delta",
    "FunctionDefinition": "tachyon_sdk.models.function_definition",
    "FunctionParameters": "tachyon_sdk.models.function_parameters",
    "GetChatCompletionsFromDeploymentChunk": "tachyon_sdk.models.get_chat_completions_from_deployment_chunk",
    "GetChatCompletionsFromDeploymentRequestBody": "tachyon_sdk.models.get_chat_completions_from_deployment_request_body",
    "GetChatCompletionsFromDeploymentResponseBody": "tachyon_sdk.models.get_chat_completions_from_deployment_response_body",
    "GetCompletionsFromDeploymentChunk": "tachyon_sdk.models.get_completions_from_deployment_chunk",
    "GetCompletionsFromDeploymentRequestBody": "tachyon_sdk.models.get_completions_from_deployment_request_body",
    "GetCompletionsFromDeploymentResponseBody": "tachyon_sdk.models.get_completions_from_deployment_response_body",
    "ImageUrl": "tachyon_sdk.models.image_url",
    "MemorySettings": "tachyon_sdk.models.memory_settings",
    "NotFoundException": "tachyon_sdk.exceptions",
    "OpenApiException": "tachyon_sdk.exceptions",
    "PaymentRequiredException": "tachyon_sdk.exceptions",
    "ResponseFormat": "tachyon_sdk.models.response_format",
    "ResponseTooLargeError": "tachyon_sdk.exceptions",
    "RetryPolicy": "tachyon_sdk.retry",
    "ServiceException": "tachyon_sdk.exceptions",
    "Stream": "tachyon_sdk.streaming",
    "StreamError": "tachyon_sdk.exceptions",
    "StreamOptions": "tachyon_sdk.models.stream_options",
    "ToolChoice": "tachyon_sdk.models.tool_choice",
    "TooManyRequestsException": "tachyon_sdk.exceptions",
    "UnauthorizedException": "tachyon_sdk.exceptions",
    "UnprocessableEntityException": "tachyon_sdk.exceptions",
    "WebSearchOptions": "tachyon_sdk.models.web_search_options",
}

__all__ = [
    "ApiAttributeError",
    "ApiClient",
    "ApiConnectionError",
    "ApiDecodeError",
    "APIErrorDetail",
    "APIErrorInvalidInput",
    "APIErrorNotFound",
    "APIErrorUnauthorized",
    "ApiException",
    "ApiKeyError",
    "ApiResponse",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValidationError",
    "ApiValueError",
    "BadRequestException",
    "ChatApi",
    "ChatCompletionChoice",
    "ChatCompletionChunkChoice",
    "ChatCompletionChunkResponse",
    "ChatCompletionChunkToolCall",
    "ChatCompletionContentPart",
    "ChatCompletionMessage",
    "ChatCompletionMessageToolCall",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ChatCompletionResponseMessage",
    "ChatCompletionRole",
    "ChatCompletionStreamDelta",
    "ChatCompletionTool",
    "ChatCompletionWithChatroomResponse",
    "ChatCompletionWithChatroomStreamResponse",
    "CompletionUsage",
    "Configuration",
    "ConflictException",
    "DeploymentMessage",
    "DeploymentMessageRole",
    "DeploymentsApi",
    "ErrorResponse",
    "FinishReason",
    "ForbiddenException",
    "FunctionCall",
    "FunctionCallDelta",
    "FunctionDefinition",
    "FunctionParameters",
    "GetChatCompletionsFromDeploymentChunk",
    "GetChatCompletionsFromDeploymentRequestBody",
    "GetChatCompletionsFromDeploymentResponseBody",
    "GetCompletionsFromDeploymentChunk",
    "GetCompletionsFromDeploymentRequestBody",
    "GetCompletionsFromDeploymentResponseBody",
    "ImageUrl",
    "MemorySettings",
    "NotFoundException",
    "OpenApiException",
    "PaymentRequiredException",
    "ResponseFormat",
    "ResponseTooLargeError",
    "RetryPolicy",
    "ServiceException",
    "Stream",
    "StreamError",
    "StreamOptions",
    "ToolChoice",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "WebSearchOptions",
]

_SUBMODULES = ("aio", "api", "models")


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562) and keep it in the namespace."""
    module = _EXPORTS.get(name)
    if module is None and name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    """The module's names, including the exports not imported yet."""
    return sorted(set(globals()) | set(__all__))
