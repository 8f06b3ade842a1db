"""The HTTP side of the local server: one handler per connection, HTTP/1.1 keep-alive.

A request goes through the checks of the real API in this order: route (404),
method (405), credentials (401), ``x-operator-id`` (400), Content-Type (415),
body (422), missing chatroom or deployment (404). A request that passes them
all takes the oldest queued fault that applies to it, then gets its answer:
``application/json``, or ``text/event-stream`` with chunked transfer encoding.
"""

import json
import logging
import re
import socket
import struct
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Pattern, Sequence, Tuple
from urllib.parse import unquote

from tachyon_sdk.testing import _faults, _replies
from tachyon_sdk.testing._records import RecordedRequest, masked_headers
from tachyon_sdk.testing._schemas import SCHEMAS
from tachyon_sdk.testing._validate import Problem, validate

if TYPE_CHECKING:
    from tachyon_sdk.testing._server import LocalServer

logger = logging.getLogger("tachyon_sdk.testing")

MAX_BODY_BYTES = 16 * 1024 * 1024
IDLE_TIMEOUT_SECONDS = 30.0
MAX_CHOICES = 16


@dataclass(frozen=True)
class Route:
    """One operation of openapi.yaml."""

    operation: str
    pattern: Pattern[str]
    auth: str  # "header": an explicit ``Authorization: Bearer <any>`` parameter; "key": bearer == the api key
    schema: str
    stream_flag: str


ROUTES: Tuple[Route, ...] = (
    Route(
        "chat_completion",
        re.compile(r"/v1/llms/chat/completions"),
        "header",
        "ChatCompletionRequest",
        "stream",
    ),
    Route(
        "chat_completion_on_chatroom",
        re.compile(r"/v1/llms/chatrooms/(?P<chatroom_id>[^/]+)/chat/completions"),
        "header",
        "ChatCompletionRequest",
        "stream",
    ),
    Route(
        "getChatCompletionsFromDeployment",
        re.compile(r"/v1/projects/(?P<project_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)/chat/completions"),
        "key",
        "GetChatCompletionsFromDeploymentRequestBody",
        "streaming",
    ),
    Route(
        "getCompletionsFromDeployment",
        re.compile(r"/v1/projects/(?P<project_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)/completions"),
        "key",
        "GetCompletionsFromDeploymentRequestBody",
        "streaming",
    ),
)


def match_route(path: str) -> Tuple[Optional[Route], Dict[str, str]]:
    for route in ROUTES:
        found = route.pattern.fullmatch(path)
        if found:
            return route, {name: unquote(value) for name, value in found.groupdict().items()}
    return None, {}


class _BadRequest(Exception):
    """The request cannot be read (bad framing); answered with 400 and the connection closed."""


