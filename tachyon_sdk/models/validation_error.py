# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ValidationError model."""

from typing import List, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel


class ValidationError(BaseModel):
    """One validation problem."""

    loc: List[Union[str, int]] = Field(
        description='The location of the problem, for example `["body", "messages", 0, "role"]`.',
    )
    msg: str = Field(description="A human-readable message.")
    type: str = Field(description="The error type.")
