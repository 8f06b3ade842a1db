"""Every exception the SDK raises.

::

    OpenApiException
     ├── ApiTypeError (also TypeError)          an argument of the wrong type; nothing was sent
     ├── ApiValueError (also ValueError)        an invalid argument or configuration; nothing was sent
     │    └── ApiValidationError                a value that does not fit its model (``errors()`` lists why)
     ├── ApiAttributeError (also AttributeError)
     ├── ApiKeyError (also KeyError)
     ├── ApiException                           the server answered with an HTTP error (or an unusable body)
     │    ├── BadRequestException               400
     │    ├── UnauthorizedException             401
     │    ├── PaymentRequiredException          402 (no credits left)
     │    ├── ForbiddenException                403
     │    ├── NotFoundException                 404
     │    ├── ConflictException                 409
     │    ├── UnprocessableEntityException      422
     │    ├── TooManyRequestsException          429
     │    ├── ServiceException                  500-599
     │    ├── ApiDecodeError                    a 2xx body that is not valid JSON or does not match its model
     │    └── ResponseTooLargeError             a body over max_response_bytes, a stream event over its limit
     ├── ApiConnectionError                     no usable answer: refused, reset, closed, TLS, not HTTP ...
     │    └── ApiTimeoutError                   connect, read, pool or deadline (``phase`` tells which)
     └── StreamError                            a stream cut short (before its sentinel or its body's end)

``ApiException`` carries ``status``, ``reason``, ``body`` (text), ``data`` (the
error model the spec declares for the status, or ``None``), ``headers`` and
``server_message``: the server's own text, read from a JSON string body, from a JSON
object (``error``, ``error.message``, ``message``, ``detail``), or from a plain-text
body. The first line of ``str(exc)`` is the status, the reason and that text.
Messages never show secrets: sensitive headers are masked and the body is
truncated and redacted. The masking happens when the exception is built, not
only when it is printed: ``body``, ``reason``, ``server_message``, the header values
and a connection error's message hold no secret the SDK knows of (a token a server
echoes back included), so an exception pickled into another process (multiprocessing,
Ray, Spark, Celery), where those secrets are unknown, reveals none either.
"""

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Type, Union

from ._constants import (
    MAX_BODY_IN_MESSAGE,
    MAX_SERVER_TEXT_IN_FIRST_LINE,
    MAX_VALIDATION_ERRORS_SHOWN,
    SENSITIVE_HEADERS,
)
from ._log import mask_header_value, mask_headers, redact

__all__ = [
    "ApiAttributeError",
    "ApiConnectionError",
    "ApiDecodeError",
    "ApiException",
    "ApiKeyError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValidationError",
    "ApiValueError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "OpenApiException",
    "PaymentRequiredException",
    "ResponseTooLargeError",
    "STATUS_EXCEPTIONS",
    "ServiceException",
    "StreamError",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "error_summary",
    "exception_class_for_status",
    "render_path",
    "server_message",
]

PathToItem = Sequence[Union[str, int]]


def render_path(path_to_item: PathToItem) -> str:
    """Render a path into a nested value as ``['messages'][0]['role']``."""
    return "".join(f"[{item}]" if isinstance(item, int) else f"['{item}']" for item in path_to_item)


class OpenApiException(Exception):
    """Base class of every exception raised by the SDK."""


class _PathMessage(OpenApiException):
    """The message of an input error, ending with the path to the offending item when there is one."""

    path_to_item: Optional[PathToItem]

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None) -> None:
        self.path_to_item = path_to_item
        super().__init__(f"{msg} at {render_path(path_to_item)}" if path_to_item else msg)


class ApiTypeError(_PathMessage, TypeError):
    """An argument has the wrong type. Raised before anything is sent."""

    def __init__(
        self,
        msg: str,
        path_to_item: Optional[PathToItem] = None,
        valid_classes: Optional[Sequence[type]] = None,
        key_type: Optional[bool] = None,
    ) -> None:
        self.valid_classes = valid_classes
        self.key_type = key_type
        super().__init__(msg, path_to_item)


class ApiValueError(_PathMessage, ValueError):
    """An argument or a configuration value is invalid. Raised before anything is sent."""


