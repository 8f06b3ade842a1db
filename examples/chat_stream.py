#!/usr/bin/env python3
"""Stream a chat completion and print the text as it arrives.

    python examples/chat_stream.py "your prompt"

With ``TACHYON_HOST`` set (and ``TACHYON_API_KEY``, ``TACHYON_OPERATOR_ID``) it
talks to that server. With ``TACHYON_HOST`` unset it starts
``tachyon_sdk.testing.LocalServer`` in this process, which speaks the real
Tachyon wire format and whose answers echo the prompt word by word, so the demo
runs anywhere.

Exit status: 0 when the whole answer arrived; 1 when the call failed (one line
on standard error: connection refused, 401, 402 out of credits, a stream cut
short or reporting an error, any other API error); 2 when a needed environment
variable is missing or TACHYON_HOST is not an http:// or https:// URL.
"""

import argparse
import contextlib
import os
import sys
from typing import List, Optional, Tuple

import tachyon_sdk
from tachyon_sdk.helpers import text_deltas

DEFAULT_PROMPT = "Say hello to the Tachyon API, one word at a time."
#: Seconds between two events of the local server's stream, so that streaming is visible.
LOCAL_CHUNK_DELAY = 0.05

PROG = "chat_stream"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("prompt", nargs="*", help=f"what to ask (default: {DEFAULT_PROMPT!r})")
    args = parser.parse_args(argv)
    prompt = " ".join(args.prompt).strip() or DEFAULT_PROMPT

    host = os.environ.get("TACHYON_HOST", "").strip()
    with contextlib.ExitStack() as stack:
        if host:
            settings = _remote_settings(host)
            if settings is None:
                return 2
            configuration, api_key, operator_id = settings
        else:
            from tachyon_sdk.testing import DEFAULT_OPERATOR_ID, LocalServer

            server = stack.enter_context(LocalServer(chunk_delay=LOCAL_CHUNK_DELAY))
            _error(f"TACHYON_HOST is not set: starting a local server at {server.url} (it echoes your prompt)")
            host = server.url
            configuration, api_key, operator_id = server.configuration(), server.api_key, DEFAULT_OPERATOR_ID
        api_client = stack.enter_context(tachyon_sdk.ApiClient(configuration))
        return _stream_chat(tachyon_sdk.ChatApi(api_client), operator_id, api_key, prompt, host)


def _remote_settings(host: str) -> Optional[Tuple["tachyon_sdk.Configuration", str, str]]:
    api_key = os.environ.get("TACHYON_API_KEY", "")
    operator_id = os.environ.get("TACHYON_OPERATOR_ID", "")
    missing = [
        name for name, value in (("TACHYON_API_KEY", api_key), ("TACHYON_OPERATOR_ID", operator_id)) if not value
    ]
    if missing:
        _error(f"error: TACHYON_HOST is set but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not")
        return None
    try:
        configuration = tachyon_sdk.Configuration(host=host)
    except tachyon_sdk.ApiValueError as exc:  # a host without http:// or https://
        _error(f"error: TACHYON_HOST: {exc}")
        return None
    return configuration, api_key, operator_id


def _stream_chat(api: "tachyon_sdk.ChatApi", operator_id: str, api_key: str, prompt: str, host: str) -> int:
    """Print the answer as it arrives; return the exit status."""
    printed = False
    try:
        request = {"messages": [{"role": "user", "content": prompt}]}
        with api.chat_completion_stream(operator_id, "Bearer " + api_key, request) as stream:
            for text in text_deltas(stream, choice=0):
                sys.stdout.write(text)
                sys.stdout.flush()
                printed = True
        print(flush=True)
        return 0
    except KeyboardInterrupt:
        _end_line(printed)
        return 130
    except tachyon_sdk.UnauthorizedException as exc:
        _end_line(printed)
        _error(f"error: {host} refused the credentials (401): {_api_message(exc)}; check TACHYON_API_KEY")
    except tachyon_sdk.PaymentRequiredException as exc:
        _end_line(printed)
        _error(f"error: {host} answered 402, no credits left: {_api_message(exc)}")
    except tachyon_sdk.ApiException as exc:
        _end_line(printed)
        if exc.status is not None and 200 <= exc.status < 300:  # an error event inside the stream
            _error(f"error: the stream reported an error: {_api_message(exc)}")
        else:
            _error(f"error: {host} answered {exc.status}: {_api_message(exc)}")
    except tachyon_sdk.StreamError as exc:
        _end_line(printed)
        _error(f"error: the stream was cut before its end: {exc}")
    except tachyon_sdk.ApiConnectionError as exc:
        _end_line(printed)
        _error(f"error: cannot reach {host}: {exc}")
    except tachyon_sdk.OpenApiException as exc:
        _end_line(printed)
        _error(f"error: {type(exc).__name__}: {exc}")
    return 1


def _api_message(exc: "tachyon_sdk.ApiException") -> str:
    """The server's own text, whatever the shape of the error body (JSON string or object, plain text)."""
    return exc.server_message or exc.reason or "no message"


def _end_line(printed: bool) -> None:
    if printed:
        print(flush=True)


def _error(message: str) -> None:
    """Print ``message`` on one line of standard error."""
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
