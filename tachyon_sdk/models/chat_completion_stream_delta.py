# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionStreamDelta model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_chunk_tool_call import ChatCompletionChunkToolCall
from tachyon_sdk.models.chat_completion_role import ChatCompletionRole


class ChatCompletionStreamDelta(BaseModel):
    """The part of a message a chunk adds."""

    role: Optional[ChatCompletionRole] = Field(
        default=None,
        description="The role of the message's author (first chunk only).",
    )
    content: Optional[str] = Field(default=None, description="The text this chunk adds.")
    tool_calls: Optional[List[ChatCompletionChunkToolCall]] = Field(
        default=None,
        description="Fragments of tool calls (OpenAI-style, merged by `index`), or Tachyon tool call events (`tool_id`, `tool_name`).",
    )
    refusal: Optional[str] = Field(default=None, description="The refusal text this chunk adds.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            role: Optional[Union[ChatCompletionRole, str]] = None,
            content: Optional[str] = None,
            tool_calls: Optional[Sequence[Union[ChatCompletionChunkToolCall, Mapping[str, Any]]]] = None,
            refusal: Optional[str] = None,
        ) -> None: ...
