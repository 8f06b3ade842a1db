# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetChatCompletionsFromDeploymentResponseBody model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class GetChatCompletionsFromDeploymentResponseBody(BaseModel):
    """A chat completion from a deployment (non-streamed)."""

    id: Optional[str] = Field(default=None, description="The unique identifier for the chat completion.")
    response: Optional[str] = Field(default=None, description="The generated chat completion from the deployment.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: Optional[str] = None,
            response: Optional[str] = None,
        ) -> None: ...
