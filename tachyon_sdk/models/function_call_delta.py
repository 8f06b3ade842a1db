# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionCallDelta model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class FunctionCallDelta(BaseModel):
    """A fragment of a function call; `arguments` fragments are concatenated."""

    name: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="The name of the function (first fragment only).",
    )
    arguments: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="A fragment of the arguments JSON string.",
    )
