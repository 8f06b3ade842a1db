# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionDefinition model."""

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.function_parameters import FunctionParameters


class FunctionDefinition(BaseModel):
    """A function the model may call."""

    name: str = Field(description="The name of the function.")
    description: str = Field(
        description="A description of what the function does, used by the model to choose when and how to call it.",
    )
    parameters: FunctionParameters
    strict: Optional[bool] = Field(default=None, description="Whether to enforce strict parameter validation.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            name: str,
            description: str,
            parameters: Union[FunctionParameters, Mapping[str, Any]],
            strict: Optional[bool] = None,
        ) -> None: ...
