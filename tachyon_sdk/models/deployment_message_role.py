# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""DeploymentMessageRole enum."""

from tachyon_sdk._model import OpenStrEnum


class DeploymentMessageRole(OpenStrEnum):
    """The role of the message sender.

    A value the spec does not list yet is kept (open enum), not rejected.
    """

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
