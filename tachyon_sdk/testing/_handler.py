"""The HTTP side of the local server: one handler per connection, HTTP/1.1 keep-alive.

A request goes through the checks of the real services, in their order, with
their error bodies.

Chat (Tachyon, a Rust/axum server): method (``405``, empty body), ``Authorization:
Bearer <token>`` (``401`` ``{"error": "Unauthorized: ..."}``), ``x-operator-id``
(``400`` ``{"error": "BadRequest: ..."}``), then axum's JSON extractor, whose
rejections are plain text: no JSON ``Content-Type`` (``415``), a body that is not
JSON (``400``), a body that does not fit the request type (``422``, serde's
message naming the field); then a chatroom registered as missing (``404``).

Deployments (Emissary): method (``405``), ``X-API-Key`` equal to the server's key
(``401`` ``{"status": 401, "error": "Unauthorized"}``), the body (``400``
``{"status": 400, "error": ...}``), a deployment registered as missing (``404``
``{"status": 404, "error": ..., "code": "object_not_found"}``).

A request that passes them all takes the oldest queued fault that applies to it,
then gets its answer: ``application/json``, or ``text/event-stream`` with chunked
transfer encoding.
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
from tachyon_sdk.testing._validate import validate

if TYPE_CHECKING:
    from tachyon_sdk.testing._server import LocalServer

logger = logging.getLogger("tachyon_sdk.testing")

MAX_BODY_BYTES = 16 * 1024 * 1024
IDLE_TIMEOUT_SECONDS = 30.0

#: axum's plain-text rejections of a body its JSON extractor cannot take.
JSON_CONTENT_TYPE_REJECTION = "Expected request with `Content-Type: application/json`"
JSON_SYNTAX_REJECTION = "Failed to parse the request body as JSON: "
JSON_DATA_REJECTION = "Failed to deserialize the JSON body into the target type: "
PLAIN_TEXT = "text/plain; charset=utf-8"

TACHYON = "tachyon"
EMISSARY = "emissary"


@dataclass(frozen=True)
class Route:
    """One operation of openapi.yaml."""

    operation: str
    pattern: Pattern[str]
    service: str  # TACHYON: Authorization + x-operator-id, axum rejections; EMISSARY: X-API-Key, {status, error}
    schema: str
    stream_flag: str


ROUTES: Tuple[Route, ...] = (
    Route(
        "chat_completion",
        re.compile(r"/v1/llms/chat/completions"),
        TACHYON,
        "ChatCompletionRequest",
        "stream",
    ),
    Route(
        "chat_completion_on_chatroom",
        re.compile(r"/v1/llms/chatrooms/(?P<chatroom_id>[^/]+)/chat/completions"),
        TACHYON,
        "ChatCompletionRequest",
        "stream",
    ),
    Route(
        "getChatCompletionsFromDeployment",
        re.compile(r"/v1/projects/(?P<project_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)/chat/completions"),
        EMISSARY,
        "GetChatCompletionsFromDeploymentRequestBody",
        "streaming",
    ),
    Route(
        "getCompletionsFromDeployment",
        re.compile(r"/v1/projects/(?P<project_id>[^/]+)/deployments/(?P<deployment_id>[^/]+)/completions"),
        EMISSARY,
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


def service_of(path: str) -> str:
    """Which service a path belongs to (for the shape of its errors)."""
    return EMISSARY if path.startswith("/v1/projects/") else TACHYON


def error_body(service: str, status: int, text: str) -> Dict[str, Any]:
    """The JSON error body of ``service`` for ``status``."""
    if service == EMISSARY:
        return _replies.emissary_error(status, text)
    return _replies.tachyon_error(status, text)


class _BadRequest(Exception):
    """The request cannot be read (bad framing); answered with 400 and the connection closed."""


class _JsonProblem(Exception):
    """The body is not JSON; the message is serde_json's wording."""


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
                    body = error_body(service_of(self.path), 500, "internal error in the local server")
                    self._send_json(500, body)
                except OSError:
                    pass

    def _handle(self) -> None:
        raw_path = self.path
        path = raw_path.split("?", 1)[0]
        try:
            raw_body = self._read_body()
        except _BadRequest as exc:
            self.close_connection = True
            self._send_text(400, str(exc))
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
            if service_of(path) == EMISSARY:
                self._send_json(404, _replies.emissary_error(404, "Not found"))
            else:
                self._send_bytes(404, b"", PLAIN_TEXT, ())  # axum's fallback: an empty 404
            return
        if self.command != "POST":
            self._send_bytes(405, b"", PLAIN_TEXT, [("Allow", "POST")])  # axum's method router
            return
        if route.service == TACHYON:
            passed = self._tachyon_checks(route, path_params, body, json_problem)
        else:
            passed = self._emissary_checks(route, path_params, body, json_problem)
        if not passed:
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
            self._send_fail(fault, route.service)
        else:
            self._answer(route, path_params, body, streamed, fault)

    def _tachyon_checks(
        self,
        route: Route,
        params: Dict[str, str],
        body: Any,
        json_problem: Optional[str],
    ) -> bool:
        """Answer the first check a Chat request fails, as the Tachyon server does; True when it passes them all."""
        authorization = self.headers.get("Authorization")
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        message: Optional[str] = None
        if authorization is None:
            message = "missing Authorization header; send 'Authorization: Bearer <token>'"
        elif scheme.lower() != "bearer" or not token:
            message = "malformed Authorization header; send 'Authorization: Bearer <token>'"
        elif self.owner.check_chat_key and token != self.owner.api_key:
            message = "invalid token"
        if message is not None:
            self._send_json(401, _replies.tachyon_error(401, message))
            return False
        if not self.headers.get("x-operator-id", "").strip():
            self._send_json(400, _replies.tachyon_error(400, "missing x-operator-id header"))
            return False
        if not _is_json_media_type(self.headers.get("Content-Type")):
            self._send_text(415, JSON_CONTENT_TYPE_REJECTION)
            return False
        if json_problem is not None:
            self._send_text(400, JSON_SYNTAX_REJECTION + json_problem)
            return False
        problems = validate(body, SCHEMAS[route.schema], SCHEMAS)
        if problems:
            self._send_text(422, JSON_DATA_REJECTION + problems[0].to_text())
            return False
        chatroom_id = params.get("chatroom_id")
        if chatroom_id is not None and self.owner._is_missing_chatroom(chatroom_id):
            self._send_json(404, _replies.tachyon_error(404, f"chatroom {chatroom_id!r} not found"))
            return False
        return True

    def _emissary_checks(self, route: Route, params: Dict[str, str], body: Any, json_problem: Optional[str]) -> bool:
        """Answer the first check a Deployments request fails, as the Emissary API does."""
        if self.headers.get("X-API-Key") != self.owner.api_key:
            self._send_json(401, _replies.emissary_error(401, "Unauthorized"))
            return False
        problem: Optional[str] = None
        if not _is_json_media_type(self.headers.get("Content-Type")):
            problem = "Invalid request body: send JSON with 'Content-Type: application/json'"
        elif json_problem is not None:
            problem = f"Invalid JSON body: {json_problem}"
        else:
            problems = validate(body, SCHEMAS[route.schema], SCHEMAS)
            if problems:
                problem = f"Invalid request body: {problems[0].to_text()}"
        if problem is not None:
            self._send_json(400, _replies.emissary_error(400, problem))
            return False
        if self.owner._is_missing_deployment(params["project_id"], params["deployment_id"]):
            text = f"Deployment {params['deployment_id']!r} not found in project {params['project_id']!r}"
            self._send_json(404, _replies.emissary_error(404, text))
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
        if route.service == TACHYON:
            messages = body["messages"]
            gen = _replies.generate(
                reply if reply is not None else _replies.last_user_text(messages),
                _replies.count_prompt_tokens(messages),
                body.get("max_completion_tokens"),  # the limit Tachyon reads (it ignores max_tokens and stop)
            )
            meta = _replies.Meta(owner._next_id("chatcmpl-local"), int(time.time()), body.get("model") or owner.model)
            n = int(body.get("n") or 1)
            in_chatroom = "chatroom_id" in params
            if not streamed:
                answer = (
                    _replies.chatroom_completion(meta, gen, n)
                    if in_chatroom
                    else _replies.chat_completion(meta, gen, n)
                )
                self._send_json(200, answer)
                return
            if in_chatroom and owner.agent_events:
                plan = _replies.chatroom_agent_events(gen)
            elif in_chatroom:
                plan = _replies.chatroom_chunks(meta, gen, n)
            else:
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                plan = _replies.chat_completion_chunks(meta, gen, n, include_usage)
        else:
            if route.operation == "getChatCompletionsFromDeployment":
                messages = body["messages"]
                source = reply if reply is not None else _replies.last_user_text(messages)
                gen = _replies.generate(source, _replies.count_prompt_tokens(messages), body.get("max_new_tokens"))
                answer_id = owner._next_id("chat-completion-local")
            else:
                prompt = body["prompt"]
                source = reply if reply is not None else prompt
                gen = _replies.generate(source, len(_replies.split_words(prompt)), body.get("max_new_tokens"))
                answer_id = owner._next_id("completion-local")
            if not streamed:
                self._send_json(200, _replies.deployment_answer(answer_id, gen))
                return
            plan = _replies.deployment_chunks(answer_id, gen)
        self._send_stream(plan, chunk_delay, fault, route.service)

    def _send_json(self, status: int, payload: Any, extra_headers: Sequence[Tuple[str, str]] = ()) -> None:
        data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        self._send_bytes(status, data, "application/json", extra_headers)

    def _send_text(self, status: int, text: str) -> None:
        self._send_bytes(status, text.encode("utf-8"), PLAIN_TEXT, ())

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

    def _send_fail(self, fault: _faults.Fail, service: str) -> None:
        headers = list(fault.headers)
        if fault.retry_after is not None:
            headers.append(("Retry-After", fault.retry_after))
        if fault.body is None:
            self._send_json(
                fault.status, error_body(service, fault.status, _replies.injected_text(fault.status)), headers
            )
        elif isinstance(fault.body, (bytes, str)):
            data = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
            self._send_bytes(fault.status, data, "application/json", headers)
        else:
            self._send_json(fault.status, fault.body, headers)

    def _send_stream(
        self, plan: _replies.StreamPlan, chunk_delay: float, fault: Optional[_faults.Fault], service: str
    ) -> None:
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
        for index, event in enumerate(plan.events):
            if cut is not None and index >= cut.after:
                break
            if error is not None and index >= error.after:
                break
            if index and chunk_delay > 0 and self.owner._wait(chunk_delay):
                self.close_connection = True  # the server is stopping
                return
            self._write_chunk(_sse_event(event))
        if cut is not None:
            if cut.graceful:
                self._write_chunk(b"")
            else:
                self.close_connection = True  # no last chunk: the client sees the body end early
            return
        if error is not None:
            payload = error.body if error.body is not None else error_body(service, error.status, error.message)
            self._write_chunk(_sse_event(_replies.Event("error", payload)))
            self._write_chunk(b"")
            return
        if chunk_delay > 0 and plan.events and self.owner._wait(chunk_delay):
            self.close_connection = True
            return
        self._write_chunk(_sse_event(plan.end))
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


