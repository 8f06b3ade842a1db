# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ResponseFormat model."""

from typing import Any, Dict, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.response_format_type import ResponseFormatType


class ResponseFormat(BaseModel):
    """The format the model must output."""

    type: ResponseFormatType
    json_schema: Annotated[Optional[Dict[str, Any]], NOT_NULL] = Field(
        default=None,
        description="The JSON Schema the output must follow (for `json_schema`).",
    )
