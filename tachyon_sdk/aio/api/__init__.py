# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""asyncio API classes, one per tag; a class's module is imported when first used."""

from importlib import import_module
from typing import TYPE_CHECKING, Any, Dict, List

if TYPE_CHECKING:
    from tachyon_sdk.aio.api.chat_api import ChatApi as ChatApi
    from tachyon_sdk.aio.api.deployments_api import DeploymentsApi as DeploymentsApi

_EXPORTS: Dict[str, str] = {
    "ChatApi": "tachyon_sdk.aio.api.chat_api",
    "DeploymentsApi": "tachyon_sdk.aio.api.deployments_api",
}

__all__ = [
    "ChatApi",
    "DeploymentsApi",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562) and keep it in the namespace."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    """The module's names, including the exports not imported yet."""
    return sorted(set(globals()) | set(__all__))
