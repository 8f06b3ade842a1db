# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ChatCompletionRole enum."""

from tachyon_sdk._model import OpenStrEnum


class ChatCompletionRole(OpenStrEnum):
    """The role of a message's author.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
