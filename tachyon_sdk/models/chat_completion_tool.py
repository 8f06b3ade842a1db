# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionTool model."""

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.function_definition import FunctionDefinition
from tachyon_sdk.models.tool_type import ToolType


class ChatCompletionTool(BaseModel):
    """A tool the model may call."""

    type: ToolType
    function: FunctionDefinition
