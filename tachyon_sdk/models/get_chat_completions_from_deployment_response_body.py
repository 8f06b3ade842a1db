# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetChatCompletionsFromDeploymentResponseBody model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.completion_usage import CompletionUsage
from tachyon_sdk.models.deployment_message import DeploymentMessage
from tachyon_sdk.models.finish_reason import FinishReason


class GetChatCompletionsFromDeploymentResponseBody(BaseModel):
    """A chat completion from a deployment (non-streamed)."""

    id: str = Field(description="A unique identifier for the completion.")
    created: int = Field(description="The Unix timestamp (in seconds) of when the completion was created.")
    deployment_id: str = Field(description="The deployment that produced the completion.")
    message: DeploymentMessage
    finish_reason: Annotated[Optional[FinishReason], NOT_NULL] = None
    usage: Annotated[Optional[CompletionUsage], NOT_NULL] = None
