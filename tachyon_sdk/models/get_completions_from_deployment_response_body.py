# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetCompletionsFromDeploymentResponseBody model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class GetCompletionsFromDeploymentResponseBody(BaseModel):
    """A text completion from a deployment (non-streamed)."""

    id: Optional[str] = Field(default=None, description="The unique identifier for the completion.")
    response: Optional[str] = Field(default=None, description="The generated completion from the deployment.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: Optional[str] = None,
            response: Optional[str] = None,
        ) -> None: ...
