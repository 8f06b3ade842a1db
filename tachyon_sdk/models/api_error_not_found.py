# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorNotFound model."""

from typing import Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class APIErrorNotFound(BaseModel):
    """The resource was not found (404)."""

    message: str = Field(description="What was not found.")
    code: Optional[str] = Field(default=None, description="A machine-readable error code.")
