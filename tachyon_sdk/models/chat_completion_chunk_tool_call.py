# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionChunkToolCall model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.function_call_delta import FunctionCallDelta
from tachyon_sdk.models.tool_type import ToolType


class ChatCompletionChunkToolCall(BaseModel):
    """A fragment of a tool call in a streamed chunk."""

    index: int = Field(description="The index of the tool call this fragment belongs to.")
    id: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="The ID of the tool call (first fragment only).",
    )
    type: Annotated[Optional[ToolType], NOT_NULL] = None
    function: Annotated[Optional[FunctionCallDelta], NOT_NULL] = None
