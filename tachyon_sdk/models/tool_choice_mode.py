# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ToolChoiceMode enum."""

from tachyon_sdk._model import OpenStrEnum


class ToolChoiceMode(OpenStrEnum):
    """`none` (no tool), `auto` (the model decides) or `required` (at least one tool).

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    NONE = "none"
    AUTO = "auto"
    REQUIRED = "required"
