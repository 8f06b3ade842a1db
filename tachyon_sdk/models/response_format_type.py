# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ResponseFormatType enum."""

from tachyon_sdk._model import OpenStrEnum


class ResponseFormatType(OpenStrEnum):
    """`text`, `json_object` or `json_schema`.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    TEXT = "text"
    JSON_OBJECT = "json_object"
    JSON_SCHEMA = "json_schema"
