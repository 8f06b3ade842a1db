# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FinishReason enum."""

from tachyon_sdk._model import OpenStrEnum


class FinishReason(OpenStrEnum):
    """Why the model stopped generating tokens.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    FUNCTION_CALL = "function_call"
