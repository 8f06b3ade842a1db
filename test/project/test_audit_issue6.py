"""Issue 6 promises not covered elsewhere: ``python -m tachyon_sdk.testing --port N`` as the README says it.

test/testing/test_cli.py runs the command with ``--port 0``; this runs it with an explicit port, as a user
does, and talks to it through the SDK: the first line printed is ``http://127.0.0.1:N`` (127.0.0.1 when no
``--host`` is given), the server answers the SDK's calls, and Ctrl-C (SIGINT) stops it with status 0.
"""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict

import tachyon_sdk
from tachyon_sdk.helpers import answer_text
from tachyon_sdk.testing import DEFAULT_API_KEY, DEFAULT_OPERATOR_ID

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 20


def _child_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACHYON_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_with_an_explicit_port_prints_its_url_serves_the_sdk_and_stops_on_ctrl_c() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tachyon_sdk.testing", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_child_env(),
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url == f"http://127.0.0.1:{port}"
        configuration = tachyon_sdk.Configuration(host=url, api_key={"api_key": DEFAULT_API_KEY}, retries=0)
        with tachyon_sdk.ApiClient(configuration) as api_client:
            deployments = tachyon_sdk.DeploymentsApi(api_client)
            answer = deployments.get_completions_from_deployment("p", "d", {"prompt": "by hand"})
            with deployments.get_completions_from_deployment_stream("p", "d", {"prompt": "by hand"}) as stream:
                streamed = "".join(chunk.response or "" for chunk in stream)
            chat = tachyon_sdk.ChatApi(api_client)
            request = {"messages": [{"role": "user", "content": "by hand"}]}
            reply = chat.chat_completion(DEFAULT_OPERATOR_ID, "Bearer any", request)
        assert answer.response == "by hand"
        assert streamed == "by hand"
        assert answer_text(reply) == "by hand"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert out == ""  # only the URL line, already read
    assert "Traceback" not in err
    assert DEFAULT_API_KEY not in err
    try:  # the server stopped: nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        pass
    else:
        raise AssertionError(f"something still listens on port {port}")
