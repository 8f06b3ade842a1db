# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionMessageToolCall model."""

from typing import TYPE_CHECKING, Any, Mapping, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.function_call import FunctionCall


class ChatCompletionMessageToolCall(BaseModel):
    """A tool call made by the assistant."""

    id: str = Field(description="The ID of the tool call.")
    type: str = Field(description="The type of the tool call (`function`).")
    function: FunctionCall

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,
            type: str,
            function: Union[FunctionCall, Mapping[str, Any]],
        ) -> None: ...
