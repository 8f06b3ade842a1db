# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionNamedToolChoice model."""

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.function_name import FunctionName
from tachyon_sdk.models.tool_type import ToolType


class ChatCompletionNamedToolChoice(BaseModel):
    """Forces the model to call a specific function."""

    type: ToolType
    function: FunctionName
