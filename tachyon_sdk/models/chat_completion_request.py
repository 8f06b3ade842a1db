# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionRequest model."""

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage
from tachyon_sdk.models.chat_completion_tool import ChatCompletionTool
from tachyon_sdk.models.memory_settings import MemorySettings
from tachyon_sdk.models.response_format import ResponseFormat
from tachyon_sdk.models.stream_options import StreamOptions
from tachyon_sdk.models.tool_choice import ToolChoice
from tachyon_sdk.models.web_search_options import WebSearchOptions


class ChatCompletionRequest(BaseModel):
    """A request for a chat completion. The fields of the Tachyon API, and the OpenAI-compatible parameters other servers take, which a server that does not know them ignores."""

    messages: List[ChatCompletionMessage] = Field(description="A list of messages comprising the conversation so far.")
    model: Optional[str] = Field(default=None, description="ID of the model to use.")
    frequency_penalty: Optional[Annotated[float, Field(ge=-2, le=2)]] = Field(
        default=None,
        description="Number between -2.0 and 2.0. Positive values penalize new tokens based on their existing frequency in the text so far.",
    )
    presence_penalty: Optional[Annotated[float, Field(ge=-2, le=2)]] = Field(
        default=None,
        description="Number between -2.0 and 2.0. Positive values penalize new tokens based on whether they appear in the text so far.",
    )
    max_completion_tokens: Optional[int] = Field(
        default=None,
        description="The maximum number of tokens to generate. This is the limit the Tachyon API reads.",
    )
    max_tokens: Optional[int] = Field(
        default=None,
        description="OpenAI-compatible: the maximum number of tokens to generate. The Tachyon API ignores it; use `max_completion_tokens` there.",
    )
    n: Optional[Annotated[int, Field(ge=1, le=10)]] = Field(
        default=None,
        description="How many chat completion choices to generate for each input message.",
    )
    temperature: Optional[Annotated[float, Field(ge=0, le=2)]] = Field(
        default=None,
        description="What sampling temperature to use, between 0 and 2.",
    )
    top_p: Optional[Annotated[float, Field(ge=0, le=1)]] = Field(
        default=None,
        description="An alternative to sampling with temperature (nucleus sampling), between 0 and 1.",
    )
    stream: Optional[bool] = Field(
        default=None,
        description="Whether to stream back partial progress as Server-Sent Events, ending with `data: [DONE]`.",
    )
    response_format: Optional[ResponseFormat] = Field(
        default=None,
        description="The format the model must output: `text`, any JSON object (`json_object`), or JSON that follows a given JSON Schema (`json_schema`).",
    )
    tools: Optional[List[ChatCompletionTool]] = Field(default=None, description="A list of tools the model may call.")
    tool_choice: Optional[ToolChoice] = Field(default=None, description="Controls which (if any) tool the model calls.")
    user: Optional[str] = Field(default=None, description="A unique identifier representing your end-user.")
    memory_settings: Optional[MemorySettings] = Field(
        default=None,
        description="Memory settings for context building (the server uses 5 memories with a relevance of at least 0.7 when unset).",
    )
    communication_style: Optional[str] = Field(default=None, description="Communication style preference.")
    explanation_style: Optional[str] = Field(default=None, description="Explanation style preference.")
    technical_level: Optional[str] = Field(default=None, description="Technical level preference.")
    web_search: Optional[WebSearchOptions] = Field(
        default=None,
        description="Optional web search context resolved before model generation.",
    )
    seed: Optional[int] = Field(
        default=None,
        description="OpenAI-compatible: if specified, the system makes a best effort to sample deterministically.",
    )
    stop: Optional[Union[str, Annotated[List[str], Field(max_length=4)]]] = Field(
        default=None,
        description="OpenAI-compatible: up to 4 sequences where the API will stop generating further tokens.",
    )
    logit_bias: Optional[Dict[str, Annotated[float, Field(ge=-100, le=100)]]] = Field(
        default=None,
        description="OpenAI-compatible: modify the likelihood of specified tokens appearing in the completion. Maps token IDs to a bias from -100 to 100.",
    )
    stream_options: Optional[StreamOptions] = Field(
        default=None,
        description="OpenAI-compatible: options for streaming responses (`include_usage`); set only with `stream` true.",
    )
    functions: Annotated[Optional[List[Dict[str, Any]]], NOT_NULL] = Field(
        default=None,
        description="Deprecated. OpenAI-compatible, deprecated in favour of `tools`: a list of functions the model may generate JSON inputs for (each an object with `name`, and optionally `description` and `parameters`).",
    )
    function_call: Optional[Union[str, Dict[str, Any]]] = Field(
        default=None,
        description='Deprecated. OpenAI-compatible, deprecated in favour of `tool_choice`: `none`, `auto`, or `{"name": ...}` to force a function.',
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            messages: Sequence[Union[ChatCompletionMessage, Mapping[str, Any]]],
            model: Optional[str] = None,
            frequency_penalty: Optional[float] = None,
            presence_penalty: Optional[float] = None,
            max_completion_tokens: Optional[int] = None,
            max_tokens: Optional[int] = None,
            n: Optional[int] = None,
            temperature: Optional[float] = None,
            top_p: Optional[float] = None,
            stream: Optional[bool] = None,
            response_format: Optional[Union[ResponseFormat, Mapping[str, Any]]] = None,
            tools: Optional[Sequence[Union[ChatCompletionTool, Mapping[str, Any]]]] = None,
            tool_choice: Optional[Union[ToolChoice, str]] = None,
            user: Optional[str] = None,
            memory_settings: Optional[Union[MemorySettings, Mapping[str, Any]]] = None,
            communication_style: Optional[str] = None,
            explanation_style: Optional[str] = None,
            technical_level: Optional[str] = None,
            web_search: Optional[Union[WebSearchOptions, Mapping[str, Any]]] = None,
            seed: Optional[int] = None,
            stop: Optional[Union[str, Sequence[str]]] = None,
            logit_bias: Optional[Mapping[str, float]] = None,
            stream_options: Optional[Union[StreamOptions, Mapping[str, Any]]] = None,
            functions: Optional[Sequence[Mapping[str, Any]]] = None,
            function_call: Optional[Union[str, Mapping[str, Any]]] = None,
        ) -> None: ...
