# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ImageUrl model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class ImageUrl(BaseModel):
    """An image given by URL or data URL (OpenAI-compatible)."""

    url: str = Field(description="The image URL or a data URL.")
    detail: Optional[str] = Field(default=None, description="Optional image detail level (`auto`, `low`, `high`).")
    mime_type: Optional[str] = Field(default=None, description="Optional MIME type hint for non-data URLs.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            url: str,
            detail: Optional[str] = None,
            mime_type: Optional[str] = None,
        ) -> None: ...
