"""The plain install stays urllib3-only: ``import tachyon_sdk`` and the sync client load no async transport."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import sys
import tachyon_sdk
from tachyon_sdk import ApiClient, ChatApi, ChatCompletionRequest, Configuration, DeploymentsApi
with ApiClient(Configuration(host="http://127.0.0.1:9")) as client:
    ChatApi(client), DeploymentsApi(client)
    ChatCompletionRequest(messages=[{"role": "user", "content": "Hi"}])
async_modules = ("aiohttp", "httpx", "httpcore", "anyio", "yarl", "multidict", "aiohappyeyeballs")
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in async_modules or name.startswith("tachyon_sdk.aio")
)
print(",".join(loaded))
"""


def test_sync_import_and_use_load_no_async_transport() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""
