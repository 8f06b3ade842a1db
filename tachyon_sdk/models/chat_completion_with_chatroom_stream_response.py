# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionWithChatroomStreamResponse model."""

from typing import List, Optional

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_chunk_choice import ChatCompletionChunkChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionWithChatroomStreamResponse(BaseModel):
    """One streamed chunk of a chat completion in a chatroom (the data of one Server-Sent Event)."""

    id: str = Field(description="The identifier of the chat completion; every chunk has the same ID.")
    object: str = Field(description="Always `chat.completion.chunk`.")
    created: int = Field(description="The Unix timestamp (in seconds) of when the chat completion was created.")
    model: str = Field(description="The model that generates the completion.")
    chatroom_id: str = Field(description="The chatroom the conversation belongs to.")
    choices: List[ChatCompletionChunkChoice] = Field(description="The choices of this chunk.")
    usage: Optional[CompletionUsage] = Field(
        default=None,
        description="Usage of the whole request; only in the last chunk, when `stream_options.include_usage` is set.",
    )
