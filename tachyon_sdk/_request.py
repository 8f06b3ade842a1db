"""Request building: an operation and its arguments become a :class:`PreparedRequest`; nothing is sent.

:func:`build_request` (behind :meth:`tachyon_sdk.api_client.ApiClient.param_serialize`)
checks every argument before anything reaches the network:

- required parameters are present and of their declared type (unless
  ``client_side_validation`` is off);
- a path parameter is percent-encoded inside its own segment (``/``, ``?``, ``#``,
  ``%``, space and non-ASCII included) and may not be empty, ``.`` or ``..``;
- no header name or value (parameters, credentials, default headers, ``_headers``)
  carries a control character (CR, LF and NUL would inject headers; the others make strict
  servers and proxies answer 400): only visible characters, space and tab are sent;
- no text is invalid Unicode (a lone surrogate), in a parameter or in the body;
- a dict body is validated into its model (a bool is not a number there); the stream flag is set
  on a copy; a body with NaN or an infinity (JSON has neither), or nested deeper than
  ``MAX_BODY_DEPTH``, is refused;
- a body (dict or model) with a field its model does not declare, at any depth, is refused,
  naming the closest known field: a typo is never sent silently. A field the SDK does not
  know yet is sent with ``_extra_body``, merged into the JSON object as given.

Then it writes the request the way the operation describes it (OpenAPI 3 parameter
serialization, driven by each :class:`Param`'s ``style``/``explode``):

- path: ``simple`` (``a,b``), ``label`` (``.a.b``), ``matrix`` (``;id=a,b``);
- query: ``form`` (``id=a&id=b``, or ``id=a,b`` without explode), ``spaceDelimited``
  (``id=a%20b``), ``pipeDelimited`` (``id=a%7Cb``), ``deepObject`` (``id%5Bk%5D=v``);
- header: ``simple``; cookie: ``form`` (``id=a,b``; exploded, one cookie per item);
- the body by its media type: JSON, ``application/x-www-form-urlencoded``,
  ``multipart/form-data`` (files from bytes, paths or file objects), ``text/*`` and raw bytes
  (``application/octet-stream`` and any other type).

A deprecated operation emits a ``DeprecationWarning`` pointing at the caller. Credentials
met on the way are registered with the log filter, so they are masked wherever they could
later appear in text.
"""

import json
import os
import re
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import quote, quote_plus

import pydantic
from pydantic_core import PydanticSerializationError

from . import _log
from ._constants import (
    EVENT_STREAM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    JSON_CONTENT_TYPES,
    MAX_CHECKED_HEADERS,
    MAX_CHECKED_HOSTS,
    SENSITIVE_HEADERS,
)
from ._model import (
    REQUEST_CONTEXT,
    explicit_null,
    refuse_bool_numbers,
    type_adapter,
    unknown_field,
    unknown_field_error,
    validation_error,
)
from ._operation import Body, Encoding, Operation, Param, ServerSpec
from ._schema_types import read_file_input
from .configuration import Configuration
from .exceptions import ApiTypeError, ApiValidationError, ApiValueError, error_summary

__all__ = [
    "PreparedRequest",
    "build_request",
    "is_json",
    "masked_headers",
    "media_type",
    "register_cookie",
    "register_credential",
    "validation_summary",
]

_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token (matched whole: fullmatch)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # RFC 9110 field-value: VCHAR, obs-text, SP, HTAB only
_DOT_SEGMENTS = ("", ".", "..")

