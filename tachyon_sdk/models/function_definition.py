# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionDefinition model."""

from typing import Any, Dict, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class FunctionDefinition(BaseModel):
    """A function the model may call."""

    name: Annotated[str, Field(pattern="^[a-zA-Z0-9_-]{1,64}$")] = Field(
        description="The name of the function (a-z, A-Z, 0-9, underscores and dashes, at most 64 characters).",
    )
    description: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="What the function does, used by the model to choose when and how to call it.",
    )
    parameters: Annotated[Optional[Dict[str, Any]], NOT_NULL] = Field(
        default=None,
        description="The parameters the function accepts, as a JSON Schema object.",
    )
    strict: Optional[bool] = Field(
        default=None,
        description="Whether to enable strict schema adherence when generating the call.",
    )
