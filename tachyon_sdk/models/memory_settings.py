# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""MemorySettings model."""

from typing import TYPE_CHECKING

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import BaseModel


class MemorySettings(BaseModel):
    """Memory settings for context building."""

    extract_memory: bool = Field(description="Whether to extract memory from the message.")
    max_memories: Annotated[int, Field(ge=1, le=20)] = Field(description="Maximum number of memories to retrieve.")
    min_relevance_score: Annotated[float, Field(ge=0, le=1)] = Field(
        description="Minimum relevance score for memory retrieval (0.0 to 1.0).",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            extract_memory: bool,
            max_memories: int,
            min_relevance_score: float,
        ) -> None: ...
