# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionParameters model."""

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Sequence

from pydantic import Field

from tachyon_sdk._model import OpenModel


class FunctionParameters(OpenModel):
    """The parameters a function accepts, as a JSON Schema object (`type`, `properties`, `required`, and any other JSON Schema keyword)."""

    type: str = Field(description="The JSON Schema type of the parameters (`object`).")
    properties: Dict[str, Any] = Field(description="The JSON Schema of each parameter, by name.")
    required: List[str] = Field(description="The names of the required parameters.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            type: str,
            properties: Mapping[str, Any],
            required: Sequence[str],
            **extra: Any,
        ) -> None: ...
