"""openai-python with ``base_url`` set to the bench server's ``/v1/llms`` (same path and payloads)."""

from typing import Any, Dict, Iterator, Optional

import httpx
import openai

from bench.contenders import Contender
from bench.payloads import AUTHORIZATION, OPENAI_BASE_PATH, OPERATOR_ID, chat_request


class OpenAIPython(Contender):
    """``OpenAI(base_url=...).chat.completions.create(...)`` with its default settings.

    Its default connection pool (up to 1000 connections, 100 kept alive) is larger than any
    workload's thread count, so ``pool_size`` is not needed.
    """

    def __init__(self, base_url: str, pool_size: int) -> None:
        self._client = openai.OpenAI(
            base_url=base_url + OPENAI_BASE_PATH,
            api_key=AUTHORIZATION.split(" ", 1)[1],
            default_headers={"x-operator-id": OPERATOR_ID},
        )
        # typed with overloads per literal ``stream``; the workload passes a prepared dict
        self._create: Any = self._client.chat.completions.create

    def call(self) -> Optional[str]:
        response = self._create(**chat_request(256))
        content: Optional[str] = response.choices[0].message.content
        return content

    def stream(self, chunks: int) -> Iterator[Optional[str]]:
        with self._create(**chat_request(chunks, stream=True)) as stream:
            for chunk in stream:
                yield chunk.choices[0].delta.content if chunk.choices else None

    def close(self) -> None:
        self._client.close()

    @staticmethod
    def versions() -> Dict[str, str]:
        return {"openai": openai.__version__, "httpx": httpx.__version__}
