# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""FunctionCallMode enum."""

from tachyon_sdk._model import OpenStrEnum


class FunctionCallMode(OpenStrEnum):
    """Deprecated: `none` or `auto`.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    NONE = "none"
    AUTO = "auto"
