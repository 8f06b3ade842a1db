# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIErrorDetail model."""

from typing import TYPE_CHECKING, Optional, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel


class APIErrorDetail(BaseModel):
    """The details of an error given as an object."""

    message: Optional[str] = Field(default=None, description="A human-readable message.")
    type: Optional[str] = Field(default=None, description="The error type, for example `rate_limit_error`.")
    param: Optional[str] = Field(default=None, description="The request parameter the error is about.")
    code: Optional[Union[str, int]] = Field(default=None, description="A machine-readable error code.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            message: Optional[str] = None,
            type: Optional[str] = None,
            param: Optional[str] = None,
            code: Optional[Union[str, int]] = None,
        ) -> None: ...
