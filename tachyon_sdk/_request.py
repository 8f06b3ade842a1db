"""Request building: an operation and its arguments become a :class:`PreparedRequest`; nothing is sent.

:func:`build_request` (behind :meth:`tachyon_sdk.api_client.ApiClient.param_serialize`)
checks every argument before anything reaches the network:

- required parameters are present and of their declared type (unless
  ``client_side_validation`` is off);
- a path parameter is percent-encoded inside its own segment (``/``, ``?``, ``#``,
  ``%``, space and non-ASCII included) and may not be empty, ``.`` or ``..``;
- no header name or value (parameters, credentials, default headers, ``_headers``)
  carries CR, LF or NUL, which would let a value inject headers;
- a dict body is validated into its model; the stream flag is set on a copy.

Credentials met on the way are registered with the log filter, so they are
masked wherever they could later appear in text.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote, urlencode

import pydantic

from . import _log
from ._constants import (
    EVENT_STREAM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    JSON_CONTENT_TYPES,
    MAX_VALIDATION_ERRORS_SHOWN,
    SENSITIVE_HEADERS,
)
from ._model import type_adapter
from ._operation import Operation, Param
from .configuration import Configuration
from .exceptions import ApiTypeError, ApiValueError

__all__ = ["PreparedRequest", "build_request", "is_json", "masked_headers", "media_type", "validation_summary"]

_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token (matched whole: fullmatch)
_FORBIDDEN_IN_HEADER = ("\r", "\n", "\0")
_DOT_SEGMENTS = ("", ".", "..")


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
            f"url={_log.redact(self.url)!r}, headers={masked_headers(self.operation, self.headers)!r}, "
            f"body={size}, stream={self.stream!r})"
        )


def masked_headers(operation: Operation, headers: Mapping[str, str]) -> Dict[str, str]:
    """The headers with sensitive values masked, including the operation's api-key headers."""
    extra = [auth.key for auth in operation.auth if auth.location == "header"]
    return _log.mask_headers(headers, extra)


