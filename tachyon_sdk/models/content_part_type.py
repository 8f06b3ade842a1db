# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""ContentPartType enum."""

from tachyon_sdk._model import OpenStrEnum


class ContentPartType(OpenStrEnum):
    """The kind of a content part.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    TEXT = "text"
    IMAGE_URL = "image_url"