# Header (name, value) pairs and base URLs that passed their checks, so that the constant ones (User-Agent,
# Accept, a token, the host) are not checked again on every call. Keyed by exact ``str`` objects only: an
# equal key is the same text, so a cached entry can never let a different value through. Plain dicts (one
# lookup, atomic under the GIL); emptied when full.
_checked_headers: Dict[Tuple[str, str], None] = {}
_checked_hosts: Dict[str, str] = {}


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
    return error_summary(exc.errors(), prefix)


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
    extra_body: Optional[Mapping[str, Any]] = None,
) -> PreparedRequest:
    """Validate the arguments of ``operation`` and build its request (see ``ApiClient.param_serialize``).

    ``extra_body``: fields sent in the JSON object body as given, over the body's own (``_extra_body``).
    """
    op_id = operation.operation_id
    if len(values) != len(operation.params):
        raise ApiTypeError(f"`{op_id}` takes {len(operation.params)} parameters, got {len(values)}")
    if headers is not None and not isinstance(headers, Mapping):
        raise ApiTypeError(f"_headers must be a mapping of header names to values, got {type(headers).__name__}")
    if operation.deprecated:
        # stacklevel 5: build_request <- param_serialize <- _<op>_request <- <op> <- the caller's line
        warnings.warn(f"`{op_id}` is deprecated", DeprecationWarning, stacklevel=5)
    validate = configuration.client_side_validation
    path = operation.path
    query: List[str] = []  # encoded "name=value" pieces
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
        try:
            value = _param_value(param, value)
            if param.location == "path":
                segment = _path_segment(param, value, op_id, configuration.safe_chars_for_path_param)
                path = path.replace("{" + param.name + "}", segment)
            elif param.location == "query":
                query.extend(_query_pieces(param, value))
            elif param.location == "header":
                text = _header_text(param, value)
                if param.name.lower() in SENSITIVE_HEADERS:
                    register_credential(text)
                label = f"parameter `{param.python_name}` of `{op_id}`"
                _set_header(header_map, param.name, _check_header(param.name, text, label))
            elif param.location == "cookie":
                cookies.extend(_cookie_pieces(param, value))
            else:
                raise ApiValueError(f"Unknown location {param.location!r} of parameter `{param.python_name}`")
        except UnicodeError:
            raise ApiValueError(
                f"Invalid value for parameter `{param.python_name}` of `{op_id}`: not valid Unicode text "
                "(a lone surrogate)"
            ) from None

    payload, streaming, media = _serialize_body(operation, body, content_type, stream, validate, extra_body)
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
        if _log.is_secret_header(name):
            register_credential(value)
        _set_header(header_map, name, value)
    for name, value in header_map.items():
        _check_header(name, value, f"header `{name}`")

    url = _base_url(configuration, operation, host_index) + path
    if query:
        url += "?" + "&".join(query)
    return PreparedRequest(operation, operation.method.upper(), url, header_map, payload, streaming)


# --- headers and credentials --------------------------------------------------------------------


def register_credential(value: str) -> None:
    """Register a credential with the log filter: its token part only when it is ``<Scheme> <token>``."""
    scheme, sep, token = value.partition(" ")
    _log.register_secret(token.strip() if sep and scheme.isalpha() else value)


def register_cookie(value: str) -> None:
    """Register the values of a ``Cookie`` header (``a=1; b=2``) as secrets, and the whole header."""
    _log.register_secret(value)
    for piece in value.split(";"):
        _log.register_secret(piece.partition("=")[2].strip())


def _set_header(headers: Dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing one of the same name in any letter case."""
    lower = name.lower()
    for existing in [key for key in headers if key.lower() == lower]:
        del headers[existing]
    headers[name] = value


def _check_header(name: Any, value: Any, label: str) -> str:
    """A header value as text; refuses CR, LF, NUL (header injection) and non-Latin-1 text."""
    exact = type(name) is str and type(value) is str
    if exact and (name, value) in _checked_headers:
        return value  # type: ignore[no-any-return]
    if not isinstance(name, str) or not _HEADER_NAME_RE.fullmatch(name):  # "$" would allow a final "\n"
        raise ApiValueError(f"Invalid header name {name!r} for {label}")
    if not isinstance(value, str):
        raise ApiTypeError(f"Header value for {label} must be str, got {type(value).__name__}")
    control = _CONTROL_RE.search(value)
    if control is not None:
        found = {"\r": "CR", "\n": "LF", "\0": "NUL"}.get(control.group(), f"U+{ord(control.group()):04X}")
        raise ApiValueError(
            f"Header value for {label} must not contain CR, LF or NUL, nor any other control character "
            f"(found {found}): only visible characters, space and tab are sent"
        )
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ApiValueError(f"Header value for {label} must be Latin-1 text") from None
    if exact:  # only a pair that passed every check above is remembered
        if len(_checked_headers) >= MAX_CHECKED_HEADERS:
            _checked_headers.clear()
        _checked_headers[(name, value)] = None
    return value


def _apply_auth(
    configuration: Configuration,
    operation: Operation,
    request_auth: Optional[Mapping[str, Any]],
    headers: Dict[str, str],
    query: List[str],
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
        register_credential(value)
        if location == "header":
            _set_header(headers, key, _check_header(key, value, f"credential `{key}`"))
        elif location == "query":
            query.append(_query_piece(key, value))
        elif location == "cookie":
            cookies.append(f"{key}={_cookie_text(value)}")
        else:
            raise ApiValueError(f"Unknown credential location {location!r} for `{key}`")


# --- parameter serialization (OpenAPI style / explode) ----------------------------------------------

_DEFAULT_STYLE = {"path": "simple", "header": "simple", "query": "form", "cookie": "form"}
_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}  # of non-exploded arrays
# RFC 6265 cookie-octet, less "%" (it escapes): everything else in a cookie value is percent-encoded
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def _style(param: Param) -> Tuple[str, bool]:
    style = param.style or _DEFAULT_STYLE.get(param.location, "simple")
    explode = param.explode if param.explode is not None else style in ("form", "deepObject")
    return style, explode


def _to_text(value: Any) -> str:
    """A scalar as it is written in a URL, header or form; a nested list or object as JSON text."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict, pydantic.BaseModel)):
        return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=_to_text)
    return str(value)


