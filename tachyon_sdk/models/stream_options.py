# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""StreamOptions model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class StreamOptions(BaseModel):
    """Options for streaming responses. Set only with `stream` true."""

    include_usage: Annotated[Optional[bool], NOT_NULL] = Field(
        default=None,
        description="If true, a last chunk before `data: [DONE]` carries the `usage` of the whole request.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            include_usage: Optional[bool] = None,
        ) -> None: ...
