# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionRequest model."""

from typing import Dict, List, Optional, Union

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage
from tachyon_sdk.models.chat_completion_named_tool_choice import ChatCompletionNamedToolChoice
from tachyon_sdk.models.chat_completion_tool import ChatCompletionTool
from tachyon_sdk.models.function_call_mode import FunctionCallMode
from tachyon_sdk.models.function_definition import FunctionDefinition
from tachyon_sdk.models.function_name import FunctionName
from tachyon_sdk.models.response_format import ResponseFormat
from tachyon_sdk.models.stream_options import StreamOptions
from tachyon_sdk.models.tool_choice_mode import ToolChoiceMode


class ChatCompletionRequest(BaseModel):
    """A request for a chat completion (OpenAI-compatible)."""

    messages: Annotated[List[ChatCompletionMessage], Field(min_length=1)] = Field(
        description="A list of messages comprising the conversation so far.",
    )
    model: Annotated[Optional[str], NOT_NULL] = Field(default=None, description="ID of the model to use.")
    frequency_penalty: Optional[Annotated[float, Field(ge=-2, le=2)]] = Field(
        default=None,
        description="Number between -2.0 and 2.0. Positive values penalize new tokens based on their existing frequency in the text so far.",
    )
    presence_penalty: Optional[Annotated[float, Field(ge=-2, le=2)]] = Field(
        default=None,
        description="Number between -2.0 and 2.0. Positive values penalize new tokens based on whether they appear in the text so far.",
    )
    logit_bias: Optional[Dict[str, Annotated[float, Field(ge=-100, le=100)]]] = Field(
        default=None,
        description="Modify the likelihood of specified tokens appearing in the completion. Maps token IDs to a bias from -100 to 100.",
    )
    max_tokens: Optional[Annotated[int, Field(ge=1)]] = Field(
        default=None,
        description="The maximum number of tokens to generate in the chat completion.",
    )
    n: Optional[Annotated[int, Field(ge=1)]] = Field(
        default=None,
        description="How many chat completion choices to generate for each input message.",
    )
    response_format: Annotated[Optional[ResponseFormat], NOT_NULL] = Field(
        default=None,
        description="The format the model must output: text, any JSON object, or JSON that follows a given JSON Schema.",
    )
    seed: Optional[int] = Field(
        default=None,
        description="If specified, the system will make a best effort to sample deterministically.",
    )
    stop: Optional[Union[str, Annotated[List[str], Field(min_length=1, max_length=4)]]] = Field(
        default=None,
        description="Up to 4 sequences where the API will stop generating further tokens.",
    )
    stream: Optional[bool] = Field(
        default=None,
        description="Whether to stream back partial progress as Server-Sent Events, ending with `data: [DONE]`.",
    )
    stream_options: Annotated[Optional[StreamOptions], NOT_NULL] = Field(
        default=None,
        description="Options for streaming responses (`include_usage`); set only with `stream` true.",
    )
    temperature: Optional[Annotated[float, Field(ge=0, le=2)]] = Field(
        default=None,
        description="What sampling temperature to use, between 0 and 2.",
    )
    top_p: Optional[Annotated[float, Field(ge=0, le=1)]] = Field(
        default=None,
        description="An alternative to sampling with temperature (nucleus sampling), between 0 and 1.",
    )
    tools: Annotated[Optional[List[ChatCompletionTool]], NOT_NULL] = Field(
        default=None,
        description="A list of tools the model may call.",
    )
    tool_choice: Annotated[Optional[Union[ToolChoiceMode, ChatCompletionNamedToolChoice]], NOT_NULL] = Field(
        default=None,
        description="Controls which (if any) tool the model should use. `none`, `auto`, `required`, or a named tool.",
    )
    user: Optional[str] = Field(default=None, description="A unique identifier representing your end-user.")
    functions: Annotated[
        Optional[Annotated[List[FunctionDefinition], Field(min_length=1, max_length=128)]],
        NOT_NULL,
    ] = Field(
        default=None,
        description="Deprecated in favour of `tools`: a list of functions the model may generate JSON inputs for.",
    )
    function_call: Annotated[Optional[Union[FunctionCallMode, FunctionName]], NOT_NULL] = Field(
        default=None,
        description="Deprecated in favour of `tool_choice`: controls how the model responds to function calls.",
    )
