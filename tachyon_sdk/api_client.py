"""``ApiClient``: turns an operation and its arguments into a request, sends it, decodes the answer.

Generated API classes call three methods and nothing else:

- :meth:`ApiClient.param_serialize` validates every argument and builds a
  :class:`PreparedRequest` (nothing is sent; every input error is raised here);
- :meth:`ApiClient.execute` sends it (retrying as the policy says) and returns an
  :class:`~tachyon_sdk.api_response.ApiResponse` with the decoded model, or a
  ``Stream`` for a streamed answer, or raises the exception for the status;
- :meth:`ApiClient.execute_raw` sends it and returns the undecoded response.

The retry loop is here: a loop, sleeping through an injectable function. A
failure is retried when nothing was answered (refused, reset or closed before the
status line, connect timeout) or for a retryable status (408, 429, 500, 502, 503,
504 by default, honouring ``Retry-After``). A read timeout is never retried: the
server may be working on the request. A stream is retried only before its status
line arrives.
"""

import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import TracebackType
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Type
from urllib.parse import quote, urlencode

import pydantic

from . import _log
from ._constants import (
    EVENT_STREAM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    JSON_CONTENT_TYPES,
    SDK_VERSION,
    SENSITIVE_HEADERS,
    USER_AGENT_PREFIX,
)
from ._model import json_validator, type_adapter
from ._operation import Operation, Param
from ._types import USE_DEFAULT, RetriesArg, TimeoutArg, TimeoutValue, _UseDefault
from .api_response import ApiResponse
from .configuration import Configuration, validate_timeout
from .exceptions import (
    ApiConnectionError,
    ApiDecodeError,
    ApiException,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
)
from .rest import RESTClientObject, RESTResponse
from .retry import RetryPolicy

__all__ = ["ApiClient", "PreparedRequest"]

_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_FORBIDDEN_IN_HEADER = ("\r", "\n", "\0")
_MAX_ERRORS_SHOWN = 5
_MISSING = object()


@dataclass(frozen=True)
class PreparedRequest:
    """A validated request ready to send; ``repr`` masks secrets."""

    operation: Operation
    method: str
    url: str
    headers: Mapping[str, str]
    body: Optional[bytes]
    stream: bool = False

    def __repr__(self) -> str:
        size = "None" if self.body is None else f"<{len(self.body)} bytes>"
        return (
            f"PreparedRequest(operation={self.operation.operation_id!r}, method={self.method!r}, "
            f"url={_log.redact(self.url)!r}, headers={_masked_headers(self.operation, self.headers)!r}, "
            f"body={size}, stream={self.stream!r})"
        )


def _masked_headers(operation: Operation, headers: Mapping[str, str]) -> Dict[str, str]:
    extra = [auth.key for auth in operation.auth if auth.location == "header"]
    return _log.mask_headers(headers, extra)


def _register_credential(value: str) -> None:
    """Register a credential with the log filter: its token part only when it is ``<Scheme> <token>``."""
    scheme, sep, token = value.partition(" ")
    _log.register_secret(token.strip() if sep and scheme.isalpha() else value)


def _set_header(headers: Dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing one of the same name in any letter case."""
    for existing in [key for key in headers if key.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


def _check_header(name: str, value: Any, label: str) -> str:
    """A header value as text; refuses CR, LF, NUL (header injection) and non-Latin-1 text."""
    if not isinstance(name, str) or not _HEADER_NAME_RE.match(name):
        raise ApiValueError(f"Invalid header name {name!r} for {label}")
    if not isinstance(value, str):
        raise ApiTypeError(f"Header value for {label} must be str, got {type(value).__name__}")
    if any(char in value for char in _FORBIDDEN_IN_HEADER):
        raise ApiValueError(f"Header value for {label} must not contain CR, LF or NUL")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ApiValueError(f"Header value for {label} must be Latin-1 text") from None
    return value


def _to_text(value: Any) -> str:
    """A parameter value as it is written in a URL or header."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _summary(prefix: str, exc: pydantic.ValidationError) -> str:
    """``prefix.loc: message`` for the first few errors of a validation error (input values left out)."""
    parts = []
    for error in exc.errors()[:_MAX_ERRORS_SHOWN]:
        loc = ".".join(str(item) for item in (prefix, *error["loc"]) if item != "")
        parts.append(f"{loc}: {error['msg']}" if loc else error["msg"])
    more = exc.error_count() - _MAX_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _type_name(target: Any) -> str:
    return getattr(target, "__name__", None) or repr(target)


def _media_type(content_type: Optional[str]) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: Optional[str]) -> str:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