class ApiValidationError(ApiValueError):
    """A value does not fit its model: a field missing, of the wrong type, out of range, or unknown.

    Raised by model constructors, ``from_dict``/``from_json``, assignments to a model's fields, and for a
    request body before anything is sent. The message lists the first few problems as ``path: message``
    (``messages.0.content: unknown field (did you mean `content`?)``); :meth:`errors` gives all of them
    as pydantic reports them (``loc``, ``msg``, ``type``, ...); when pydantic found them, its
    ``ValidationError`` is the ``__cause__``. ``path_to_item`` is the location of the first problem.
    """

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None, errors: Sequence[Any] = ()) -> None:
        super().__init__(msg)
        self.path_to_item = path_to_item
        self._errors: List[Dict[str, Any]] = [dict(error) for error in errors]

    def errors(self) -> List[Dict[str, Any]]:
        """Every problem found: dicts with ``loc`` (the path, a tuple), ``msg``, ``type`` and pydantic's other keys."""
        return [dict(error) for error in self._errors]

    @classmethod
    def from_errors(cls, where: str, errors: Sequence[Mapping[str, Any]], prefix: str = "") -> "ApiValidationError":
        """The exception for a list of pydantic-style errors: ``where: prefix.loc: msg; ...``."""
        listed = [dict(error) for error in errors]
        first = listed[0].get("loc") if listed else None
        return cls(f"{where}: {error_summary(listed, prefix)}", tuple(first) if first else None, listed)


def error_summary(errors: Sequence[Mapping[str, Any]], prefix: str = "") -> str:
    """``path: message`` for the first few errors (pydantic's ``loc`` and ``msg``; input values left out)."""
    parts = []
    for error in errors[:MAX_VALIDATION_ERRORS_SHOWN]:
        loc = ".".join(str(item) for item in (prefix, *error.get("loc", ())) if item != "")
        message = str(error.get("msg", ""))
        parts.append(f"{loc}: {message}" if loc else message)
    more = len(errors) - MAX_VALIDATION_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


class ApiAttributeError(_PathMessage, AttributeError):
    """An attribute that does not exist was asked for."""


class ApiKeyError(_PathMessage, KeyError):
    """A key that does not exist was asked for."""


def _text(raw: Any) -> Optional[str]:
    if raw is None:
        return None
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode("utf-8", errors="replace")
    return str(raw)


def _masked_value(name: Any, value: Any) -> Any:
    if not isinstance(name, str) or not isinstance(value, str):
        return value
    return mask_header_value(value) if name.lower() in SENSITIVE_HEADERS else redact(value)


def _masked(headers: Optional[Mapping[str, str]]) -> Optional[Mapping[str, str]]:
    """The headers as they are when no value holds a secret, else a copy (same class) with those masked."""
    if not headers:
        return headers
    try:
        items = list(headers.items())
    except Exception:
        return headers
    changed = [(name, _masked_value(name, value)) for name, value in items]
    if changed == items:
        return headers
    try:
        copy: Any = type(headers)()
        for name, value in changed:
            if hasattr(copy, "add"):
                copy.add(name, value)
            else:
                copy[name] = value
        return copy  # type: ignore[no-any-return]
    except Exception:
        return dict(changed)


_MESSAGE_KEYS = ("error", "message", "detail", "error_description", "msg")


def _message_of(value: Any, depth: int = 0) -> Optional[str]:
    """The human text inside a decoded error body (a string, or the first text under a message key)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict) and depth < 4:
        for key in _MESSAGE_KEYS:
            found = _message_of(value.get(key), depth + 1)
            if found:
                code = value.get("code")
                if key != "error" and isinstance(code, str) and code and code not in found:
                    return f"{code}: {found}"
                return found
    if isinstance(value, list) and value and depth < 4:
        return _message_of(value[0], depth + 1)
    return None


_HTML_HEADING = re.compile(r"<(title|h1)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")


def _html_heading(page: str) -> Optional[str]:
    """The text of an HTML page's ``<title>`` (else its first ``<h1>``), tags dropped, entities decoded."""
    found: Dict[str, str] = {}
    for name, inner in _HTML_HEADING.findall(page[:65536]):
        found.setdefault(name.lower(), inner)
    for name in ("title", "h1"):
        inner = found.get(name)
        if inner is not None:
            import html  # only for an HTML error page: not at import time

            words = " ".join(html.unescape(_HTML_TAG.sub(" ", inner)).split())
            if words:
                return words
    return None


