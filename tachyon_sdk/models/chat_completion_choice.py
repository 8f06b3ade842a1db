# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionChoice model."""

from typing import Any, Dict, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_response_message import ChatCompletionResponseMessage
from tachyon_sdk.models.finish_reason import FinishReason


class ChatCompletionChoice(BaseModel):
    """One choice of a chat completion."""

    index: int = Field(description="The index of the choice in the list of choices.")
    message: ChatCompletionResponseMessage
    finish_reason: Annotated[Optional[FinishReason], NOT_NULL] = None
    logprobs: Optional[Dict[str, Any]] = Field(default=None, description="Log probability information for the choice.")
