"""``mypy --strict`` sees every ``<op>_stream`` method as ``Stream[<chunk model>]`` (and the helpers typed to match).

The snippet ``stream_types.py`` is type-checked, not run; a second snippet with a wrong type
proves that the check fails when a type is wrong.
"""

import re
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = Path(__file__).with_name("stream_types.py")


def mypy(path: Path, cache: Path) -> "subprocess.CompletedProcess[str]":
    """``mypy --strict`` as a user runs it: an empty configuration (no pydantic plugin)."""
    config = cache.parent / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    args = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--no-incremental"]
    args += ["--cache-dir", str(cache), str(path)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def revealed(output: str) -> List[str]:
    return re.findall(r'Revealed type is "([^"]+)"', output)


def test_stream_methods_are_typed_with_their_chunk_model(tmp_path: Path) -> None:
    result = mypy(SNIPPET, tmp_path / "cache")

    assert result.returncode == 0, result.stdout + result.stderr
    assert revealed(result.stdout) == [
        "tachyon_sdk.streaming.Stream[tachyon_sdk.models.chat_completion_chunk_response.ChatCompletionChunkResponse]",
        "tachyon_sdk.streaming.Stream[tachyon_sdk.models.chat_completion_with_chatroom_stream_response."
        "ChatCompletionWithChatroomStreamResponse]",
        "tachyon_sdk.streaming.Stream[tachyon_sdk.models.get_chat_completions_from_deployment_chunk."
        "GetChatCompletionsFromDeploymentChunk]",
        "tachyon_sdk.streaming.Stream[tachyon_sdk.models.get_completions_from_deployment_chunk."
        "GetCompletionsFromDeploymentChunk]",
    ]


def test_a_wrong_stream_type_fails_the_check(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong_types.py"
    wrong.write_text(
        "from typing_extensions import assert_type\n"
        "import tachyon_sdk\n"
        "from tachyon_sdk.api.chat_api import ChatApi\n"
        "from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse\n"
        "from tachyon_sdk.models.get_completions_from_deployment_chunk import GetCompletionsFromDeploymentChunk\n"
        "from tachyon_sdk.streaming import Stream\n"
        "def check(client: tachyon_sdk.ApiClient) -> None:\n"
        "    api = ChatApi(client)\n"
        "    body = {'messages': []}\n"
        "    assert_type(api.chat_completion_stream('tn_1', 'Bearer x', body), Stream[GetCompletionsFromDeploymentChunk])\n"
        "    response: ChatCompletionResponse = api.chat_completion_stream('tn_1', 'Bearer x', body)\n",
        encoding="utf-8",
    )

    result = mypy(wrong, tmp_path / "cache")

    assert result.returncode == 1
    assert "wrong_types.py:10: error: Expression is of type" in result.stdout
    assert "wrong_types.py:11: error: Incompatible types in assignment" in result.stdout