def _plain(value: Any) -> Any:
    """Models as wire dicts and enums as their values, recursively (lists and dicts stay)."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _param_value(param: Param, value: Any) -> Any:
    """The value to serialize: JSON text for a ``content`` parameter of a JSON type, else plain data."""
    if param.content_type is not None and is_json(media_type(param.content_type)):
        return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=_to_text)
    return _plain(value)


def _pairs(value: Mapping[str, Any]) -> List[Tuple[str, str]]:
    return [(key, _to_text(item)) for key, item in value.items() if item is not None]


def _path_segment(param: Param, value: Any, op_id: str, safe: str) -> str:
    """A path parameter percent-encoded inside its segment; empty, ``.`` and ``..`` refused."""
    style, explode = _style(param)
    if isinstance(value, list):
        texts: List[Tuple[str, ...]] = [(_to_text(item),) for item in value]
    elif isinstance(value, dict):
        pairs = _pairs(value)
        texts = list(pairs) if explode else [(text,) for pair in pairs for text in pair]
    else:
        texts = [(_to_text(value),)]
    if not texts:
        raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not be empty, '.' or '..'")
    for text in texts:
        if text[-1] in _DOT_SEGMENTS:
            raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not be empty, '.' or '..'")
    parts = ["=".join(quote(text, safe=safe) for text in part) for part in texts]
    if style == "label":
        encoded = "." + ("." if explode else ",").join(parts)
    elif style == "matrix":
        name = quote(param.name, safe="")
        if isinstance(value, list) and explode:
            encoded = "".join(f";{name}={part}" for part in parts)
        elif isinstance(value, dict) and explode:
            encoded = "".join(f";{part}" for part in parts)
        else:
            encoded = f";{name}=" + ",".join(parts)
    else:
        encoded = ",".join(parts)
    if any(part in (".", "..") for part in encoded.split("/")):
        raise ApiValueError(f"Path parameter `{param.python_name}` of `{op_id}` must not contain '.' or '..' segments")
    return encoded


def _query_piece(name: str, value: str) -> str:
    return f"{quote(name, safe='')}={quote(value, safe='')}"


def _query_pieces(param: Param, value: Any) -> List[str]:
    """``name=value`` pieces of a query parameter, each part percent-encoded, delimiters literal."""
    style, explode = _style(param)
    name = param.name
    if isinstance(value, dict):
        pairs = _pairs(value)
        if style == "deepObject":
            return [_query_piece(f"{name}[{key}]", text) for key, text in pairs]
        if explode:
            return [_query_piece(key, text) for key, text in pairs]
        delimiter = _DELIMITERS.get(style, ",")
        joined = delimiter.join(quote(text, safe="") for pair in pairs for text in pair)
        return [f"{quote(name, safe='')}={joined}"]
    if isinstance(value, list):
        texts = [_to_text(item) for item in value]
        if explode:
            return [_query_piece(name, text) for text in texts]
        delimiter = _DELIMITERS.get(style, ",")
        return [f"{quote(name, safe='')}=" + delimiter.join(quote(text, safe="") for text in texts)]
    return [_query_piece(name, _to_text(value))]


def _header_text(param: Param, value: Any) -> str:
    """A header parameter in the ``simple`` style: ``a,b``; an object ``k,v`` (``k=v`` exploded)."""
    _, explode = _style(param)
    if isinstance(value, dict):
        pairs = _pairs(value)
        return ",".join(f"{k}={v}" for k, v in pairs) if explode else ",".join(t for pair in pairs for t in pair)
    if isinstance(value, list):
        return ",".join(_to_text(item) for item in value)
    return _to_text(value)


def _cookie_text(text: str) -> str:
    return quote(text, safe=_COOKIE_SAFE)


def _cookie_pieces(param: Param, value: Any) -> List[str]:
    """``name=value`` cookies in the ``form`` style: ``id=a,b``; exploded, one cookie per item."""
    _, explode = _style(param)
    if isinstance(value, dict):
        pairs = _pairs(value)
        if explode:
            return [f"{_cookie_text(key)}={_cookie_text(text)}" for key, text in pairs]
        return [f"{param.name}=" + ",".join(_cookie_text(t) for pair in pairs for t in pair)]
    if isinstance(value, list):
        texts = [_cookie_text(_to_text(item)) for item in value]
        if explode:
            return [f"{param.name}={text}" for text in texts]
        return [f"{param.name}=" + ",".join(texts)]
    return [f"{param.name}={_cookie_text(_to_text(value))}"]


# --- URL ----------------------------------------------------------------------------------------


def _base_url(configuration: Configuration, operation: Operation, host_index: Optional[int]) -> str:
    conf = configuration
    if operation.servers and not conf.ignore_operation_servers:
        op_id = operation.operation_id
        index = host_index if host_index is not None else conf.server_operation_index.get(op_id, 0)
        if not 0 <= index < len(operation.servers):
            raise ApiValueError(f"Invalid host index {index} for `{op_id}`: must be less than {len(operation.servers)}")
        server = operation.servers[index]
        if isinstance(server, ServerSpec):
            base = server.format(conf.server_operation_variables.get(op_id, conf.server_variables))
        else:
            base = server
    elif host_index is not None:
        base = conf.get_host_from_settings(host_index, conf.server_variables)
    else:
        base = conf.host
    exact = type(base) is str
    checked = _checked_hosts.get(base) if exact else None
    if checked is not None:
        return checked
    scheme = base.partition("://")[0].lower()
    if scheme not in ("http", "https") or any(char.isspace() or char == "\0" for char in base):
        raise ApiValueError(f"Invalid host {_log.redact(base)!r}: an http:// or https:// URL is expected")
    checked = base.rstrip("/")
    if exact:  # only a base URL that passed the check above is remembered
        if len(_checked_hosts) >= MAX_CHECKED_HOSTS:
            _checked_hosts.clear()
        _checked_hosts[base] = checked
    return checked


# --- parameter and body validation --------------------------------------------------------------


def _check_param(param: Param, value: Any, op_id: str) -> Any:
    """Check a parameter value against ``param.type``; returns it (an enum value is converted)."""
    expected = param.type
    where = f"parameter `{param.python_name}` of `{op_id}`"
    if isinstance(expected, type) and issubclass(expected, pydantic.BaseModel):
        try:
            return expected.model_validate(value)
        except pydantic.ValidationError as exc:
            raise ApiValueError(f"Invalid value for {where}: {validation_summary('', exc)}") from None
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
    operation: Operation,
    body: Any,
    content_type: Optional[str],
    stream: Optional[bool],
    validate: bool,
    extra_body: Optional[Mapping[str, Any]] = None,
) -> Tuple[Optional[bytes], bool, Optional[str]]:
    """The body bytes, whether the request streams, and the Content-Type."""
    spec = operation.body
    op_id = operation.operation_id
    value: Any = None
    payload: Optional[bytes] = None
    media: Optional[str] = None
    if extra_body is not None:
        _check_extra_body(operation, extra_body)
    if spec is None:
        if body is not None:
            raise ApiTypeError(f"`{op_id}` takes no request body")
        if extra_body:
            raise ApiValueError(f"`{op_id}` takes no request body: _extra_body cannot be sent")
    elif body is None:
        if spec.required:
            raise ApiValueError(f"Missing the required parameter `{spec.python_name}` when calling `{op_id}`")
    else:
        value = _validate_body(spec.type, body, spec.python_name, validate)
        flag = operation.stream.flag if operation.stream is not None else None
        if flag is not None and stream is None and _only_streams(operation):
            stream = True  # the operation answers nothing but a stream: its flag is always set
        if flag is not None and stream is not None:
            value = _with_flag(value, flag, stream)
        media = content_type or (spec.content_types[0] if spec.content_types else JSON_CONTENT_TYPE)
        try:
            if extra_body:
                payload, media = _encode_with_extra(value, spec, media, extra_body)
            else:
                payload, media = _encode_body(value, spec, media)
        except (PydanticSerializationError, RecursionError, UnicodeError, ValueError) as exc:
            if isinstance(exc, ApiValueError):
                raise
            raise ApiValueError(
                f"Invalid `{spec.python_name}`: it cannot be sent ({_serialization_problem(exc)})"
            ) from None
    return payload, _streams(operation, value, stream), media


def _check_extra_body(operation: Operation, extra_body: Any) -> None:
    """``_extra_body`` is a mapping of field names; it may not set the stream flag (the method does)."""
    if not isinstance(extra_body, Mapping):
        raise ApiTypeError(f"_extra_body must be a mapping of field names to values, got {type(extra_body).__name__}")
    for key in extra_body:
        if not isinstance(key, str):
            raise ApiTypeError(f"_extra_body keys must be str, got {type(key).__name__}")
    flag = operation.stream.flag if operation.stream is not None else None
    if flag is not None and flag in extra_body:
        raise ApiValueError(
            f"_extra_body may not set `{flag}`: set it in the body, or call `{operation.operation_id}_stream`"
        )


def _encode_with_extra(value: Any, spec: Body, media: str, extra_body: Mapping[str, Any]) -> Tuple[bytes, str]:
    """The body with the ``_extra_body`` fields merged in (as given, over the body's own)."""
    kind = media_type(media)
    if not (is_json(kind) or kind == _FORM or kind.startswith("multipart/")):
        raise ApiValueError(f"_extra_body needs an object body; `{spec.python_name}` is sent as {media!r}")
    if is_json(kind):
        base = _plain(value)
        if not isinstance(base, dict):
            raise ApiValueError(f"_extra_body needs an object body; `{spec.python_name}` is a {type(value).__name__}")
        merged = {**base, **_plain(extra_body)}
        text = json.dumps(merged, ensure_ascii=False, separators=(",", ":"), default=_to_text, allow_nan=False)
        return text.encode("utf-8"), media
    return _encode_body({**_fields(value, spec.python_name, kind), **extra_body}, spec, media)


def _streams(operation: Operation, value: Any, stream: Optional[bool]) -> bool:
    """Whether the request asks for a stream: by the body's flag, or (no flag) by the caller or because
    the operation answers nothing else."""
    spec = operation.stream
    if spec is None:
        return False
    if spec.flag is None:
        if stream is not None:
            return stream
        return _only_streams(operation)
    if value is None:
        return False
    return bool(value.get(spec.flag) if isinstance(value, Mapping) else getattr(value, spec.flag, False))


def _only_streams(operation: Operation) -> bool:
    """Whether every success of the operation is the event stream (it answers nothing else)."""
    spec = operation.stream
    return spec is not None and all(media_type(media) == media_type(spec.media_type) for media in operation.accepts)


def _accept(operation: Operation, streaming: bool) -> Optional[str]:
    if streaming and operation.stream is not None:
        return operation.stream.media_type
    others = [media for media in operation.accepts if media_type(media) != EVENT_STREAM_CONTENT_TYPE]
    return ", ".join(others) or None


def _validate_body(target: Any, body: Any, python_name: str, validate: bool) -> Any:
    """The body as a model, validated as a request (errors name the body field).

    A dict is validated into ``target`` in the request context, where fields the spec does not make
    nullable refuse an explicit ``None`` (``_model.NOT_NULL``); a model (validated when it was built)
    is checked for such ``None`` values among the fields it has set.
    """
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        if isinstance(body, target):
            if validate:
                where = explicit_null(body)
                if where is not None:
                    raise ApiValidationError(
                        f"Invalid `{python_name}`: {python_name}.{where}: null is not allowed here "
                        "(the spec does not make it nullable): leave the field unset",
                        tuple(int(part) if part.isdigit() else part for part in where.split(".")),
                    )
                _refuse_unknown_fields(body, python_name)
            return body
        if not isinstance(body, Mapping):
            raise ApiTypeError(f"`{python_name}` must be a {target.__name__} or a dict, got {type(body).__name__}")
        if not validate:
            return dict(body)
        raw = dict(body)
        try:
            value = target.model_validate(raw, context=REQUEST_CONTEXT)
            refuse_bool_numbers(value, raw)
        except pydantic.ValidationError as exc:
            raise validation_error(f"Invalid `{python_name}`", exc, python_name) from exc
        _refuse_unknown_fields(value, python_name)
        return value
    if not validate or target is None:
        return body
    validator = target if isinstance(target, pydantic.TypeAdapter) else type_adapter(target)
    try:
        value = validator.validate_python(body, context=REQUEST_CONTEXT)
    except pydantic.ValidationError as exc:
        raise validation_error(f"Invalid `{python_name}`", exc, python_name) from exc
    _refuse_unknown_fields(value, python_name)
    return value


def _refuse_unknown_fields(value: Any, python_name: str) -> None:
    """A body never carries a field its model does not declare (a typo would be sent silently)."""
    try:
        found = unknown_field(value)
    except RecursionError:
        raise ApiValueError(f"Invalid `{python_name}`: it cannot be sent (nested too deeply)") from None
    if found is not None:
        raise unknown_field_error(f"Invalid `{python_name}`", found, python_name)


def _with_flag(value: Any, flag: str, on: bool) -> Any:
    """A copy of the body with its stream flag set (the caller's object is left unchanged)."""
    if isinstance(value, pydantic.BaseModel):
        copy = value.model_copy()
        setattr(copy, flag, on)
        return copy
    if isinstance(value, Mapping):
        return {**value, flag: on}
    raise ApiTypeError(f"cannot set the stream flag `{flag}` on a {type(value).__name__} body")


# --- body encodings -----------------------------------------------------------------------------

_FORM = "application/x-www-form-urlencoded"


def _encode_body(value: Any, spec: Body, media: str) -> Tuple[bytes, str]:
    """The body bytes for the media type, and the Content-Type to send (multipart adds its boundary)."""
    kind = media_type(media)
    name = spec.python_name
    if kind == _FORM:
        return _form(_fields(value, name, kind), spec), media
    if kind.startswith("multipart/"):
        return _multipart(_fields(value, name, kind), spec, media)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value), media
    if is_json(kind):
        if isinstance(value, pydantic.BaseModel):
            data = value.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
        elif isinstance(spec.type, pydantic.TypeAdapter):
            data = spec.type.dump_json(value, by_alias=True, exclude_unset=True)
        else:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_to_text, allow_nan=False)
            return text.encode("utf-8"), media
        if b"NaN" in data or b"Infinity" in data:  # written as such by the models (ser_json_inf_nan)
            _refuse_non_finite(data)
        return data, media
    if isinstance(value, str):
        return value.encode("utf-8"), media
    if kind.startswith("text/") and isinstance(value, (int, float, Enum)):
        return _to_text(value).encode("utf-8"), media
    if _is_file(value):
        return read_file_input(value, name)[1], media
    raise ApiValueError(f"Content type {media!r} is not supported for `{name}`")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name}")


