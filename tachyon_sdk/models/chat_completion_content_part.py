# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionContentPart model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.content_part_type import ContentPartType
from tachyon_sdk.models.image_url import ImageUrl


class ChatCompletionContentPart(BaseModel):
    """A part of a message's content."""

    type: ContentPartType
    text: Annotated[Optional[str], NOT_NULL] = Field(default=None, description="The text (for `text` parts).")
    image_url: Annotated[Optional[ImageUrl], NOT_NULL] = None
