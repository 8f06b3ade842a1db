# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""CompletionUsage model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import BaseModel


class CompletionUsage(BaseModel):
    """Token usage statistics."""

    prompt_tokens: Annotated[int, Field(ge=0)] = Field(description="Number of tokens in the prompt.")
    completion_tokens: Annotated[int, Field(ge=0)] = Field(description="Number of tokens in the generated completion.")
    total_tokens: Annotated[int, Field(ge=0)] = Field(
        description="Total number of tokens used in the request (prompt + completion).",
    )
    cache_creation_input_tokens: Optional[int] = Field(
        default=None,
        description="Prompt tokens written to the provider's cache.",
    )
    cache_read_input_tokens: Optional[int] = Field(
        default=None,
        description="Prompt tokens read from the provider's cache.",
    )
    total_cost: Optional[float] = Field(default=None, description="The cost of the request.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            prompt_tokens: int,
            completion_tokens: int,
            total_tokens: int,
            cache_creation_input_tokens: Optional[int] = None,
            cache_read_input_tokens: Optional[int] = None,
            total_cost: Optional[float] = None,
        ) -> None: ...
