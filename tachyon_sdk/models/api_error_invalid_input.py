# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorInvalidInput model."""

from typing import Any, Dict, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class APIErrorInvalidInput(BaseModel):
    """The request is invalid (400)."""

    message: str = Field(description="What is wrong with the request.")
    code: Annotated[Optional[str], NOT_NULL] = Field(default=None, description="A machine-readable error code.")
    details: Optional[Dict[str, Any]] = Field(default=None, description="Details about the invalid input.")
