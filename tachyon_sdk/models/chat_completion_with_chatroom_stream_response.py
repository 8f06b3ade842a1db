# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionWithChatroomStreamResponse model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_chunk_choice import ChatCompletionChunkChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionWithChatroomStreamResponse(BaseModel):
    """One streamed chunk of a chat completion in a chatroom (the data of one Server-Sent Event). Real chunks carry no `created` and no `chatroom_id`, and no `finish_reason` until the last one (delta `{}`, `finish_reason: "stop"`)."""

    id: str = Field(description="The ID of the response; every chunk has the same ID.")
    object: str = Field(description="The object type (`chat.completion.chunk`).")
    created: Optional[int] = Field(default=None, description="The created timestamp, when the server sends one.")
    model: str = Field(description="The model used.")
    chatroom_id: Optional[str] = Field(default=None, description="The chatroom, when the server sends it.")
    choices: List[ChatCompletionChunkChoice] = Field(description="The choices of this chunk.")
    usage: Optional[CompletionUsage] = Field(
        default=None,
        description="Usage of the whole request, when the server sends it.",
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,
            object: str,
            model: str,
            choices: Sequence[Union[ChatCompletionChunkChoice, Mapping[str, Any]]],
            created: Optional[int] = None,
            chatroom_id: Optional[str] = None,
            usage: Optional[Union[CompletionUsage, Mapping[str, Any]]] = None,
        ) -> None: ...
