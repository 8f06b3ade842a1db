# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionTool model."""

from typing import TYPE_CHECKING, Any, Mapping, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.function_definition import FunctionDefinition


class ChatCompletionTool(BaseModel):
    """A tool the model may call."""

    type: str = Field(description="The type of the tool (currently only `function` is supported).")
    function: FunctionDefinition

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: str,
            function: Union[FunctionDefinition, Mapping[str, Any]],
        ) -> None: ...
