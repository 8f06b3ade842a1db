"""The ``tachyon_server`` fixture: in this session, and loaded as a plugin by a child pytest."""

import subprocess
import sys
import textwrap
from typing import Any

import pytest

from tachyon_sdk.testing import LocalServer


def test_fixture_gives_a_running_server(tachyon_server: LocalServer, client: Any) -> None:
    assert tachyon_server.running
    assert tachyon_server.url.startswith("http://127.0.0.1:")


@pytest.mark.tachyon_server(api_key="marker-key", chunk_delay=0.001)
def test_marker_passes_options_to_the_server(tachyon_server: LocalServer) -> None:
    assert tachyon_server.api_key == "marker-key"
    assert tachyon_server.chunk_delay == 0.001


def test_plugin_in_a_child_pytest(tmp_path: Any, child_env: Any) -> None:
    # Loaded with -p and plugin autoload off, so the result does not depend on whether the
    # pytest11 entry point of an installed tachyon_sdk is present.
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import json, urllib.request
            import pytest

            SERVERS = []

            def test_uses_the_server(tachyon_server):
                SERVERS.append(tachyon_server)
                tachyon_server.set_reply("fixture works")
                request = urllib.request.Request(
                    tachyon_server.url + "/v1/llms/chat/completions",
                    data=json.dumps({"messages": [{"role": "user", "content": "hi"}]}).encode(),
                    headers={"x-operator-id": "op", "Authorization": "Bearer t", "Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    body = json.loads(response.read())
                assert body["choices"][0]["message"]["content"] == "fixture works"

            @pytest.mark.tachyon_server(api_key="k2")
            def test_fresh_server_per_test_and_stopped_after(tachyon_server):
                assert tachyon_server.api_key == "k2"
                assert tachyon_server.requests == []
                assert not SERVERS[0].running
                assert SERVERS[0] is not tachyon_server
            """
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tachyon_sdk.testing.pytest_plugin",
            "-W",
            "error",
            "--strict-markers",
            "-q",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
