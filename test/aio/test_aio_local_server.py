"""``tachyon_sdk.testing.LocalServer`` under the load one asyncio client makes: hundreds of streams at once."""

import asyncio
from typing import List

from tachyon_sdk import aio
from tachyon_sdk.testing import LocalServer

STREAMS = 200
REQUEST = {"messages": [{"role": "user", "content": "one two three"}]}


def test_hundreds_of_concurrent_streams_without_errors() -> None:
    errors: List[BaseException] = []

    async def main(server: LocalServer) -> List[int]:
        configuration = server.configuration()
        configuration.connection_pool_maxsize = STREAMS
        configuration.timeout = (30.0, 30.0)  # a connect waits while the listen queue drains
        async with aio.ApiClient(configuration) as client:
            api = aio.ChatApi(client)

            async def one() -> int:
                try:
                    async with api.chat_completion_stream("tn_1", "Bearer k", REQUEST) as stream:
                        return len([chunk async for chunk in stream])
                except Exception as exc:  # collected: the assertion below shows them
                    errors.append(exc)
                    return 0

            return await asyncio.gather(*(one() for _ in range(STREAMS)))

    with LocalServer(chunk_delay=0.005) as server:
        counts = asyncio.run(main(server))
        served = len(server.requests)

    assert errors == []
    assert len(set(counts)) == 1 and counts[0] > 0
    assert served == STREAMS
