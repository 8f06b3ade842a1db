# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorNotFound model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class APIErrorNotFound(BaseModel):
    """The resource was not found (404)."""

    message: str = Field(description="What was not found.")
    code: Annotated[Optional[str], NOT_NULL] = Field(default=None, description="A machine-readable error code.")
