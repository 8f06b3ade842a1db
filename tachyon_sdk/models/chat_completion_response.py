# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionResponse model."""

from typing import List, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.chat_completion_choice import ChatCompletionChoice
from tachyon_sdk.models.completion_usage import CompletionUsage


class ChatCompletionResponse(BaseModel):
    """A chat completion (non-streamed)."""

    id: str = Field(description="A unique identifier for the chat completion.")
    object: str = Field(description="Always `chat.completion`.")
    created: int = Field(description="The Unix timestamp (in seconds) of when the chat completion was created.")
    model: str = Field(description="The model used for the chat completion.")
    choices: List[ChatCompletionChoice] = Field(description="A list of chat completion choices.")
    usage: Annotated[Optional[CompletionUsage], NOT_NULL] = None
    system_fingerprint: Optional[str] = Field(default=None, description="The backend configuration the model ran with.")
