# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionWithChatroomResponse model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_choice import ChatCompletionChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionWithChatroomResponse(BaseModel):
    """A chat completion created in a chatroom (non-streamed): a `chat.completion`, or the shape of a chunk the published document declares. `tachyon_sdk.helpers.answer_text` reads the text of either."""

    id: str = Field(description="The ID of the response.")
    object: str = Field(description="The object type.")
    created: Optional[int] = Field(
        default=None,
        description="The Unix timestamp (in seconds) of when the chat completion was created.",
    )
    model: str = Field(description="The model used.")
    chatroom_id: Optional[str] = Field(
        default=None,
        description="The chatroom the conversation belongs to, when the server says.",
    )
    choices: List[ChatCompletionChoice] = Field(description="The choices generated.")
    usage: Optional[CompletionUsage] = Field(default=None, description="Token usage statistics.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,
            object: str,
            model: str,
            choices: Sequence[Union[ChatCompletionChoice, Mapping[str, Any]]],
            created: Optional[int] = None,
            chatroom_id: Optional[str] = None,
            usage: Optional[Union[CompletionUsage, Mapping[str, Any]]] = None,
        ) -> None: ...
