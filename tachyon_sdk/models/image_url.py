# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ImageUrl model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class ImageUrl(BaseModel):
    """An image given by URL or data URL."""

    url: str = Field(description="The URL of the image, or a base64 data URL.")
    detail: Annotated[Optional[str], NOT_NULL] = Field(
        default=None,
        description="The detail level of the image (`auto`, `low`, `high`).",
    )
