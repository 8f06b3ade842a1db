# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorNotFound model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class APIErrorNotFound(BaseModel):
    """Not found (404) of the Emissary API."""

    status: Optional[int] = Field(default=None, description="The HTTP status.")
    error: Optional[str] = Field(default=None, description="What was not found.")
    code: Optional[str] = Field(default=None, description="A machine-readable error code.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            status: Optional[int] = None,
            error: Optional[str] = None,
            code: Optional[str] = None,
        ) -> None: ...