def _sse_event(event: _replies.Event) -> bytes:
    lines = f"event: {event.name}\n" if event.name else ""
    data = event.data if isinstance(event.data, str) else json.dumps(event.data, separators=(",", ":"))
    return (lines + f"data: {data}\n\n").encode("utf-8")


def _is_json_media_type(value: Optional[str]) -> bool:
    """``application/json`` or ``application/<anything>+json`` (what axum's JSON extractor accepts)."""
    if value is None:
        return False
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _reject_constant(name: str) -> Any:
    raise _JsonProblem(f"expected value (`{name}` is not JSON)")


def _eof(text: str) -> str:
    """serde_json's error at the end of the input: the position of its last character."""
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1)
    return f"EOF while parsing a value at line {line} column {column}"


def _parse_json(raw: bytes) -> Tuple[Any, Optional[str]]:
    """The parsed body and, when it is not valid JSON, serde_json's kind of message for it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"invalid unicode code point at byte {exc.start}"
    if not text.strip():
        return None, _eof(text)
    try:
        return json.loads(text, parse_constant=_reject_constant), None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text):
            return None, _eof(text)
        return None, f"{exc.msg[:1].lower()}{exc.msg[1:]} at line {exc.lineno} column {exc.colno}"
    except _JsonProblem as exc:
        return None, str(exc)
    except (ValueError, RecursionError) as exc:
        return None, f"{exc}"
