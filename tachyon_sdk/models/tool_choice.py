# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ToolChoice enum."""

from tachyon_sdk._model import OpenStrEnum


class ToolChoice(OpenStrEnum):
    """`auto` (the model decides) or `any` (the model calls a tool).

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    AUTO = "auto"
    ANY = "any"
