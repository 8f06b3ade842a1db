# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionCallDelta model."""

from typing import TYPE_CHECKING, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel


class FunctionCallDelta(BaseModel):
    """A fragment of a function call; `arguments` fragments are concatenated."""

    name: Optional[str] = Field(default=None, description="The name of the function (first fragment only).")
    arguments: Optional[str] = Field(default=None, description="A fragment of the arguments JSON string.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            name: Optional[str] = None,
            arguments: Optional[str] = None,
        ) -> None: ...
