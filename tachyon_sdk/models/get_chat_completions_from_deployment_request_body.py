# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetChatCompletionsFromDeploymentRequestBody model."""

from typing import List, Optional

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.deployment_message import DeploymentMessage


class GetChatCompletionsFromDeploymentRequestBody(BaseModel):
    """Provide your chat input for completions."""

    messages: Annotated[List[DeploymentMessage], Field(min_length=1)] = Field(description="The conversation so far.")
    streaming: Annotated[Optional[bool], NOT_NULL] = Field(
        default=None,
        description="Whether to stream back partial progress as Server-Sent Events, ending with `data: [DONE]`.",
    )
    temperature: Annotated[Optional[Annotated[float, Field(ge=0, le=2)]], NOT_NULL] = Field(
        default=None,
        description="The sampling temperature, between 0 and 2.",
    )
    max_new_tokens: Annotated[Optional[Annotated[int, Field(ge=1)]], NOT_NULL] = Field(
        default=None,
        description="The maximum number of tokens to generate.",
    )
    top_p: Annotated[Optional[Annotated[float, Field(ge=0, le=1)]], NOT_NULL] = Field(
        default=None,
        description="Nucleus sampling probability mass, between 0 and 1.",
    )
    top_k: Annotated[Optional[Annotated[int, Field(ge=1)]], NOT_NULL] = Field(
        default=None,
        description="Sample only from the k most likely tokens.",
    )
    no_repeat_ngram_size: Annotated[Optional[Annotated[int, Field(ge=0)]], NOT_NULL] = Field(
        default=None,
        description="No n-gram of this size appears twice in the output (0 turns the check off).",
    )
    do_sample: Annotated[Optional[bool], NOT_NULL] = Field(
        default=None,
        description="Whether to sample; false means greedy decoding.",
    )
