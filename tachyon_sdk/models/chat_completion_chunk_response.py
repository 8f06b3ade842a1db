# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionChunkResponse model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_chunk_choice import ChatCompletionChunkChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionChunkResponse(BaseModel):
    """One streamed chunk of a chat completion (the data of one Server-Sent Event). Real chunks carry explicit nulls (`"role": null`, `"tool_calls": null`, `"finish_reason": null`)."""

    id: str = Field(description="The identifier of the chat completion; every chunk has the same ID.")
    object: str = Field(description="`chat.completion.chunk`.")
    created: Optional[int] = Field(
        default=None,
        description="The Unix timestamp (in seconds) of when the chat completion was created.",
    )
    model: str = Field(description="The model that generates the completion.")
    choices: List[ChatCompletionChunkChoice] = Field(
        description="The choices of this chunk; empty in the last chunk when `stream_options.include_usage` is set.",
    )
    usage: Optional[CompletionUsage] = Field(
        default=None,
        description="Usage of the whole request; only in the last chunk, when the server sends it.",
    )
    system_fingerprint: Optional[str] = Field(default=None, description="The backend configuration the model ran with.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,
            object: str,
            model: str,
            choices: Sequence[Union[ChatCompletionChunkChoice, Mapping[str, Any]]],
            created: Optional[int] = None,
            usage: Optional[Union[CompletionUsage, Mapping[str, Any]]] = None,
            system_fingerprint: Optional[str] = None,
        ) -> None: ...
