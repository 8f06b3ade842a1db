# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""GetChatCompletionsFromDeploymentRequestBody model."""

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Union

from pydantic import Field
from typing_extensions import Annotated

from tachyon_sdk._model import NOT_NULL, BaseModel
from tachyon_sdk.models.deployment_message import DeploymentMessage


class GetChatCompletionsFromDeploymentRequestBody(BaseModel):
    """Provide your chat input for completions."""

    messages: List[DeploymentMessage] = Field(description="The conversation so far.")
    streaming: Annotated[Optional[bool], NOT_NULL] = Field(
        default=None,
        description="Whether to stream the response (as Server-Sent Events of `{id, response}`, ending with `data: [DONE]`).",
    )
    temperature: Annotated[Optional[float], NOT_NULL] = Field(
        default=None,
        description="The sampling temperature to use.",
    )
    max_new_tokens: Annotated[Optional[int], NOT_NULL] = Field(
        default=None,
        description="The maximum number of new tokens to generate.",
    )
    top_p: Annotated[Optional[float], NOT_NULL] = Field(
        default=None,
        description="The cumulative probability for token selection.",
    )
    top_k: Annotated[Optional[int], NOT_NULL] = Field(
        default=None,
        description="The number of highest probability tokens to keep for top-k-filtering.",
    )
    no_repeat_ngram_size: Annotated[Optional[int], NOT_NULL] = Field(
        default=None,
        description="The size of n-grams to avoid repeating.",
    )
    do_sample: Annotated[Optional[bool], NOT_NULL] = Field(default=None, description="Whether to use sampling or not.")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            messages: Sequence[Union[DeploymentMessage, Mapping[str, Any]]],
            streaming: Optional[bool] = None,
            temperature: Optional[float] = None,
            max_new_tokens: Optional[int] = None,
            top_p: Optional[float] = None,
            top_k: Optional[int] = None,
            no_repeat_ngram_size: Optional[int] = None,
            do_sample: Optional[bool] = None,
        ) -> None: ...
