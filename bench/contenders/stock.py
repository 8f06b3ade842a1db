"""The stock OpenAPI Generator ``python`` client, generated from ``openapi.yaml`` at bench time.

The harness generates it into its work directory as the package ``stock_client`` and puts that
directory on the worker's ``PYTHONPATH`` (it is never committed). It has no streaming support:
it cannot read a ``text/event-stream`` answer chunk by chunk.
"""

from typing import Dict, Optional

import stock_client  # type: ignore[import-not-found]
from stock_client.models.chat_completion_request import ChatCompletionRequest  # type: ignore[import-not-found]

from bench.contenders import Contender
from bench.payloads import AUTHORIZATION, OPERATOR_ID, chat_request


class Stock(Contender):
    """``stock_client.ChatApi(api_client).chat_completion(...)``."""

    can_stream = False

    def __init__(self, base_url: str, pool_size: int) -> None:
        configuration = stock_client.Configuration(host=base_url)
        configuration.connection_pool_maxsize = pool_size
        self._client = stock_client.ApiClient(configuration)
        self._api = stock_client.ChatApi(self._client)

    def call(self) -> Optional[str]:
        request = ChatCompletionRequest.from_dict(chat_request(256))
        response = self._api.chat_completion(OPERATOR_ID, AUTHORIZATION, request)
        # The spec's content is anyOf (text or parts): the stock client wraps it in a class whose
        # ``actual_instance`` is the value, which is how its users read the text.
        content = response.choices[0].message.content
        text: Optional[str] = getattr(content, "actual_instance", content)
        return text

    def close(self) -> None:
        self._client.rest_client.pool_manager.clear()

    @staticmethod
    def versions() -> Dict[str, str]:
        return {"stock_client": str(getattr(stock_client, "__version__", "?"))}
