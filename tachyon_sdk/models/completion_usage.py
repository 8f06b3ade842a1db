# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""CompletionUsage model."""

from pydantic import Field

from tachyon_sdk._model import BaseModel


class CompletionUsage(BaseModel):
    """Usage statistics for the completion request."""

    prompt_tokens: int = Field(description="Number of tokens in the prompt.")
    completion_tokens: int = Field(description="Number of tokens in the generated completion.")
    total_tokens: int = Field(description="Total number of tokens used in the request (prompt + completion).")
