# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionResponse model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field

from tachyon_sdk._model import BaseModel
from tachyon_sdk.models.chat_completion_choice import ChatCompletionChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionResponse(BaseModel):
    """A chat completion (non-streamed). The server sends a `chat.completion` whose choices carry a `message`; its published document declares the shape of a chunk, whose choices carry a `delta`. Both parse; `tachyon_sdk.helpers.answer_text` reads the text of either."""

    id: str = Field(description="A unique identifier for the chat completion.")
    object: str = Field(description="`chat.completion` (or `chat.completion.chunk` for the shape of a chunk).")
    created: Optional[int] = Field(
        default=None,
        description="The Unix timestamp (in seconds) of when the chat completion was created.",
    )
    model: str = Field(description="The model used for the chat completion.")
    choices: List[ChatCompletionChoice] = Field(description="A list of chat completion choices.")
    usage: Optional[CompletionUsage] = Field(default=None, description="Token usage statistics.")
    system_fingerprint: Optional[str] = Field(default=None, description="The backend configuration the model ran with.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            id: str,
            object: str,
            model: str,
            choices: Sequence[Union[ChatCompletionChoice, Mapping[str, Any]]],
            created: Optional[int] = None,
            usage: Optional[Union[CompletionUsage, Mapping[str, Any]]] = None,
            system_fingerprint: Optional[str] = None,
        ) -> None: ...
