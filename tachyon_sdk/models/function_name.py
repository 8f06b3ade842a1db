# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionName model."""

from pydantic import Field

from tachyon_sdk._model import BaseModel


class FunctionName(BaseModel):
    """Names a function."""

    name: str = Field(description="The name of the function.")