def _refuse_non_finite(data: bytes) -> None:
    """Raise ``ValueError`` when JSON text holds ``NaN`` or ``Infinity`` outside strings (not JSON)."""
    json.loads(data, parse_constant=_refuse_constant)


def _serialization_problem(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, RecursionError) or "depth" in text:
        return "nested too deeply"
    if "surrogates not allowed" in text or isinstance(exc, UnicodeError):
        return "text that is not valid Unicode (a lone surrogate)"
    if "Out of range float" in text:
        return "NaN or an infinity, which JSON cannot carry"
    return _log.redact(text.splitlines()[0] if text else type(exc).__name__)


def _is_file(value: Any) -> bool:
    """A file input (see ``FileInput``): bytes, a path, a readable object, or a (name, content...) tuple."""
    if isinstance(value, (bytes, bytearray, os.PathLike)) or callable(getattr(value, "read", None)):
        return True
    return isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str)


def _fields(value: Any, python_name: str, kind: str) -> Dict[str, Any]:
    """The properties of a form or multipart body by wire name, as they were set (files, nested models and
    dates kept as they are: the model is read field by field, not serialized)."""
    if isinstance(value, pydantic.BaseModel):
        found: Dict[str, Any] = {}
        for name, info in type(value).model_fields.items():
            if name in value.model_fields_set:
                found[info.serialization_alias or info.alias or name] = getattr(value, name)
        found.update(value.model_extra or {})
        return found
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    raise ApiValueError(f"A {kind} body must be an object with properties; `{python_name}` is a {type(value).__name__}")


