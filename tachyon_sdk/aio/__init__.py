# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""The asyncio client: ``ApiClient`` and the API classes with the sync contract, awaited.

It runs on aiohttp, installed with the extra ``pip install "tachyon-sdk[async]"``; ``import tachyon_sdk`` never loads it. Names are imported lazily (PEP 562).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any, Dict, List

if TYPE_CHECKING:
    from tachyon_sdk.aio.api.chat_api import ChatApi as ChatApi
    from tachyon_sdk.aio.api.deployments_api import DeploymentsApi as DeploymentsApi
    from tachyon_sdk.aio.api_client import ApiClient as ApiClient
    from tachyon_sdk.aio.rest import AsyncRESTResponse as AsyncRESTResponse
    from tachyon_sdk.aio.streaming import AsyncStream as AsyncStream
    from tachyon_sdk.aio.streaming import AsyncStreamCall as AsyncStreamCall
    from tachyon_sdk.configuration import Configuration as Configuration

_EXPORTS: Dict[str, str] = {
    "ApiClient": "tachyon_sdk.aio.api_client",
    "AsyncRESTResponse": "tachyon_sdk.aio.rest",
    "AsyncStream": "tachyon_sdk.aio.streaming",
    "AsyncStreamCall": "tachyon_sdk.aio.streaming",
    "ChatApi": "tachyon_sdk.aio.api.chat_api",
    "Configuration": "tachyon_sdk.configuration",
    "DeploymentsApi": "tachyon_sdk.aio.api.deployments_api",
}

__all__ = [
    "ApiClient",
    "AsyncRESTResponse",
    "AsyncStream",
    "AsyncStreamCall",
    "ChatApi",
    "Configuration",
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
