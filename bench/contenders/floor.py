"""The floor: the same request by hand with one urllib3 ``PoolManager`` and ``json``.

Streams are read with ``read1`` (what the socket has), split on ``b"\\n\\n"``, stripped of
``data: `` and decoded with ``json.loads``: the least any Python client over urllib3 must do.
"""

import json
from importlib.metadata import version
from typing import Dict, Iterator, Optional

import urllib3

from bench.contenders import Contender
from bench.payloads import AUTHORIZATION, CHAT_PATH, OPERATOR_ID, chat_request

_READ_SIZE = 64 * 1024
_DATA_PREFIX = len(b"data: ")


class Floor(Contender):
    """Raw urllib3 + json."""

    def __init__(self, base_url: str, pool_size: int) -> None:
        self._pool = urllib3.PoolManager(maxsize=pool_size, block=True, retries=False)
        self._url = base_url + CHAT_PATH
        common = {"Content-Type": "application/json", "x-operator-id": OPERATOR_ID, "Authorization": AUTHORIZATION}
        self._headers = {**common, "Accept": "application/json"}
        self._stream_headers = {**common, "Accept": "text/event-stream"}

    def call(self) -> Optional[str]:
        body = json.dumps(chat_request(256)).encode("utf-8")
        response = self._pool.request("POST", self._url, body=body, headers=self._headers)
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
        content: Optional[str] = json.loads(response.data)["choices"][0]["message"]["content"]
        return content

    def stream(self, chunks: int) -> Iterator[Optional[str]]:
        body = json.dumps(chat_request(chunks, stream=True)).encode("utf-8")
        response = self._pool.request("POST", self._url, body=body, headers=self._stream_headers, preload_content=False)
        done = False
        try:
            if response.status != 200:
                raise RuntimeError(f"status {response.status}")
            buffer = b""
            while not done:
                data = response.read1(_READ_SIZE)
                if not data:
                    raise RuntimeError("stream ended without [DONE]")
                events = (buffer + data).split(b"\n\n")
                buffer = events.pop()
                for event in events:
                    payload = event[_DATA_PREFIX:]
                    if payload == b"[DONE]":
                        done = True
                        break
                    yield json.loads(payload)["choices"][0]["delta"].get("content")
        finally:
            if done:
                response.drain_conn()  # the chunked terminator: the connection goes back to the pool
            else:
                response.close()
            response.release_conn()

    def close(self) -> None:
        self._pool.clear()

    @staticmethod
    def versions() -> Dict[str, str]:
        return {"urllib3": version("urllib3")}