def _is_json(media_type: str) -> bool:
    return media_type in JSON_CONTENT_TYPES or (media_type.startswith("application/") and media_type.endswith("+json"))


def _lookup(responses: Mapping[str, Any], status: int) -> Any:
    """The type declared for a status: exact code, then ``4XX``-style range, then ``default``."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return responses[key]
    return _MISSING


def _error_type(operation: Operation) -> Any:
    """The model of an error event inside a stream: the declared default or 5XX/4XX error."""
    for key in ("default", "5XX", "4XX"):
        if operation.responses.get(key) is not None:
            return operation.responses[key]
    return None


def _retryable_error(exc: ApiConnectionError) -> bool:
    """Retry only what certainly got no answer; a read timeout may be a request being processed."""
    if isinstance(exc, ApiTimeoutError):
        return exc.phase == "connect"
    return exc.phase == "connect" or (exc.phase == "read" and not exc.response_started)


class ApiClient:
    """Sends the requests of the generated API classes over one connection pool.

    :param configuration: default :meth:`Configuration.get_default`.
    :param header_name: name of a header sent with every request ...
    :param header_value: ... and its value.
    :param cookie: a ``Cookie`` header value sent with every request.
    :param sleep: called with the seconds to wait between retries (default ``time.sleep``).
    :param rng: random source of the backoff jitter (default a private ``random.Random``).

    One client may be shared by many threads. Use it as a context manager (or call :meth:`close`)
    to close its connections.
    """

    _default: ClassVar[Optional["ApiClient"]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        sleep: Optional[Callable[[float], None]] = None,
        rng: Optional[random.Random] = None,
    ) -> None:
        self.configuration = Configuration.get_default() if configuration is None else configuration
        self.rest_client = RESTClientObject(self.configuration)
        self.default_headers: Dict[str, str] = {}
        if header_name is not None and header_value is not None:
            self.default_headers[header_name] = header_value
        self.cookie = cookie
        self.user_agent = f"{USER_AGENT_PREFIX}/{SDK_VERSION}"
        self._sleep: Callable[[float], None] = time.sleep if sleep is None else sleep
        self._rng = random.Random() if rng is None else rng

    # --- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(
        self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection (the client stays usable and reconnects when needed)."""
        self.rest_client.close()

    @classmethod
    def get_default(cls) -> "ApiClient":
        """The process-wide default client (created on first use with the default configuration)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def set_default(cls, default: Optional["ApiClient"]) -> None:
        """Make ``default`` the process-wide default client."""
        with cls._default_lock:
            cls._default = default

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header, ``tachyon-sdk-python/<version>`` by default."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send a header with every request."""
        self.default_headers[header_name] = header_value

    # --- building requests -----------------------------------------------------------------------

    def param_serialize(
        self,
        operation: Operation,
        values: Sequence[Any],
        body: Any,
        *,
        request_auth: Optional[Mapping[str, Any]] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        host_index: Optional[int] = None,
        stream: Optional[bool] = None,
    ) -> PreparedRequest:
        """Validate the arguments of ``operation`` and build the request; nothing is sent.

        :param values: the parameter values in ``operation.params`` order.
        :param body: a model, a dict validated into the body model, or ``None``.
        :param request_auth: credentials for this call, replacing the configured ones.
        :param content_type: media type of the body (default: the operation's first).
        :param headers: extra headers; they override every other header.
        :param host_index: index into the operation's (or the spec's) servers.
        :param stream: ``True`` sets the body's stream flag; ``None`` reads it from the body.
        :raises ApiTypeError: an argument of the wrong type.
        :raises ApiValueError: a missing or invalid argument, or a header with CR, LF or NUL.
        """
        op_id = operation.operation_id
        if len(values) != len(operation.params):
            raise ApiTypeError(f"`{op_id}` takes {len(operation.params)} parameters, got {len(values)}")
        validate = self.configuration.client_side_validation
        path = operation.path
        query: List[Tuple[str, str]] = []
        cookies: List[str] = [self.cookie] if self.cookie else []
        header_map: Dict[str, str] = dict(self.default_headers)

        for index, param in enumerate(operation.params):
            value = values[index]
            if value is None:
                if param.required:
                    raise ApiValueError(f"Missing the required parameter `{param.python_name}` when calling `{op_id}`")
                continue
            if validate:
                value = _check_param(param, value, op_id)
            if param.location == "path":
                path = path.replace("{" + param.name + "}", self._path_segment(param, value, op_id))
            elif param.location == "query":
                query.extend(_query_pairs(param, value))
            elif param.location == "header":
                text = _list_text(value)
                if param.name.lower() in SENSITIVE_HEADERS:
                    _register_credential(text)
                label = f"parameter `{param.python_name}` of `{op_id}`"
                _set_header(header_map, param.name, _check_header(param.name, text, label))
            elif param.location == "cookie":
                cookies.append(f"{param.name}={_list_text(value)}")
            else:
                raise ApiValueError(f"Unknown location {param.location!r} of parameter `{param.python_name}`")

        payload, streaming, media = self._serialize_body(operation, body, content_type, stream, validate)
        if payload is not None and media:
            _set_header(header_map, "Content-Type", media)
        accept = self._accept(operation, streaming)
        if accept:
            _set_header(header_map, "Accept", accept)
        self._apply_auth(operation, request_auth, header_map, query, cookies)
        if cookies:
            _set_header(header_map, "Cookie", "; ".join(cookies))
        for name, value in (headers or {}).items():
            if name.lower() in SENSITIVE_HEADERS and isinstance(value, str):
                _register_credential(value)
            _set_header(header_map, name, value)
        for name, value in header_map.items():
            _check_header(name, value, f"header `{name}`")

        url = self._base_url(operation, host_index) + path
        if query:
            url += "?" + urlencode(query, quote_via=quote)
        return PreparedRequest(operation, operation.method.upper(), url, header_map, payload, streaming)

    def _path_segment(self, param: Param, value: Any, op_id: str) -> str:
        """A path parameter percent-encoded inside its segment; empty, ``.`` and ``..`` refused."""
        text = _list_text(value)
        if text in ("", ".", ".."):
            raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not be empty, '.' or '..'")
        encoded = quote(text, safe=self.configuration.safe_chars_for_path_param)
        if any(part in (".", "..") for part in encoded.split("/")):
            raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not contain '.' or '..' segments")
        return encoded

    def _serialize_body(
        self, operation: Operation, body: Any, content_type: Optional[str], stream: Optional[bool], validate: bool
    ) -> Tuple[Optional[bytes], bool, Optional[str]]:
        """The body bytes, whether the request streams, and the Content-Type."""
        spec = operation.body
        op_id = operation.operation_id
        if spec is None:
            if body is not None:
                raise ApiTypeError(f"`{op_id}` takes no request body")
            return None, False, None
        if body is None:
            if spec.required:
                raise ApiValueError(f"Missing the required parameter `{spec.python_name}` when calling `{op_id}`")
            return None, False, None
        value = _validate_body(spec.type, body, spec.python_name, validate)
        streaming = False
        if operation.stream is not None:
            flag = operation.stream.flag
            if stream is not None:
                value = _with_flag(value, flag, stream)
            streaming = bool(value.get(flag) if isinstance(value, Mapping) else getattr(value, flag, False))
        media = content_type or (spec.content_types[0] if spec.content_types else JSON_CONTENT_TYPE)
        return _encode_body(value, spec.type, media, spec.python_name), streaming, media

    @staticmethod
    def _accept(operation: Operation, streaming: bool) -> Optional[str]:
        if streaming and operation.stream is not None:
            return operation.stream.media_type
        for media in operation.accepts:
            if _is_json(_media_type(media)):
                return media
        others = [media for media in operation.accepts if _media_type(media) != EVENT_STREAM_CONTENT_TYPE]
        return ", ".join(others) or None

    def _apply_auth(
        self,
        operation: Operation,
        request_auth: Optional[Mapping[str, Any]],
        headers: Dict[str, str],
        query: List[Tuple[str, str]],
        cookies: List[str],
    ) -> None:
        """Add the credentials: ``request_auth`` when given, else each configured scheme of the operation."""
        entries: List[Mapping[str, Any]] = []
        if request_auth:
            if not all(key in request_auth for key in ("in", "key", "value")):
                raise ApiValueError("_request_auth needs the keys 'in', 'key' and 'value'")
            entries.append(request_auth)
        else:
            for auth in operation.auth:
                value = self.configuration.auth_value(auth)
                if value is not None:
                    entries.append({"in": auth.location, "key": auth.key, "value": value})
        for entry in entries:
            location, key, value = entry["in"], entry["key"], entry["value"]
            if not isinstance(value, str):
                raise ApiTypeError(f"Credential for `{key}` must be str, got {type(value).__name__}")
            _register_credential(value)
            if location == "header":
                _set_header(headers, key, _check_header(key, value, f"credential `{key}`"))
            elif location == "query":
                query.append((key, value))
            elif location == "cookie":
                cookies.append(f"{key}={value}")
            else:
                raise ApiValueError(f"Unknown credential location {location!r} for `{key}`")

    def _base_url(self, operation: Operation, host_index: Optional[int]) -> str:
        conf = self.configuration
        if operation.servers and not conf.ignore_operation_servers:
            index = host_index if host_index is not None else conf.server_operation_index.get(operation.operation_id, 0)
            if not 0 <= index < len(operation.servers):
                raise ApiValueError(
                    f"Invalid host index {index} for `{operation.operation_id}`: "
                    f"must be less than {len(operation.servers)}"
                )
            base = operation.servers[index]
        elif host_index is not None:
            base = conf.get_host_from_settings(host_index, conf.server_variables)
        else:
            base = conf.host
        scheme = base.partition("://")[0].lower()
        if scheme not in ("http", "https") or any(char.isspace() or char == "\0" for char in base):
            raise ApiValueError(f"Invalid host {_log.redact(base)!r}: an http:// or https:// URL is expected")
        return base.rstrip("/")

    # --- sending ---------------------------------------------------------------------------------

    def execute(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer.

        :returns: :class:`ApiResponse` whose ``data`` is the model for the status, a ``Stream`` for a
            streamed ``text/event-stream`` answer, or ``None`` for no content.
        :raises ApiException: a non-2xx status (the subclass for it), :class:`ApiDecodeError` for a
            2xx body that does not decode, :class:`ResponseTooLargeError`.
        :raises ApiConnectionError: no HTTP answer (:class:`ApiTimeoutError` for a timeout).
        """
        operation = request.operation
        response = self._send(request, timeout, retries, preload=not request.stream)
        if (
            200 <= response.status < 300
            and request.stream
            and operation.stream is not None
            and _media_type(response.getheader("Content-Type")) == _media_type(operation.stream.media_type)
        ):
            try:
                from .streaming import Stream

                stream: Any = Stream(response.response, operation.stream.chunk, error_type=_error_type(operation))
            except BaseException:
                response.release()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        raw = response.read()
        if not 200 <= response.status < 300:
            raise self._status_error(response, raw, operation)
        data = self._decode(response, raw, operation)
        return ApiResponse(status_code=response.status, headers=response.headers, data=data, raw_data=raw)

    def execute_raw(
        self, request: PreparedRequest, timeout: TimeoutArg = USE_DEFAULT, retries: RetriesArg = USE_DEFAULT
    ) -> RESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it."""
        return self._send(request, timeout, retries, preload=False)

    def _send(self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, preload: bool) -> RESTResponse:
        """Send, retrying as the policy allows; returns the last response (its status is not checked)."""
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        method, url = request.method, request.url
        while True:
            self._log_request(request)
            try:
                response = self.rest_client.request(
                    method, url, request.headers, request.body, timeout_value,
                    preload_content=preload, max_response_bytes=limit,
                )  # fmt: skip
            except ApiConnectionError as exc:
                if not _retryable_error(exc):
                    raise
                policy = policy.increment(method, _log.url_without_query(url), error=exc)
                if policy.is_exhausted():
                    raise
                self._pause(request, policy, type(exc).__name__, policy.backoff_for(policy.retries_done, self._rng))
                continue
            _log.logger.debug("response %s %s -> %s %s", method, _log.url_without_query(url), response.status, response.reason)
            if policy.is_retryable_status(response.status):
                following = policy.increment(method, _log.url_without_query(url), status=response.status)
                if not following.is_exhausted():
                    wait = following.wait_for(response.getheader("Retry-After"), self._rng, time.time())
                    response.release()
                    self._pause(request, following, f"status {response.status}", wait)
                    policy = following
                    continue
            return response

    def _pause(self, request: PreparedRequest, policy: RetryPolicy, reason: str, wait: float) -> None:
        _log.logger.info(
            "retrying %s %s after %s (retry %d, %d left), waiting %.3f s",
            request.method, _log.url_without_query(request.url), reason, policy.retries_done, policy.total, wait,
        )  # fmt: skip
        self._sleep(wait)

    def _log_request(self, request: PreparedRequest) -> None:
        if _log.logger.isEnabledFor(logging.DEBUG):
            size = 0 if request.body is None else len(request.body)
            headers = _masked_headers(request.operation, request.headers)
            _log.logger.debug("request %s %s headers=%s body=%d bytes", request.method, request.url, headers, size)

    def _resolve_timeout(self, timeout: TimeoutArg) -> TimeoutValue:
        if isinstance(timeout, _UseDefault):
            return self.configuration.timeout
        return validate_timeout(timeout, "_request_timeout")

    def _resolve_retries(self, retries: RetriesArg) -> RetryPolicy:
        if isinstance(retries, _UseDefault):
            return self.configuration.retry_policy
        try:
            return RetryPolicy.from_value(retries)
        except TypeError as exc:
            raise ApiTypeError(f"_retries: {exc}") from None
        except ValueError as exc:
            raise ApiValueError(f"_retries: {exc}") from None

    # --- decoding --------------------------------------------------------------------------------

    def _decode(self, response: RESTResponse, raw: bytes, operation: Operation) -> Any:
        """Decode a 2xx body by its Content-Type into the type declared for the status."""
        target = _lookup(operation.responses, response.status)
        content_type = response.getheader("Content-Type")
        media = _media_type(content_type)
        text_like = media.startswith("text/") and not _is_json(media)
        if target is None:  # declared without content
            return None
        if target is _MISSING:  # a status the spec does not declare: decode by media type alone
            if not raw:
                return None
            if not _is_json(media):
                return raw.decode(_charset(content_type), errors="replace") if text_like else raw
            target = Any
        elif target is bytes:
            return raw
        elif target is str and not _is_json(media):
            return raw.decode(_charset(content_type), errors="replace")
        try:
            return json_validator(target)(raw)
        except ValueError as exc:  # pydantic.ValidationError, JSON syntax included
            detail = _summary("", exc) if isinstance(exc, pydantic.ValidationError) else str(exc)
            raise ApiDecodeError(
                response.status,
                f"response body is not a valid {_type_name(target)}: {detail}",
                body=raw,
                headers=response.headers,
            ) from exc

    def _status_error(self, response: RESTResponse, raw: bytes, operation: Operation) -> ApiException:
        """The exception for a non-2xx answer, with the declared error model parsed when the body is JSON."""
        target = _lookup(operation.responses, response.status)
        media = _media_type(response.getheader("Content-Type"))
        data = None
        if target is not _MISSING and target is not None and raw and (_is_json(media) or not media):
            try:
                data = json_validator(target)(raw)
            except ValueError:
                data = None
        return ApiException.from_response(
            status=response.status, reason=response.reason, body=raw, data=data, headers=response.headers
        )


def _check_param(param: Param, value: Any, op_id: str) -> Any:
    """Check a parameter value against ``param.type``; returns it (an enum value is converted)."""
    expected = param.type
    where = f"parameter `{param.python_name}` of `{op_id}`"
    if isinstance(expected, type):
        if issubclass(expected, Enum):
            if isinstance(value, expected):
                return value
            try:
                return expected(value)
            except ValueError:
                allowed = [member.value for member in expected]
                raise ApiValueError(f"Invalid value for {where}: must be one of {allowed}") from None
        if expected in (int, float):
            valid = isinstance(value, (int, float) if expected is float else int) and not isinstance(value, bool)
        else:
            valid = expected is object or isinstance(value, expected)
        if not valid:
            raise ApiTypeError(f"Invalid type for {where}: expected {expected.__name__}, got {type(value).__name__}")
        return value
    validator = expected if isinstance(expected, pydantic.TypeAdapter) else type_adapter(expected)
    try:
        return validator.validate_python(value)
    except pydantic.ValidationError as exc:
        wrong_type = all(error["type"].endswith("_type") for error in exc.errors())
        klass = ApiTypeError if wrong_type else ApiValueError
        raise klass(f"Invalid {'type' if wrong_type else 'value'} for {where}: {_summary('', exc)}") from None


def _list_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_to_text(item) for item in value)
    return _to_text(value)