def server_message(body: Union[str, bytes, None]) -> Optional[str]:
    """The server's own text in an error body, whatever its shape; ``None`` for an empty body.

    A JSON string is that string (Tachyon's ``"<Variant>: text"``), a JSON object gives its ``error``
    (a string, or an object's ``message``), ``message`` (with its ``code``), or ``detail``; an HTML page
    (a proxy's or a gateway's ``502 Bad Gateway``) gives the text of its ``<title>``, else of its first
    ``<h1>``; any other body (plain text from a web framework) is its first non-empty line.
    """
    text = _text(body)
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    if stripped[:1] == "<":
        heading = _html_heading(stripped)
        if heading:
            return heading[:MAX_BODY_IN_MESSAGE]
    if stripped[:1] in '{["':
        try:
            found = _message_of(json.loads(stripped))
        except (ValueError, RecursionError):
            found = None
        if found:
            return found.splitlines()[0][:MAX_BODY_IN_MESSAGE] if found.strip() else None
    for line in stripped.splitlines():
        if line.strip():
            return line.strip()[:MAX_BODY_IN_MESSAGE]
    return None


class ApiException(OpenApiException):
    """The server answered with an HTTP error status (or a body the SDK cannot use).

    :param status: HTTP status code.
    :param reason: HTTP reason phrase or a short explanation.
    :param http_resp: a response object (``RESTResponse`` or urllib3's); fills what is not given.
    :param body: the response body (bytes are decoded as UTF-8).
    :param data: the parsed error model, or ``None`` when the body does not match it.
    :param headers: the response headers.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Any = None,
        *,
        body: Union[str, bytes, None] = None,
        data: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        if http_resp is not None:
            if status is None:
                status = http_resp.status
            if reason is None:
                reason = http_resp.reason
            if body is None:
                body = getattr(http_resp, "data", None)
            if headers is None:
                headers = http_resp.headers
        text = _text(body)
        reason = None if reason is None else redact(str(reason))
        self.status: Optional[int] = status
        self.reason: Optional[str] = reason
        self.body: Optional[str] = None if text is None else redact(text)
        self.data: Any = data
        self.headers: Optional[Mapping[str, str]] = _masked(headers)
        self.server_message: Optional[str] = server_message(self.body)
        super().__init__(status, reason)

    @classmethod
    def from_response(
        cls,
        *,
        http_resp: Any = None,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        body: Union[str, bytes, None] = None,
        data: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> "ApiException":
        """Build the exception of the class :data:`STATUS_EXCEPTIONS` gives for the status."""
        if status is None and http_resp is not None:
            status = http_resp.status
        klass = exception_class_for_status(status)
        return klass(status, reason, http_resp, body=body, data=data, headers=headers)

    def __str__(self) -> str:
        first = f"({self.status})" + (f" {self.reason}" if self.reason else "")
        if self.server_message and self.server_message != self.reason:
            text = self.server_message
            if len(text) > MAX_SERVER_TEXT_IN_FIRST_LINE:
                text = text[:MAX_SERVER_TEXT_IN_FIRST_LINE] + "..."
            first += f": {text}"
        lines = [first, f"Reason: {self.reason}"]
        if self.headers:
            lines.append(f"HTTP response headers: {mask_headers(self.headers)}")
        if self.body:
            body = self.body
            if len(body) > MAX_BODY_IN_MESSAGE:
                body = f"{body[:MAX_BODY_IN_MESSAGE]}... ({len(self.body)} characters)"
            lines.append(f"HTTP response body: {body}")
        return redact("\n".join(lines))


class BadRequestException(ApiException):
    """400 Bad Request."""


class UnauthorizedException(ApiException):
    """401 Unauthorized."""


class PaymentRequiredException(ApiException):
    """402 Payment Required: the account has no credits left."""


class ForbiddenException(ApiException):
    """403 Forbidden."""


class NotFoundException(ApiException):
    """404 Not Found."""


class ConflictException(ApiException):
    """409 Conflict."""


class UnprocessableEntityException(ApiException):
    """422 Unprocessable Entity (request validation failed on the server)."""


class TooManyRequestsException(ApiException):
    """429 Too Many Requests (rate limited); raised once retries are used up."""


class ServiceException(ApiException):
    """5xx: the server failed."""


class ApiDecodeError(ApiException):
    """A 2xx response whose body is not valid JSON or does not match the declared model.

    ``status``, ``headers`` and ``body`` are the response's; ``reason`` says what did not match and the
    validation error is the ``__cause__``.
    """


class ResponseTooLargeError(ApiException):
    """A non-streamed response body was larger than ``Configuration.max_response_bytes``, or one event
    (or unterminated line) of a stream larger than its limit (``max_stream_event_bytes``, at most
    ``max_response_bytes``).

    The connection was closed without reading the rest; ``limit`` is the limit and ``setting`` the
    name of the setting that sets it.
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        http_resp: Any = None,
        *,
        body: Union[str, bytes, None] = None,
        data: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        limit: Optional[int] = None,
        setting: str = "max_response_bytes",
    ) -> None:
        super().__init__(status, reason, http_resp, body=body, data=data, headers=headers)
        self.limit = limit
        self.setting = setting

    def __str__(self) -> str:
        what = "response body" if self.setting == "max_response_bytes" else "stream event"
        return f"({self.status}) {what} larger than the limit of {self.limit} bytes ({self.setting})"


