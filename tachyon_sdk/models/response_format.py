# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ResponseFormat model."""

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel


class ResponseFormat(BaseModel):
    """The format the model must output."""

    type: str = Field(description="The format type to return the response in (`text`, `json_object`, `json_schema`).")
    json_schema: Annotated[Optional[Dict[str, Any]], NOT_NULL] = Field(
        default=None,
        description="OpenAI-compatible: the JSON Schema the output must follow (for `json_schema`).",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: str,
            json_schema: Optional[Mapping[str, Any]] = None,
        ) -> None: ...
