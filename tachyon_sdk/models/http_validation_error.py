# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""HTTPValidationError model."""

from typing import List, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.validation_error import ValidationError


class HTTPValidationError(BaseModel):
    """The request body does not match the schema (422)."""

    detail: Annotated[Optional[List[ValidationError]], NOT_NULL] = Field(
        default=None,
        description="One entry per problem.",
    )
