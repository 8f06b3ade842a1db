# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionMessage model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_content_part import ChatCompletionContentPart
from tachyon_sdk.models.chat_completion_message_tool_call import ChatCompletionMessageToolCall


class ChatCompletionMessage(BaseModel):
    """One message of the conversation."""

    role: str = Field(
        description="The role of the message's author (`system`, `user`, `assistant`, or `tool` where the server supports tools).",
    )
    content: Optional[Union[str, List[ChatCompletionContentPart]]] = Field(
        default=None,
        description="The contents of the message; text, or a list of content parts. Null for an assistant message that only calls tools.",
    )
    tool_calls: Optional[List[ChatCompletionMessageToolCall]] = Field(
        default=None,
        description="The tool calls made by the assistant.",
    )
    name: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="OpenAI-compatible: an optional name for the participant.",
    )
    tool_call_id: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="OpenAI-compatible: the tool call this message responds to (tool messages).",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            role: str,
            content: Optional[Union[str, Sequence[Union[ChatCompletionContentPart, Mapping[str, Any]]]]] = None,
            tool_calls: Optional[Sequence[Union[ChatCompletionMessageToolCall, Mapping[str, Any]]]] = None,
            name: Optional[str] = None,
            tool_call_id: Optional[str] = None,
        ) -> None: ...
