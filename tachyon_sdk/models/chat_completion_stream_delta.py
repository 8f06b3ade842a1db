# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionStreamDelta model."""

from typing import List, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_chunk_tool_call import ChatCompletionChunkToolCall
from tachyon_sdk.models.chat_completion_role import ChatCompletionRole
from tachyon_sdk.models.function_call_delta import FunctionCallDelta


class ChatCompletionStreamDelta(BaseModel):
    """The part of a message a chunk adds."""

    role: Annotated[Optional[ChatCompletionRole], NOT_NULL] = None
    content: Optional[str] = Field(default=None, description="The text this chunk adds.")
    tool_calls: Annotated[Optional[List[ChatCompletionChunkToolCall]], NOT_NULL] = Field(
        default=None,
        description="Fragments of tool calls, merged by `index`.",
    )
    function_call: Annotated[Optional[FunctionCallDelta], NOT_NULL] = None
    refusal: Optional[str] = Field(default=None, description="The refusal text this chunk adds.")
