"""What the asyncio tests share: running a coroutine on a fresh client in a fresh event loop."""

import asyncio
from typing import Any, Awaitable, Callable, List, TypeVar

from tachyon_sdk import Configuration, aio

T = TypeVar("T")


def run(main: Callable[[aio.ApiClient, List[float]], Awaitable[T]], url: str, **settings: Any) -> T:
    """``main(client, waits)`` in a fresh event loop on a client of ``url``; checks no task is left.

    ``waits`` records every retry sleep the client asked for (none is slept).
    """
    settings.setdefault("timeout", (2.0, 5.0))
    waits: List[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def outer() -> T:
        async with aio.ApiClient(Configuration(host=url, **settings), sleep=record) as client:
            result = await main(client, waits)
        assert asyncio.all_tasks() == {asyncio.current_task()}
        return result

    return asyncio.run(outer())