class ApiConnectionError(OpenApiException):
    """No usable HTTP answer: the connection could not be opened, broke, or the answer is not HTTP.

    :param phase: ``"connect"`` (no connection was made: refused, name resolution, proxy),
        ``"tls"`` (TLS handshake or certificate) or ``"read"`` (the request was, or may have
        been, sent).
    :param response_started: ``True`` when the answer had begun to arrive before the failure (a status
        line, even a malformed one): the server may have acted on the request, so it is not retried.

    The foreign exception is the ``__cause__``.
    """

    def __init__(self, message: str = "", *, phase: str = "connect", response_started: bool = False) -> None:
        super().__init__(redact(message))
        self.phase = phase
        self.response_started = response_started

    def __str__(self) -> str:
        return redact(super().__str__())


class ApiTimeoutError(ApiConnectionError):
    """A timeout; ``phase`` tells which wait ran out:

    - ``"connect"``: opening the connection (nothing was sent; retried);
    - ``"read"``: waiting for the answer or its next bytes (the server may be working on it; not retried);
    - ``"pool"``: waiting for a free pooled connection, all being in use (nothing was sent; not retried);
    - ``"deadline"``: the call's overall deadline (``Configuration.deadline``, ``_deadline=``) passed,
      whatever it was waiting for (not retried).
    """

    def __init__(self, message: str = "", *, phase: str = "read", response_started: bool = False) -> None:
        super().__init__(message, phase=phase, response_started=response_started)


class StreamError(OpenApiException):
    """A stream was cut short: it ended before its sentinel (``data: [DONE]``), or its body ended
    before its framing said (or broke); ``chunks_received`` chunks were delivered."""

    def __init__(self, message: str = "", *, chunks_received: int = 0) -> None:
        super().__init__(message)
        self.chunks_received = chunks_received


STATUS_EXCEPTIONS: Dict[int, Type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    402: PaymentRequiredException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
    429: TooManyRequestsException,
}
"""Exact status -> class; any other 5xx is :class:`ServiceException`, anything else :class:`ApiException`."""


def exception_class_for_status(status: Optional[int]) -> Type[ApiException]:
    """Return the :class:`ApiException` subclass for an HTTP status."""
    if status is None:
        return ApiException
    klass = STATUS_EXCEPTIONS.get(status)
    if klass is not None:
        return klass
    if 500 <= status <= 599:
        return ServiceException
    return ApiException
