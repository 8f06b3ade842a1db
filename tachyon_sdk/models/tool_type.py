# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ToolType enum."""

from tachyon_sdk._model import OpenStrEnum


class ToolType(OpenStrEnum):
    """The type of a tool. Only `function` is supported.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    FUNCTION = "function"
