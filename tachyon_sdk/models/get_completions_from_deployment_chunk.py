# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetCompletionsFromDeploymentChunk model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class GetCompletionsFromDeploymentChunk(BaseModel):
    """One streamed chunk of a deployment text completion (the data of one Server-Sent Event): the same fields as the whole answer, `response` holding the text this chunk adds."""

    id: Optional[str] = Field(
        default=None,
        description="The identifier of the completion; every chunk has the same ID.",
    )
    response: Optional[str] = Field(default=None, description="The text this chunk adds.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: Optional[str] = None,
            response: Optional[str] = None,
        ) -> None: ...
