"""``tachyon_sdk.aio`` is a generated lazy package over the aiohttp runtime."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_aio_names_come_from_the_asyncio_package() -> None:
    probe = "import tachyon_sdk.aio as aio, sys; print(aio.ApiClient.__module__, aio.ChatApi.__module__, 'aiohttp' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["tachyon_sdk.aio.api_client", "tachyon_sdk.aio.api.chat_api", "True"]
