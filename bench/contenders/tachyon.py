"""tachyon_sdk: ``ChatApi(api_client).chat_completion(...)`` and ``chat_completion_stream(...)``."""

from importlib.metadata import version
from typing import Dict, Iterator, Optional

import pydantic

import tachyon_sdk
from bench.contenders import Contender
from bench.payloads import AUTHORIZATION, OPERATOR_ID, chat_request


class Tachyon(Contender):
    """The SDK under test, with its default configuration (validation, retries, timeouts on)."""

    def __init__(self, base_url: str, pool_size: int) -> None:
        configuration = tachyon_sdk.Configuration(host=base_url, connection_pool_maxsize=pool_size)
        self._client = tachyon_sdk.ApiClient(configuration)
        self._api = tachyon_sdk.ChatApi(self._client)

    def call(self) -> Optional[str]:
        response = self._api.chat_completion(OPERATOR_ID, AUTHORIZATION, chat_request(256))
        if not isinstance(response, tachyon_sdk.ChatCompletionResponse):
            raise TypeError(f"expected a ChatCompletionResponse, got {type(response).__name__}")
        return response.choices[0].message.content

    def stream(self, chunks: int) -> Iterator[Optional[str]]:
        with self._api.chat_completion_stream(OPERATOR_ID, AUTHORIZATION, chat_request(chunks)) as stream:
            for chunk in stream:
                yield chunk.choices[0].delta.content

    def close(self) -> None:
        self._client.close()

    @staticmethod
    def versions() -> Dict[str, str]:
        return {"tachyon_sdk": tachyon_sdk.__version__, "pydantic": pydantic.VERSION, "urllib3": version("urllib3")}