def _query_pairs(param: Param, value: Any) -> List[Tuple[str, str]]:
    if isinstance(value, (list, tuple)):
        if param.explode is False:
            return [(param.name, ",".join(_to_text(item) for item in value))]
        return [(param.name, _to_text(item)) for item in value]
    return [(param.name, _to_text(value))]


def _validate_body(target: Any, body: Any, python_name: str, validate: bool) -> Any:
    """The body as a model (a dict is validated into ``target``); type errors name the body field."""
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        if isinstance(body, target):
            return body
        if isinstance(body, Mapping):
            if not validate:
                return dict(body)
            try:
                return target.model_validate(dict(body))
            except pydantic.ValidationError as exc:
                raise ApiValueError(f"Invalid `{python_name}`: {_summary(python_name, exc)}") from exc
        raise ApiTypeError(
            f"`{python_name}` must be a {target.__name__} or a dict, got {type(body).__name__}"
        )
    if not validate or target is None:
        return body
    validator = target if isinstance(target, pydantic.TypeAdapter) else type_adapter(target)
    try:
        return validator.validate_python(body)
    except pydantic.ValidationError as exc:
        raise ApiValueError(f"Invalid `{python_name}`: {_summary(python_name, exc)}") from exc


def _with_flag(value: Any, flag: str, on: bool) -> Any:
    """A copy of the body with its stream flag set (the caller's object is left unchanged)."""
    if isinstance(value, pydantic.BaseModel):
        copy = value.model_copy()
        setattr(copy, flag, on)
        return copy
    if isinstance(value, Mapping):
        return {**value, flag: on}
    raise ApiTypeError(f"cannot set the stream flag `{flag}` on a {type(value).__name__} body")


def _encode_body(value: Any, target: Any, media: str, python_name: str) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str) and not _is_json(_media_type(media)):
        return value.encode("utf-8")
    if not _is_json(_media_type(media)):
        raise ApiValueError(f"Content type {media!r} is not supported for `{python_name}`")
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    if isinstance(target, pydantic.TypeAdapter):
        return target.dump_json(value, by_alias=True, exclude_unset=True)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_to_text).encode("utf-8")
