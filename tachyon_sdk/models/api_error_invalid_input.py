# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorInvalidInput model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class APIErrorInvalidInput(BaseModel):
    """Invalid input (400) of the Emissary API."""

    status: Optional[int] = Field(default=None, description="The HTTP status.")
    error: Optional[str] = Field(default=None, description="What is wrong with the request.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            status: Optional[int] = None,
            error: Optional[str] = None,
        ) -> None: ...
