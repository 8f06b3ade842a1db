# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""DeploymentMessage model."""

from typing import TYPE_CHECKING, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.deployment_message_role import DeploymentMessageRole


class DeploymentMessage(BaseModel):
    """One message of a deployment conversation."""

    role: DeploymentMessageRole
    content: str = Field(description="The content of the message.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            role: Union[DeploymentMessageRole, str],
            content: str,
        ) -> None: ...
