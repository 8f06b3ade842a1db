# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ErrorResponse model."""

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.api_error_detail import APIErrorDetail


class ErrorResponse(BaseModel):
    """An error body, read leniently: Tachyon's `{"error": "<Variant>: text"}`, its newer `{"code", "message"}`, an OpenAI-style `{"error": {"message", ...}}`, or Emissary's `{"status", "error"}`. The same shape is the data of an `error` event inside a stream."""

    error: Optional[Union[str, APIErrorDetail]] = Field(
        default=None,
        description='The error, as a text (`"<Variant>: text"`) or an object.',
    )
    code: Optional[Union[str, int]] = Field(
        default=None,
        description="A machine-readable error code (for example `BAD_REQUEST`, `NOT_FOUND`).",
    )
    message: Optional[str] = Field(default=None, description="A human-readable message.")
    status: Optional[int] = Field(default=None, description="The HTTP status, when the body repeats it.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            error: Optional[Union[str, Union[APIErrorDetail, Mapping[str, Any]]]] = None,
            code: Optional[Union[str, int]] = None,
            message: Optional[str] = None,
            status: Optional[int] = None,
        ) -> None: ...
