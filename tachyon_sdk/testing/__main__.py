"""Run a local Tachyon API server by hand: ``python -m tachyon_sdk.testing --port 8080``.

The first line printed on standard output is the server's URL. Requests are
logged on standard error. Ctrl-C or SIGTERM stops the server (exit status 0).
"""

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import List, Optional

from tachyon_sdk.testing._server import DEFAULT_API_KEY, LocalServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tachyon_sdk.testing",
        description=(
            "Serve the Tachyon chat and Emissary deployment APIs locally with deterministic (echo) answers,"
            " for tests and demos."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to bind; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument(
        "--api-key",
        default=DEFAULT_API_KEY,
        help="the X-API-Key the Deployments operations accept (default: the documented test key)",
    )
    parser.add_argument(
        "--chunk-delay", type=float, default=0.0, help="seconds between two events of a stream (default: 0)"
    )
    parser.add_argument(
        "--check-chat-key", action="store_true", help="make the Chat operations require 'Bearer <api key>'"
    )
    parser.add_argument(
        "--agent-events",
        action="store_true",
        help="answer streamed chatroom requests with agent events (say, done) instead of chunks",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests on standard error")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.chunk_delay < 0:
        print("error: --chunk-delay must be >= 0", file=sys.stderr)
        return 2
    if not args.api_key:
        print("error: --api-key must not be empty", file=sys.stderr)
        return 2
    if not args.quiet:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
        logging.getLogger("tachyon_sdk.testing").setLevel(logging.INFO)
    stop = threading.Event()

    def on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    server = LocalServer(args.api_key, host=args.host, port=args.port, chunk_delay=args.chunk_delay)
    server.check_chat_key = args.check_chat_key
    server.agent_events = args.agent_events
    try:
        try:
            server.start()
        except OSError as exc:
            print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(server.url, flush=True)
        print("Tachyon local server ready; Ctrl-C stops it.", file=sys.stderr, flush=True)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
