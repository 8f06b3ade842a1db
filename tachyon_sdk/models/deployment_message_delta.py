# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""DeploymentMessageDelta model."""

from typing import Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.deployment_message_role import DeploymentMessageRole


class DeploymentMessageDelta(BaseModel):
    """The part of a deployment message a chunk adds."""

    role: Optional[DeploymentMessageRole] = None
    content: Optional[str] = Field(default=None, description="The text this chunk adds.")