class Handler(BaseHTTPRequestHandler):
    """Serves the four operations of openapi.yaml for a :class:`LocalServer`."""

    protocol_version = "HTTP/1.1"
    server_version = "tachyon-local"
    sys_version = ""
    timeout = IDLE_TIMEOUT_SECONDS
    _headers_sent = False
    _chunked = True

    # -- entry points ---------------------------------------------------------------------------

    def do_POST(self) -> None:
        self._dispatch()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)

    @property
    def owner(self) -> "LocalServer":
        return self.server.owner  # type: ignore[attr-defined, no-any-return]

    # -- the pipeline -------------------------------------------------------------------------

    def _dispatch(self) -> None:
        self._headers_sent = False
        try:
            self._handle()
        except OSError:
            # The client went away (broken pipe, reset) or the server is stopping.
            self.close_connection = True
        except Exception:  # a bug here must not kill the thread silently, nor raise in it
            logger.exception("local server: error while answering %s %s", self.command, self.path)
            self.close_connection = True
            if not self._headers_sent:
                try:
                    self._send_json(500, _replies.api_error("Internal error in the local server", "server_error"))
                except OSError:
                    pass

    def _handle(self) -> None:
        raw_path = self.path
        path = raw_path.split("?", 1)[0]
        try:
            raw_body = self._read_body()
        except _BadRequest as exc:
            self.close_connection = True
            self._send_json(400, {"message": str(exc), "code": "bad_request"})
            return
        body, json_problem = _parse_json(raw_body)
        route, path_params = match_route(path)
        self.owner._record(
            RecordedRequest(
                method=self.command,
                path=raw_path,
                headers=masked_headers(self.headers.items()),
                body=body,
                raw_body=raw_body,
                operation=route.operation if route else None,
            )
        )
        if route is None:
            self._send_json(404, {"message": f"No route for {self.command} {path}", "code": "route_not_found"})
            return
        if not self._passes_checks(route, path, path_params, raw_body, body, json_problem):
            return
        streamed = body.get(route.stream_flag) is True
        fault = self.owner._take_fault(path, streamed)
        if isinstance(fault, _faults.Delay):
            if self.owner._wait(fault.seconds):
                self.close_connection = True  # the server is stopping
                return
            fault = None
        if isinstance(fault, _faults.Reset):
            self._reset()
        elif isinstance(fault, _faults.Fail):
            self._send_fail(fault)
        else:
            self._answer(route, path_params, body, streamed, fault)

    def _passes_checks(
        self,
        route: Route,
        path: str,
        params: Dict[str, str],
        raw_body: bytes,
        body: Any,
        json_problem: Optional[Problem],
    ) -> bool:
        """Answer the first check the request fails, as the real API does; True when it passes them all."""
        if self.command != "POST":
            message = f"Method {self.command} is not allowed on {path}; use POST"
            error = _replies.api_error(message, "invalid_request_error", "method_not_allowed")
            self._send_json(405, error, [("Allow", "POST")])
            return False
        if not self._check_auth(route):
            return False
        operator_id = self.headers.get("x-operator-id", "")
        if not operator_id.strip():
            message = "Missing required header: x-operator-id"
            self._send_json(400, {"message": message, "code": "missing_header", "details": {"header": "x-operator-id"}})
            return False
        content_type = self.headers.get("Content-Type")
        if raw_body and content_type is not None and not _is_json_media_type(content_type):
            message = f"Unsupported Content-Type {content_type!r}; send application/json"
            self._send_json(415, _replies.api_error(message, "invalid_request_error", "unsupported_media_type"))
            return False
        problems = [json_problem] if json_problem else _validate_body(raw_body, body, route.schema)
        if problems:
            self._send_json(422, {"detail": [p.to_dict() for p in problems]})
            return False
        if int(body.get("n") or 1) > MAX_CHOICES:
            message = f"The local server answers at most {MAX_CHOICES} choices (n)"
            self._send_json(400, {"message": message, "code": "invalid_parameter", "details": {"param": "n"}})
            return False
        return self._check_exists(params)

    def _check_auth(self, route: Route) -> bool:
        authorization = self.headers.get("Authorization")
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        message: Optional[str] = None
        if authorization is None:
            message = "Missing Authorization header; send 'Authorization: Bearer <api key>'"
        elif scheme.lower() != "bearer" or not token:
            message = "Malformed Authorization header; send 'Authorization: Bearer <api key>'"
        elif (route.auth == "key" or self.owner.check_chat_key) and token != self.owner.api_key:
            message = "Invalid API key"
        if message is None:
            return True
        error = _replies.api_error(message, "authentication_error", "invalid_api_key")
        self._send_json(401, error, [("WWW-Authenticate", 'Bearer realm="tachyon"')])
        return False

    def _check_exists(self, params: Dict[str, str]) -> bool:
        if "chatroom_id" in params and self.owner._is_missing_chatroom(params["chatroom_id"]):
            self._send_json(
                404, {"message": f"Chatroom {params['chatroom_id']!r} not found", "code": "chatroom_not_found"}
            )
            return False
        if "deployment_id" in params and self.owner._is_missing_deployment(
            params["project_id"], params["deployment_id"]
        ):
            message = f"Deployment {params['deployment_id']!r} not found in project {params['project_id']!r}"
            self._send_json(404, {"message": message, "code": "deployment_not_found"})
            return False
        return True

    # -- answers --------------------------------------------------------------------------------

    def _answer(
        self,
        route: Route,
        params: Dict[str, str],
        body: Dict[str, Any],
        streamed: bool,
        fault: Optional[_faults.Fault],
    ) -> None:
        owner = self.owner
        reply, chunk_delay = owner._reply_for()
        created = int(time.time())
        if route.schema == "ChatCompletionRequest":
            messages = body["messages"]
            gen = _replies.generate(
                reply if reply is not None else _replies.last_user_text(messages),
                _replies.count_prompt_tokens(messages),
                body.get("max_tokens"),
                body.get("stop"),
            )
            meta = _replies.Meta(owner._next_id("chatcmpl-local"), created, body.get("model") or owner.model)
            n = int(body.get("n") or 1)
            chatroom_id = params.get("chatroom_id")
            if not streamed:
                self._send_json(200, _replies.chat_completion(meta, gen, n, chatroom_id))
                return
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            events = _replies.chat_completion_chunks(meta, gen, n, chatroom_id, include_usage)
        elif route.operation == "getChatCompletionsFromDeployment":
            messages = body["messages"]
            gen = _replies.generate(
                reply if reply is not None else _replies.last_user_text(messages),
                _replies.count_prompt_tokens(messages),
                body.get("max_new_tokens"),
            )
            meta = _replies.Meta(owner._next_id("dep-chat-local"), created, owner.model)
            if not streamed:
                self._send_json(200, _replies.deployment_chat_completion(meta, gen, params["deployment_id"]))
                return
            events = _replies.deployment_chat_chunks(meta, gen)
        else:
            prompt = body["prompt"]
            gen = _replies.generate(
                reply if reply is not None else prompt,
                len(_replies.split_words(prompt)),
                body.get("max_new_tokens"),
            )
            meta = _replies.Meta(owner._next_id("dep-cmpl-local"), created, owner.model)
            if not streamed:
                self._send_json(200, _replies.deployment_completion(meta, gen, params["deployment_id"]))
                return
            events = _replies.deployment_completion_chunks(meta, gen)
        self._send_stream(events, chunk_delay, fault)

    def _send_json(self, status: int, payload: Any, extra_headers: Sequence[Tuple[str, str]] = ()) -> None:
        data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        self._send_bytes(status, data, "application/json", extra_headers)

    def _send_bytes(
        self, status: int, data: bytes, content_type: str, extra_headers: Sequence[Tuple[str, str]]
    ) -> None:
        self.send_response(status)
        names = {name.lower() for name, _ in extra_headers}
        if "content-type" not in names:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", self.owner._next_id("req-local"))
        for name, value in extra_headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self._headers_sent = True
        if self.command != "HEAD":
            self.wfile.write(data)
        logger.info("%s %s -> %d", self.command, self.path, status)

    def _send_fail(self, fault: _faults.Fail) -> None:
        headers = list(fault.headers)
        if fault.retry_after is not None:
            headers.append(("Retry-After", fault.retry_after))
        if fault.body is None:
            body = _replies.api_error(
                f"Injected failure: HTTP {fault.status}", _replies.error_type_for(fault.status), "injected_fault"
            )
            self._send_json(fault.status, body, headers)
        elif isinstance(fault.body, (bytes, str)):
            data = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
            self._send_bytes(fault.status, data, "application/json", headers)
        else:
            self._send_json(fault.status, fault.body, headers)

    def _send_stream(self, events: List[Dict[str, Any]], chunk_delay: float, fault: Optional[_faults.Fault]) -> None:
        # HTTP/1.0 has no chunked encoding: the body then ends when the connection closes.
        self._chunked = self.request_version != "HTTP/1.0"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        if self._chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.close_connection = True
            self.send_header("Connection", "close")
        self.send_header("x-request-id", self.owner._next_id("req-local"))
        self.end_headers()
        self._headers_sent = True
        logger.info("%s %s -> 200 (stream)", self.command, self.path)
        cut = fault if isinstance(fault, _faults.CutStream) else None
        error = fault if isinstance(fault, _faults.ErrorEvent) else None
        for index, event in enumerate(events):
            if cut is not None and index >= cut.after:
                break
            if error is not None and index >= error.after:
                break
            if index and chunk_delay > 0 and self.owner._wait(chunk_delay):
                self.close_connection = True  # the server is stopping
                return
            self._write_chunk(_sse_event(json.dumps(event, separators=(",", ":"))))
        if cut is not None:
            if cut.graceful:
                self._write_chunk(b"")
            else:
                self.close_connection = True  # no last chunk: the client sees the body end early
            return
        if error is not None:
            payload = _replies.api_error(error.message, error.error_type, error.code)
            self._write_chunk(_sse_event(json.dumps(payload, separators=(",", ":")), "error"))
            self._write_chunk(b"")
            return
        if chunk_delay > 0 and events and self.owner._wait(chunk_delay):
            self.close_connection = True
            return
        self._write_chunk(_sse_event("[DONE]"))
        self._write_chunk(b"")

    def _write_chunk(self, data: bytes) -> None:
        """Write one chunk of the chunked encoding (``b""`` writes the last chunk)."""
        if not self._chunked:
            self.wfile.write(data)
        else:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _reset(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER on, timeout 0) instead of answering."""
        self.close_connection = True
        logger.info("%s %s -> connection reset", self.command, self.path)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop the file's reference so that close() below really closes the socket
        self.connection.close()

    # -- reading --------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked_body()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            raise _BadRequest(f"Invalid Content-Length {length_header!r}") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadRequest(f"Content-Length {length} is out of range (at most {MAX_BODY_BYTES})")
        data = self.rfile.read(length)
        if len(data) != length:
            raise _BadRequest("The request body ended early")
        return data

    def _read_chunked_body(self) -> bytes:
        parts: List[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest("Invalid chunk size in the request body") from None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BadRequest(f"The request body is larger than {MAX_BODY_BYTES} bytes")
            parts.append(self.rfile.read(size))
            self.rfile.readline(3)


def _sse_event(data: str, event: Optional[str] = None) -> bytes:
    lines = f"event: {event}\n" if event else ""
    return (lines + f"data: {data}\n\n").encode("utf-8")


def _is_json_media_type(value: str) -> bool:
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_json(raw: bytes) -> Tuple[Any, Optional[Problem]]:
    """The parsed body and, when it is not valid JSON, the FastAPI-style problem."""
    if not raw:
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(("body", exc.start), "JSON decode error: invalid UTF-8", "json_invalid")
    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as exc:
        return None, Problem(("body", exc.pos), f"JSON decode error: {exc.msg}", "json_invalid")
    except (ValueError, RecursionError) as exc:
        return None, Problem(("body", 0), f"JSON decode error: {exc}", "json_invalid")


def _validate_body(raw: bytes, body: Any, schema_name: str) -> List[Problem]:
    if not raw:
        return [Problem(("body",), "Field required", "missing")]
    return validate(body, SCHEMAS[schema_name], SCHEMAS, ("body",))
