# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""WebSearchOptions model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import BaseModel


class WebSearchOptions(BaseModel):
    """A web search run before the model answers."""

    query: Annotated[str, Field(max_length=1000)] = Field(description="What to search for.")
    max_results: Optional[Annotated[int, Field(ge=1, le=10)]] = Field(
        default=None,
        description="How many results to use.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            query: str,
            max_results: Optional[int] = None,
        ) -> None: ...
