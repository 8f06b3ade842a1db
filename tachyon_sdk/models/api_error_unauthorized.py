# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorUnauthorized model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class APIErrorUnauthorized(BaseModel):
    """A missing or wrong API key (401) of the Emissary API."""

    status: Optional[int] = Field(default=None, description="The HTTP status.")
    error: Optional[str] = Field(default=None, description="Why the request was refused.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            status: Optional[int] = None,
            error: Optional[str] = None,
        ) -> None: ...