def media_type(content_type: Optional[str]) -> str:
    """``application/json`` for ``application/json; charset=utf-8`` (lower case, no parameters)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    """``True`` for the JSON media types and any ``application/*+json``."""
    return media in JSON_CONTENT_TYPES or (media.startswith("application/") and media.endswith("+json"))


def validation_summary(prefix: str, exc: pydantic.ValidationError) -> str:
    """``prefix.loc: message`` for the first few errors of a validation error (input values left out)."""
    parts = []
    for error in exc.errors()[:MAX_VALIDATION_ERRORS_SHOWN]:
        loc = ".".join(str(item) for item in (prefix, *error["loc"]) if item != "")
        parts.append(f"{loc}: {error['msg']}" if loc else error["msg"])
    more = exc.error_count() - MAX_VALIDATION_ERRORS_SHOWN
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def build_request(
    configuration: Configuration,
    default_headers: Mapping[str, str],
    cookie: Optional[str],
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
    """Validate the arguments of ``operation`` and build its request (see ``ApiClient.param_serialize``)."""
    op_id = operation.operation_id
    if len(values) != len(operation.params):
        raise ApiTypeError(f"`{op_id}` takes {len(operation.params)} parameters, got {len(values)}")
    if headers is not None and not isinstance(headers, Mapping):
        raise ApiTypeError(f"_headers must be a mapping of header names to values, got {type(headers).__name__}")
    validate = configuration.client_side_validation
    path = operation.path
    query: List[Tuple[str, str]] = []
    cookies: List[str] = [cookie] if cookie else []
    header_map: Dict[str, str] = dict(default_headers)

    for index, param in enumerate(operation.params):
        value = values[index]
        if value is None:
            if param.required:
                raise ApiValueError(f"Missing the required parameter `{param.python_name}` when calling `{op_id}`")
            continue
        if validate:
            value = _check_param(param, value, op_id)
        if param.location == "path":
            segment = _path_segment(param, value, op_id, configuration.safe_chars_for_path_param)
            path = path.replace("{" + param.name + "}", segment)
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

    payload, streaming, media = _serialize_body(operation, body, content_type, stream, validate)
    if payload is not None and media:
        _set_header(header_map, "Content-Type", media)
    accept = _accept(operation, streaming)
    if accept:
        _set_header(header_map, "Accept", accept)
    _apply_auth(configuration, operation, request_auth, header_map, query, cookies)
    if cookies:
        _set_header(header_map, "Cookie", "; ".join(cookies))
    for name, value in (headers or {}).items():
        _check_header(name, value, f"header `{name}` of _headers")
        if name.lower() in SENSITIVE_HEADERS:
            _register_credential(value)
        _set_header(header_map, name, value)
    for name, value in header_map.items():
        _check_header(name, value, f"header `{name}`")

    url = _base_url(configuration, operation, host_index) + path
    if query:
        url += "?" + urlencode(query, quote_via=quote)
    return PreparedRequest(operation, operation.method.upper(), url, header_map, payload, streaming)


# --- headers and credentials --------------------------------------------------------------------


def _register_credential(value: str) -> None:
    """Register a credential with the log filter: its token part only when it is ``<Scheme> <token>``."""
    scheme, sep, token = value.partition(" ")
    _log.register_secret(token.strip() if sep and scheme.isalpha() else value)


def _set_header(headers: Dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing one of the same name in any letter case."""
    for existing in [key for key in headers if key.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


def _check_header(name: Any, value: Any, label: str) -> str:
    """A header value as text; refuses CR, LF, NUL (header injection) and non-Latin-1 text."""
    if not isinstance(name, str) or not _HEADER_NAME_RE.fullmatch(name):  # "$" would allow a final "\n"
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


def _apply_auth(
    configuration: Configuration,
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
            value = configuration.auth_value(auth)
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


# --- URL ----------------------------------------------------------------------------------------


def _path_segment(param: Param, value: Any, op_id: str, safe: str) -> str:
    """A path parameter percent-encoded inside its segment; empty, ``.`` and ``..`` refused."""
    text = _list_text(value)
    if text in _DOT_SEGMENTS:
        raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not be empty, '.' or '..'")
    encoded = quote(text, safe=safe)
    if any(part in (".", "..") for part in encoded.split("/")):
        raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not contain '.' or '..' segments")
    return encoded


def _base_url(configuration: Configuration, operation: Operation, host_index: Optional[int]) -> str:
    conf = configuration
    if operation.servers and not conf.ignore_operation_servers:
        index = host_index if host_index is not None else conf.server_operation_index.get(operation.operation_id, 0)
        if not 0 <= index < len(operation.servers):
            raise ApiValueError(
                f"Invalid host index {index} for `{operation.operation_id}`: must be less than {len(operation.servers)}"
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


def _to_text(value: Any) -> str:
    """A parameter value as it is written in a URL or header."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


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


# --- parameter and body validation --------------------------------------------------------------


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
        raise klass(f"Invalid {'type' if wrong_type else 'value'} for {where}: {validation_summary('', exc)}") from None


def _serialize_body(
    operation: Operation, body: Any, content_type: Optional[str], stream: Optional[bool], validate: bool
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


def _accept(operation: Operation, streaming: bool) -> Optional[str]:
    if streaming and operation.stream is not None:
        return operation.stream.media_type
    for media in operation.accepts:
        if is_json(media_type(media)):
            return media
    others = [media for media in operation.accepts if media_type(media) != EVENT_STREAM_CONTENT_TYPE]
    return ", ".join(others) or None


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
                raise ApiValueError(f"Invalid `{python_name}`: {validation_summary(python_name, exc)}") from exc
        raise ApiTypeError(f"`{python_name}` must be a {target.__name__} or a dict, got {type(body).__name__}")
    if not validate or target is None:
        return body
    validator = target if isinstance(target, pydantic.TypeAdapter) else type_adapter(target)
    try:
        return validator.validate_python(body)
    except pydantic.ValidationError as exc:
        raise ApiValueError(f"Invalid `{python_name}`: {validation_summary(python_name, exc)}") from exc


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
    if isinstance(value, str) and not is_json(media_type(media)):
        return value.encode("utf-8")
    if not is_json(media_type(media)):
        raise ApiValueError(f"Content type {media!r} is not supported for `{python_name}`")
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    if isinstance(target, pydantic.TypeAdapter):
        return target.dump_json(value, by_alias=True, exclude_unset=True)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_to_text).encode("utf-8")
