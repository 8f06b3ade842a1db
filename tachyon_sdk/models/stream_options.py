# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""StreamOptions model."""

from typing import Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class StreamOptions(BaseModel):
    """Options for streaming responses. Set only with `stream` true."""

    include_usage: Optional[bool] = Field(
        default=None,
        description="If true, a last chunk before `data: [DONE]` carries the `usage` of the whole request.",
    )
