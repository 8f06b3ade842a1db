# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionContentPart model."""

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.image_url import ImageUrl


class ChatCompletionContentPart(BaseModel):
    """A part of a message's content."""

    type: str = Field(description="The type of the content part (`text` or `image_url`).")
    text: Optional[str] = Field(default=None, description="The text content if type is `text`.")
    image_url: Optional[ImageUrl] = Field(default=None, description="The image URL content if type is `image_url`.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: str,
            text: Optional[str] = None,
            image_url: Optional[Union[ImageUrl, Mapping[str, Any]]] = None,
        ) -> None: ...
