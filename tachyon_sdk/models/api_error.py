# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""APIError model."""

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.api_error_detail import APIErrorDetail


class APIError(BaseModel):
    """Any other error (4XX, 5XX), also carried by an `error` event inside a stream."""

    error: APIErrorDetail
