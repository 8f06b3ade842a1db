# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""DeploymentMessageDelta model."""

from typing import Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.deployment_message_role import DeploymentMessageRole


class DeploymentMessageDelta(BaseModel):
    """The part of a deployment message a chunk adds."""

    role: Annotated[Optional[DeploymentMessageRole], NOT_NULL] = None
    content: Optional[str] = Field(default=None, description="The text this chunk adds.")
