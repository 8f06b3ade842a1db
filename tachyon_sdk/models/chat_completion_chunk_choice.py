# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionChunkChoice model."""

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_stream_delta import ChatCompletionStreamDelta
from tachyon_sdk.models.finish_reason import FinishReason


class ChatCompletionChunkChoice(BaseModel):
    """One choice of a streamed chunk."""

    index: int = Field(description="The index of the choice in the list of choices.")
    delta: ChatCompletionStreamDelta
    finish_reason: Optional[FinishReason] = Field(
        default=None,
        description="Why the model stopped; null or absent until the last chunk of this choice.",
    )
    logprobs: Optional[Dict[str, Any]] = Field(default=None, description="Log probability information for the choice.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            index: int,
            delta: Union[ChatCompletionStreamDelta, Mapping[str, Any]],
            finish_reason: Optional[Union[FinishReason, str]] = None,
            logprobs: Optional[Mapping[str, Any]] = None,
        ) -> None: ...
