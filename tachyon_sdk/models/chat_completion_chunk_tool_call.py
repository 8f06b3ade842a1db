# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionChunkToolCall model."""

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.function_call_delta import FunctionCallDelta


class ChatCompletionChunkToolCall(BaseModel):
    """A tool call in a streamed chunk: an OpenAI-style fragment (`index`, `id`, `type`, `function`; `arguments` fragments are concatenated), or a Tachyon tool call event (`tool_id`, `tool_name`, `is_client_tool`)."""

    index: Optional[int] = Field(default=None, description="The index of the tool call this fragment belongs to.")
    id: Optional[str] = Field(default=None, description="The ID of the tool call (first fragment only).")
    type: Optional[str] = Field(
        default=None,
        description="The type of the tool call (`function`; first fragment only).",
    )
    function: Optional[FunctionCallDelta] = Field(default=None, description="The function call fragment.")
    tool_id: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="The ID of the tool call (Tachyon tool call events).",
    )
    tool_name: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="The name of the tool (Tachyon tool call events).",
    )
    is_client_tool: Annotated[Optional[bool], NOT_NULL] = Field(
        default=None,
        description="When true, the call targets a client-defined tool, which the client handles locally.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            index: Optional[int] = None,
            id: Optional[str] = None,
            type: Optional[str] = None,
            function: Optional[Union[FunctionCallDelta, Mapping[str, Any]]] = None,
            tool_id: Optional[str] = None,
            tool_name: Optional[str] = None,
            is_client_tool: Optional[bool] = None,
        ) -> None: ...