def _form(fields: Mapping[str, Any], spec: Body) -> bytes:
    """``application/x-www-form-urlencoded``: arrays as repeated keys (or joined when not exploded),
    objects as JSON text; files are refused (they need ``multipart/form-data``)."""
    pieces: List[str] = []
    for key, value in fields.items():
        if value is None:
            continue
        encoding = spec.encoding.get(key) or Encoding()
        if isinstance(value, list):
            texts = [_form_text(key, item, spec) for item in value]
            if encoding.explode is False:
                delimiter = _DELIMITERS.get(encoding.style or "form", ",")
                pieces.append(f"{quote_plus(key)}=" + delimiter.join(quote_plus(text) for text in texts))
            else:
                pieces.extend(f"{quote_plus(key)}={quote_plus(text)}" for text in texts)
        else:
            pieces.append(f"{quote_plus(key)}={quote_plus(_form_text(key, value, spec))}")
    return "&".join(pieces).encode("ascii")


def _form_text(key: str, value: Any, spec: Body) -> str:
    if _is_file(value) and not isinstance(value, (bytes, bytearray)):
        raise ApiValueError(f"`{spec.python_name}.{key}` is a file: send it as multipart/form-data")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return _to_text(value)


def _disposition_value(text: str) -> str:
    """A quoted ``Content-Disposition`` parameter as browsers write it (WHATWG HTML multipart)."""
    return '"' + text.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22") + '"'


