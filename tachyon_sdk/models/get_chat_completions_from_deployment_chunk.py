# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetChatCompletionsFromDeploymentChunk model."""

from typing import Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.completion_usage import CompletionUsage
from tachyon_sdk.models.deployment_message_delta import DeploymentMessageDelta
from tachyon_sdk.models.finish_reason import FinishReason


class GetChatCompletionsFromDeploymentChunk(BaseModel):
    """One streamed chunk of a deployment chat completion (the data of one Server-Sent Event)."""

    id: str = Field(description="The identifier of the completion; every chunk has the same ID.")
    delta: DeploymentMessageDelta
    finish_reason: Optional[FinishReason] = Field(
        default=None,
        description="Why the model stopped; null until the last chunk.",
    )
    usage: Optional[CompletionUsage] = Field(default=None, description="Usage of the whole request, in the last chunk.")
