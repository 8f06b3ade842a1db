"""A local server for your tests (like moto for AWS), speaking the real Tachyon and Emissary APIs.

``LocalServer`` runs the SDK's four operations on ``127.0.0.1`` and a free port,
with deterministic answers in the real services' shapes, their checks and error
bodies, request recording and fault injection::

    import tachyon_sdk
    from tachyon_sdk.testing import LocalServer, DEFAULT_OPERATOR_ID

    with LocalServer() as server, server.api_client() as client:
        api = tachyon_sdk.ChatApi(client)
        response = api.chat_completion(DEFAULT_OPERATOR_ID, "Bearer " + server.api_key, {"messages": [...]})

``python -m tachyon_sdk.testing --port 8080`` runs it by hand, and the pytest
fixture ``tachyon_server`` (``tachyon_sdk.testing.pytest_plugin``) gives each test
a fresh one. This package uses only the standard library; ``import tachyon_sdk``
does not import it.
"""

from tachyon_sdk.testing._records import Headers, RecordedRequest
from tachyon_sdk.testing._server import DEFAULT_API_KEY, DEFAULT_MODEL, DEFAULT_OPERATOR_ID, LocalServer

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_MODEL",
    "DEFAULT_OPERATOR_ID",
    "Headers",
    "LocalServer",
    "RecordedRequest",
]