def _multipart(fields: Mapping[str, Any], spec: Body, media: str) -> Tuple[bytes, str]:
    """``multipart/form-data`` (RFC 7578): one part per property, one per item of an array. A file
    input is a file part (``filename`` and a Content-Type); an object is an ``application/json`` part;
    anything else a text part."""
    boundary = _boundary(media) or uuid.uuid4().hex
    out: List[bytes] = []
    for key, value in fields.items():
        if value is None:
            continue
        encoding = spec.encoding.get(key) or Encoding()
        for item in value if isinstance(value, list) else [value]:
            disposition = f"form-data; name={_disposition_value(key)}"
            part_type = encoding.content_type
            if _is_file(item):
                filename, data, guessed = read_file_input(item, key)
                disposition += f"; filename={_disposition_value(filename)}"
                part_type = part_type or guessed
            elif isinstance(item, (dict, list)) or isinstance(item, pydantic.BaseModel):
                data = json.dumps(_plain(item), ensure_ascii=False, separators=(",", ":"), default=_to_text).encode()
                part_type = part_type or JSON_CONTENT_TYPE
            else:
                data = _to_text(item).encode("utf-8")
            head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            if part_type:
                head += f"Content-Type: {_check_header('Content-Type', part_type, f'part `{key}`')}\r\n"
            out.append(head.encode("utf-8") + b"\r\n" + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    content_type = media if _boundary(media) else f"{media}; boundary={boundary}"
    return b"".join(out), content_type


_BOUNDARY_RE = re.compile(r';\s*boundary="?([^";]+)"?', re.IGNORECASE)


def _boundary(media: str) -> Optional[str]:
    match = _BOUNDARY_RE.search(media)
    return match.group(1) if match else None
