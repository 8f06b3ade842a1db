"""``Configuration``: where to connect, how to authenticate, how long to wait, how often to retry.

Names follow OpenAPI Generator's ``Configuration`` (``host``, ``api_key``,
``access_token``, ``retries``, ``proxy``, ``ssl_ca_cert``, ``debug`` ...). Added:
``timeout`` (default ``(5, 600)`` seconds, connect and read), ``pool_timeout``
(default 60 seconds waiting for a free pooled connection) and
``max_response_bytes`` (default 64 MiB for non-streamed bodies),
``max_stream_event_bytes`` (default 16 MiB for one event of a stream) and ``deadline``
(an overall time budget per call, none by default). Every default is in
:mod:`tachyon_sdk._constants`.

Every setting is checked when it is set (in the constructor and on assignment): a value of the
wrong type raises :class:`ApiTypeError`, an impossible one (a negative or infinite timeout, a pool
of zero connections, a secret that is not valid Unicode) :class:`ApiValueError`, so a bad setting
never surfaces later as a foreign exception in the middle of a call.

A configuration pickles (for multiprocessing, Ray, Spark, Celery): the log file handler is
reopened and the secrets registered with the log filter in the process that unpickles it.

Secrets (``access_token``, ``api_key`` values, ``password``, proxy credentials and
sensitive ``proxy_headers``) are masked in ``repr`` and registered with the log
filter so that they never reach a log record.
"""

import base64
import copy
import importlib
import logging
import math
import os
import platform
import sys
import threading
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import unquote

from . import _log
from ._constants import (
    DEFAULT_CONNECTION_POOL_MAXSIZE,
    DEFAULT_DEADLINE,
    DEFAULT_HOST,
    DEFAULT_LOGGER_FORMAT,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_STREAM_EVENT_BYTES,
    DEFAULT_POOL_TIMEOUT,
    DEFAULT_TIMEOUT,
    MAX_SECONDS,
    REDACTED,
    SDK_VERSION,
    SENSITIVE_HEADERS,
)
from ._operation import AuthSpec, ServerSpec
from ._types import USE_DEFAULT, TimeoutValue, _UseDefault
from .exceptions import ApiTypeError, ApiValueError
from .retry import RetryPolicy

__all__ = ["Configuration", "validate_deadline", "validate_timeout"]

RetriesValue = Union[None, int, RetryPolicy]


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the ``sys.stderr`` of the moment (it may be replaced after the handler is made).

    A record that a handler of the application's (on a logger the SDK's propagates to) already prints
    to the console is not printed a second time.
    """

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        if not _printed_above(record):
            super().emit(record)


_CONSOLES = ("stderr", "stdout", "__stderr__", "__stdout__")


def _printed_above(record: logging.LogRecord) -> bool:
    """Whether a console handler above the SDK logger (``logging.basicConfig``'s, say) prints ``record``."""
    consoles = [getattr(sys, name, None) for name in _CONSOLES]
    current: Optional[logging.Logger] = _log.logger
    while current is not None and current.propagate:
        current = current.parent
        for handler in current.handlers if current is not None else ():
            stream = getattr(handler, "stream", None)
            if stream is not None and any(stream is console for console in consoles):
                if record.levelno >= handler.level:
                    return True
    return False


_DEBUG_HANDLER = _StderrHandler()
_log.install_filter(_DEBUG_HANDLER)
_debug_lock = threading.Lock()


def _number(value: Any, name: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiTypeError(f"{name} must be a number of seconds or None, got {type(value).__name__}")
    if not math.isfinite(value) or value > MAX_SECONDS:
        raise ApiValueError(f"{name} must be a finite number of seconds up to {MAX_SECONDS:g} (None for no limit)")
    if value < 0:
        raise ApiValueError(f"{name} must not be negative")
    return float(value)


def validate_deadline(value: Any, name: str = "deadline") -> Optional[float]:
    """Check a deadline: ``None`` (none) or a positive number of seconds.

    :raises ApiTypeError: not a number.
    :raises ApiValueError: zero, negative, NaN, infinite or too large.
    """
    seconds = _number(value, name)
    if seconds is not None and seconds <= 0:
        raise ApiValueError(f"{name} must be a positive number of seconds (None for no deadline)")
    return seconds


def _size(value: Any, name: str, minimum: int = 0) -> Optional[int]:
    """A byte count or ``None`` (no limit)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiTypeError(f"{name} must be an int or None, got {type(value).__name__}")
    if value < minimum:
        raise ApiValueError(f"{name} must be at least {minimum}")
    return value


def _text(value: Any, name: str, optional: bool = True, secret: bool = False) -> Any:
    """A str setting (``None`` allowed when ``optional``); a secret must be valid Unicode text."""
    if value is None and optional:
        return value
    if not isinstance(value, str):
        allowed = "a str or None" if optional else "a str"
        raise ApiTypeError(f"{name} must be {allowed}, got {type(value).__name__}")
    if secret:
        try:
            value.encode("utf-8")
        except UnicodeError:
            raise ApiValueError(f"{name} is not valid Unicode text (a lone surrogate)") from None
    return value


def _flag(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise ApiTypeError(f"{name} must be True or False, got {type(value).__name__}")


def _path(value: Any, name: str) -> None:
    if value is not None and not isinstance(value, (str, os.PathLike)):
        raise ApiTypeError(f"{name} must be a file path or None, got {type(value).__name__}")


def _text_dict(value: Any, name: str, secret: bool = False) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise ApiTypeError(f"{name} must be a dict, got {type(value).__name__}")
    for key, item in value.items():
        _text(key, f"{name} key", optional=False)
        _text(item, f"{name}[{key!r}]", optional=False, secret=secret)


def _check_setting(name: str, value: Any) -> None:
    """Check a plain setting (the others are properties with their own setter)."""
    if name in ("access_token", "password"):
        _text(value, name, secret=True)
    elif name in ("username", "tls_server_name", "proxy"):
        _text(value, name, secret=name == "proxy")
    elif name in ("safe_chars_for_path_param", "_logger_format"):
        _text(value, name.lstrip("_"), optional=False)
    elif name in ("api_key", "proxy_headers"):
        _text_dict(value, name, secret=True)
    elif name in ("api_key_prefix", "server_variables"):
        _text_dict(value, name)
    elif name in ("verify_ssl", "client_side_validation", "ignore_operation_servers"):
        _flag(value, name)
    elif name in ("ssl_ca_cert", "cert_file", "key_file"):
        _path(value, name)
    elif name == "ca_cert_data" and value is not None and not isinstance(value, (str, bytes)):
        raise ApiTypeError(f"ca_cert_data must be PEM text, DER bytes or None, got {type(value).__name__}")
    elif name == "assert_hostname" and value is not None and not isinstance(value, (bool, str)):
        raise ApiTypeError(f"assert_hostname must be None, a bool or a str, got {type(value).__name__}")
    elif name == "server_index" and value is not None:
        if _size(value, name) is None:
            raise ApiTypeError("server_index must be an int or None")
    elif name == "server_operation_index":
        if not isinstance(value, dict):
            raise ApiTypeError(f"server_operation_index must be a dict, got {type(value).__name__}")
        for key, index in value.items():
            _size(index, f"server_operation_index[{key!r}]")
    elif name == "socket_options" and value is not None:
        if not isinstance(value, (list, tuple)) or not all(isinstance(item, tuple) for item in value):
            raise ApiTypeError("socket_options must be a list of (level, option, value) tuples or None")


def validate_timeout(value: Any, name: str = "timeout") -> TimeoutValue:
    """Check a timeout: ``None``, seconds, or a ``(connect, read)`` pair whose items may be ``None``.

    :raises ApiTypeError: not one of those shapes.
    :raises ApiValueError: a negative number.
    """
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ApiTypeError(f"{name} must be a (connect, read) pair, got {len(value)} items")
        return (_number(value[0], f"{name}[0]"), _number(value[1], f"{name}[1]"))
    return _number(value, name)


def _load_servers(module_name: str = f"{__package__}._servers") -> Tuple[ServerSpec, ...]:
    """The spec's servers from a generated ``_servers`` module, or ``DEFAULT_HOST`` without it."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return (ServerSpec(url=DEFAULT_HOST),)
    servers: Tuple[ServerSpec, ...] = tuple(module.SERVERS)
    return servers or (ServerSpec(url=DEFAULT_HOST),)


class Configuration:
    """Settings of an :class:`~tachyon_sdk.api_client.ApiClient`.

    :param host: base URL; default: the spec's first server (``server_index=0``).
    :param api_key: api keys by security scheme name (or by header/query name).
    :param api_key_prefix: prefix of an api key by the same names, e.g. ``{"apiKeyAuth": "Token"}``.
    :param username: user name for HTTP basic authentication.
    :param password: password for HTTP basic authentication.
    :param access_token: token for HTTP bearer authentication (sent as ``Authorization: Bearer ...``).
    :param server_index: index into the spec's servers, used when ``host`` is not given.
    :param server_variables: values of the servers' ``{variables}``.
    :param server_operation_index: per-operation index into an operation's own servers.
    :param server_operation_variables: per-operation values of the variables of its own servers
        (default: ``server_variables``).
    :param ignore_operation_servers: use ``host`` even for operations that declare servers.
    :param ssl_ca_cert: file of CA certificates to verify the server with.
    :param retries: retries after the first attempt (int), a :class:`RetryPolicy`, or ``None``/``0``
        for none; default :data:`~tachyon_sdk._constants.DEFAULT_MAX_RETRIES`.
    :param ca_cert_data: CA certificates as PEM text or DER bytes.
    :param debug: ``True`` logs requests and responses (secrets masked) through the ``tachyon_sdk``
        logger; ``None`` leaves the logger as it is.
    :param timeout: default timeout: seconds (for connect and for read each), ``(connect, read)`` or
        ``None`` (none). The read timeout bounds each wait for data, between chunks of a stream too.
    :param pool_timeout: longest wait for a free pooled connection when all ``connection_pool_maxsize``
        are in use (``ApiTimeoutError`` with ``phase="pool"``); ``None`` waits as long as it takes.
    :param max_response_bytes: largest non-streamed body read; ``None`` for no limit.
    :param max_stream_event_bytes: largest event (or unterminated line) a stream buffers; ``None`` for
        no limit. A stream's limit is the smaller of this and ``max_response_bytes``.
    :param deadline: overall time budget of one call or stream, in seconds (``None``: none, the
        default); ``_deadline=`` sets it for one call. Passing it raises ``ApiTimeoutError`` with
        ``phase="deadline"``.

    The other keyword arguments set the attributes of the same name.
    """

    _default: ClassVar[Optional["Configuration"]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()
    servers_module: ClassVar[str] = f"{__package__}._servers"
    """The generated module whose ``SERVERS`` ``server_index`` selects from; a package generated on
    this runtime (``--runtime-package``) has a subclass naming its own."""

    def __init__(
        self,
        host: Optional[str] = None,
        api_key: Optional[Dict[str, str]] = None,
        api_key_prefix: Optional[Dict[str, str]] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        access_token: Optional[str] = None,
        server_index: Optional[int] = None,
        server_variables: Optional[Dict[str, str]] = None,
        server_operation_index: Optional[Dict[str, int]] = None,
        ignore_operation_servers: bool = False,
        ssl_ca_cert: Optional[str] = None,
        retries: Union[RetriesValue, _UseDefault] = USE_DEFAULT,
        ca_cert_data: Union[str, bytes, None] = None,
        *,
        server_operation_variables: Optional[Dict[str, Dict[str, str]]] = None,
        debug: Optional[bool] = None,
        timeout: TimeoutValue = DEFAULT_TIMEOUT,
        pool_timeout: Optional[float] = DEFAULT_POOL_TIMEOUT,
        max_response_bytes: Optional[int] = DEFAULT_MAX_RESPONSE_BYTES,
        max_stream_event_bytes: Optional[int] = DEFAULT_MAX_STREAM_EVENT_BYTES,
        deadline: Optional[float] = DEFAULT_DEADLINE,
        proxy: Optional[str] = None,
        proxy_headers: Optional[Dict[str, str]] = None,
        verify_ssl: bool = True,
        cert_file: Optional[str] = None,
        key_file: Optional[str] = None,
        assert_hostname: Union[None, bool, str] = None,
        tls_server_name: Optional[str] = None,
        connection_pool_maxsize: int = DEFAULT_CONNECTION_POOL_MAXSIZE,
        socket_options: Optional[Sequence[Tuple[int, int, Union[int, bytes]]]] = None,
        safe_chars_for_path_param: str = "",
        client_side_validation: bool = True,
        logger_file: Optional[str] = None,
        logger_format: str = DEFAULT_LOGGER_FORMAT,
    ) -> None:
        self._base_path: str = DEFAULT_HOST if host is None else _checked_host(host)
        self.server_index: Optional[int] = 0 if server_index is None and host is None else server_index
        self.server_variables: Dict[str, str] = dict(server_variables or {})
        self.server_operation_index: Dict[str, int] = dict(server_operation_index or {})
        self.server_operation_variables: Dict[str, Dict[str, str]] = {
            name: dict(values) for name, values in (server_operation_variables or {}).items()
        }
        self.ignore_operation_servers = ignore_operation_servers

        self.api_key: Dict[str, str] = dict(api_key or {})
        self.api_key_prefix: Dict[str, str] = dict(api_key_prefix or {})
        self.refresh_api_key_hook: Optional[Callable[[Configuration], None]] = None
        self.username = username
        self.password = password
        self.access_token = access_token

        self.retries = DEFAULT_MAX_RETRIES if isinstance(retries, _UseDefault) else retries
        self.timeout = timeout
        self.pool_timeout = pool_timeout
        self.max_response_bytes = max_response_bytes
        self.max_stream_event_bytes = max_stream_event_bytes
        self.deadline = deadline

        self.proxy = proxy
        self.proxy_headers: Optional[Dict[str, str]] = proxy_headers
        self.ssl_ca_cert = ssl_ca_cert
        self.ca_cert_data = ca_cert_data
        self.verify_ssl = verify_ssl
        self.cert_file = cert_file
        self.key_file = key_file
        self.assert_hostname = assert_hostname
        self.tls_server_name = tls_server_name
        self.connection_pool_maxsize = connection_pool_maxsize
        self.socket_options = socket_options
        self.safe_chars_for_path_param = safe_chars_for_path_param
        self.client_side_validation = client_side_validation

        self._logger_format = logger_format
        self._logger_file: Optional[str] = None
        self._file_handler: Optional[logging.Handler] = None
        self._debug = False
        self.logger_file = logger_file
        if debug is not None:
            self.debug = debug

    # --- secrets ---------------------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        _check_setting(name, value)
        if name in ("access_token", "password") and isinstance(value, str):
            _log.register_secret(value)
        elif name == "api_key" and isinstance(value, dict):
            for key in value.values():
                _log.register_secret(key)
        elif name == "proxy" and isinstance(value, str):
            _log.register_secret(_proxy_password(value))
        elif name == "proxy_headers" and isinstance(value, dict):
            for header, header_value in value.items():
                if header.lower() in SENSITIVE_HEADERS:
                    _log.register_secret(header_value)
        super().__setattr__(name, value)

    # --- validated settings ----------------------------------------------------------------------

    @property
    def retries(self) -> RetriesValue:
        """Retries after the first attempt (int), a :class:`RetryPolicy`, or ``None`` for none."""
        return self._retries

    @retries.setter
    def retries(self, value: RetriesValue) -> None:
        try:
            policy = RetryPolicy.from_value(value)
        except TypeError as exc:
            raise ApiTypeError(f"retries: {exc}") from None
        except ValueError as exc:
            raise ApiValueError(f"retries: {exc}") from None
        self._retries = value
        self._retry_policy = policy  # immutable: built once here instead of on every call

    @property
    def retry_policy(self) -> RetryPolicy:
        """:attr:`retries` as a :class:`RetryPolicy`."""
        return self._retry_policy

    @property
    def timeout(self) -> TimeoutValue:
        """Default timeout of a request: seconds, ``(connect, read)`` or ``None`` for none."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: TimeoutValue) -> None:
        self._timeout = validate_timeout(value, "timeout")

    @property
    def pool_timeout(self) -> Optional[float]:
        """Longest wait, in seconds, for a free pooled connection; ``None`` waits as long as it takes."""
        return self._pool_timeout

    @pool_timeout.setter
    def pool_timeout(self, value: Optional[float]) -> None:
        self._pool_timeout = _number(value, "pool_timeout")

    @property
    def max_response_bytes(self) -> Optional[int]:
        """Largest non-streamed response body read, in bytes; ``None`` for no limit."""
        return self._max_response_bytes

    @max_response_bytes.setter
    def max_response_bytes(self, value: Optional[int]) -> None:
        self._max_response_bytes = _size(value, "max_response_bytes")

    @property
    def max_stream_event_bytes(self) -> Optional[int]:
        """Largest event (or unterminated line) a stream buffers, in decoded characters; ``None``: no limit."""
        return self._max_stream_event_bytes

    @max_stream_event_bytes.setter
    def max_stream_event_bytes(self, value: Optional[int]) -> None:
        self._max_stream_event_bytes = _size(value, "max_stream_event_bytes", 1)

    @property
    def stream_event_limit(self) -> Optional[int]:
        """The limit a stream applies to one event: the smaller of ``max_stream_event_bytes`` and
        ``max_response_bytes`` (an event is never allowed to be larger than a whole answer)."""
        limits = [limit for limit in (self._max_stream_event_bytes, self._max_response_bytes) if limit is not None]
        return min(limits) if limits else None

    @property
    def deadline(self) -> Optional[float]:
        """Overall time budget of one call or stream in seconds; ``None`` for none."""
        return self._deadline

    @deadline.setter
    def deadline(self, value: Optional[float]) -> None:
        self._deadline = validate_deadline(value, "deadline")

    @property
    def connection_pool_maxsize(self) -> int:
        """Connections kept (and at most opened at once) per host: an int of at least 1."""
        return self._connection_pool_maxsize

    @connection_pool_maxsize.setter
    def connection_pool_maxsize(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiTypeError(f"connection_pool_maxsize must be an int of at least 1, got {type(value).__name__}")
        if value < 1:
            raise ApiValueError(f"connection_pool_maxsize must be at least 1, got {value}")
        self._connection_pool_maxsize = value

    # --- host ------------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL: as set, or the spec's server ``server_index`` with ``server_variables``."""
        if self.server_index is None:
            return self._base_path
        return self.get_host_from_settings(self.server_index, self.server_variables)

    @host.setter
    def host(self, value: str) -> None:
        self._base_path = _checked_host(value)
        self.server_index = None

    def get_host_settings(self) -> List[Dict[str, Any]]:
        """The spec's servers in OpenAPI Generator's shape (``url``, ``description``, ``variables``)."""
        return [
            {
                "url": server.url,
                "description": server.description,
                "variables": {
                    name: {
                        "description": variable.description,
                        "default_value": variable.default,
                        "enum_values": list(variable.enum),
                    }
                    for name, variable in server.variables.items()
                },
            }
            for server in _load_servers(self.servers_module)
        ]

    def get_host_from_settings(
        self,
        index: Optional[int],
        variables: Optional[Mapping[str, str]] = None,
        servers: Optional[Sequence[ServerSpec]] = None,
    ) -> str:
        """The URL of server ``index`` (of ``servers``, default the spec's) with its variables filled.

        ``index=None`` gives the host set explicitly.

        :raises ApiValueError: an index out of range or a variable value not allowed.
        """
        if index is None:
            return self._base_path
        candidates = tuple(servers) if servers is not None else _load_servers(self.servers_module)
        if not 0 <= index < len(candidates):
            raise ApiValueError(
                f"Invalid index {index} when selecting the host settings. Must be less than {len(candidates)}"
            )
        return candidates[index].format(variables)

    # --- authentication --------------------------------------------------------------------------

    def get_api_key_with_prefix(self, identifier: str, alias: Optional[str] = None) -> Optional[str]:
        """The api key stored under ``identifier`` (or ``alias``), with its prefix if one is set."""
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = self.api_key.get(identifier, self.api_key.get(alias) if alias is not None else None)
        if key is None:
            return None
        _log.register_secret(key)
        prefix = self.api_key_prefix.get(identifier)
        return f"{prefix} {key}" if prefix else key

    def get_basic_auth_token(self) -> Optional[str]:
        """``Basic <base64(username:password)>``, or ``None`` when neither is set."""
        if self.username is None and self.password is None:
            return None
        raw = f"{self.username or ''}:{self.password or ''}".encode()
        token = "Basic " + base64.b64encode(raw).decode("ascii")
        _log.register_secret(token.split(" ", 1)[1])
        return token

    def auth_value(self, auth: AuthSpec) -> Optional[str]:
        """The credential to send for a security scheme, or ``None`` when none is configured."""
        if auth.kind == "apiKey":
            return self.get_api_key_with_prefix(auth.name, alias=auth.key)
        if auth.kind == "http" and (auth.scheme or "").lower() == "basic":
            return self.get_basic_auth_token()
        if self.access_token is None:  # http bearer, oauth2, openIdConnect
            return None
        return f"Bearer {self.access_token}"

    # --- logging ---------------------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """``True``: the ``tachyon_sdk`` logger logs at DEBUG to stderr (secrets masked).

        The logger is shared by every configuration; ``False`` resets its level (to inherit the
        root logger's) and removes the stderr handler. ``http.client`` debug printing is never used.
        """
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        if value is not None and not isinstance(value, (bool, int)):
            raise ApiTypeError(f"debug must be True or False, got {type(value).__name__}")
        self._debug = bool(value)
        with _debug_lock:
            if value:
                _log.logger.setLevel(logging.DEBUG)
                if _DEBUG_HANDLER not in _log.logger.handlers:
                    _DEBUG_HANDLER.setFormatter(logging.Formatter(self._logger_format))
                    _log.logger.addHandler(_DEBUG_HANDLER)
            else:
                _log.logger.setLevel(logging.NOTSET)
                _log.logger.removeHandler(_DEBUG_HANDLER)

    @property
    def logger_file(self) -> Optional[str]:
        """A file that also receives the ``tachyon_sdk`` logger's records; ``None`` for none."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        _path(value, "logger_file")
        if self._file_handler is not None:
            _log.logger.removeHandler(self._file_handler)
            self._file_handler.close()
            self._file_handler = None
        self._logger_file = value
        if value:
            handler = logging.FileHandler(value, encoding="utf-8")
            handler.setFormatter(logging.Formatter(self._logger_format))
            _log.install_filter(handler)
            _log.logger.addHandler(handler)
            self._file_handler = handler

    @property
    def logger_format(self) -> str:
        """Format of the records written by the handlers :attr:`debug` and :attr:`logger_file` add."""
        return self._logger_format

    @logger_format.setter
    def logger_format(self, value: str) -> None:
        self._logger_format = _text(value, "logger_format", optional=False)
        for handler in (self._file_handler, _DEBUG_HANDLER):
            if handler is not None:
                handler.setFormatter(logging.Formatter(value))

    # --- defaults, copies, repr ------------------------------------------------------------------

    @classmethod
    def get_default(cls) -> "Configuration":
        """The process-wide default configuration (created on first use)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def get_default_copy(cls) -> "Configuration":
        """A deep copy of :meth:`get_default`."""
        return copy.deepcopy(cls.get_default())

    @classmethod
    def set_default(cls, default: Optional["Configuration"]) -> None:
        """Make ``default`` the process-wide default (``None``: a fresh one is created when needed)."""
        with cls._default_lock:
            cls._default = default

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Configuration":
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            # The log file handler is shared: it is one open file attached to the shared logger.
            shared = name in ("_file_handler", "refresh_api_key_hook")
            object.__setattr__(clone, name, value if shared else copy.deepcopy(value, memo))
        return clone

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_file_handler"] = None  # an open file: reopened by __setstate__
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        logger_file = state.pop("_logger_file", None)
        debug = state.get("_debug", False)
        self.__dict__.update(state)
        object.__setattr__(self, "_logger_file", None)
        # secrets are known to this process's log filter too
        for name in ("access_token", "password", "api_key", "proxy", "proxy_headers"):
            value = state.get(name)
            if value is not None:
                Configuration.__setattr__(self, name, value)
        if logger_file:
            shared = [
                handler
                for handler in _log.logger.handlers
                if isinstance(handler, logging.FileHandler) and handler.baseFilename == os.path.abspath(logger_file)
            ]
            if shared:  # unpickled in the process that has the file open already: no second handler
                object.__setattr__(self, "_logger_file", logger_file)
                object.__setattr__(self, "_file_handler", shared[0])
            else:
                self.logger_file = logger_file
        if debug:
            self.debug = True

    def __repr__(self) -> str:
        def secret(value: Optional[str]) -> Optional[str]:
            return None if value is None else REDACTED

        shown: List[Tuple[str, Any]] = [
            ("host", self.host),
            ("server_index", self.server_index),
            ("access_token", secret(self.access_token)),
            ("api_key", {name: REDACTED for name in self.api_key}),
            ("api_key_prefix", dict(self.api_key_prefix)),
            ("username", self.username),
            ("password", secret(self.password)),
            ("retries", self.retries),
            ("timeout", self.timeout),
            ("pool_timeout", self.pool_timeout),
            ("max_response_bytes", self.max_response_bytes),
            ("max_stream_event_bytes", self.max_stream_event_bytes),
            ("deadline", self.deadline),
            ("proxy", None if self.proxy is None else _log.redact(self.proxy)),
            ("proxy_headers", _log.mask_headers(self.proxy_headers) if self.proxy_headers else None),
            ("verify_ssl", self.verify_ssl),
            ("ssl_ca_cert", self.ssl_ca_cert),
            ("cert_file", self.cert_file),
            ("key_file", self.key_file),
            ("connection_pool_maxsize", self.connection_pool_maxsize),
            ("debug", self.debug),
        ]
        return "Configuration(" + ", ".join(f"{name}={value!r}" for name, value in shown) + ")"

    def to_debug_report(self) -> str:
        """Versions of Python and the SDK, for bug reports."""
        return (
            f"Python SDK Debug Report:\nOS: {sys.platform}\nPython Version: {platform.python_version()}\n"
            f"SDK Package Version: {SDK_VERSION}"
        )


def _checked_host(value: Any) -> str:
    """A host as set by the caller: an ``http://`` or ``https://`` URL with a host name, no space.

    :raises ApiTypeError: not a str.
    :raises ApiValueError: anything else (``localhost:8080`` without its scheme, ``ftp://...``).
    """
    if not isinstance(value, str):
        raise ApiTypeError(f"host must be a str (an http:// or https:// URL), got {type(value).__name__}")
    scheme, sep, rest = value.partition("://")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    spaced = any(char.isspace() or char == "\0" for char in value)
    if sep and scheme.lower() in ("http", "https") and authority and not spaced:
        return value
    hint = f" (did you mean 'http://{_log.redact(value)}'?)" if value and not sep and not spaced else ""
    raise ApiValueError(f"Invalid host {_log.redact(value)!r}: an http:// or https:// URL is expected{hint}")


def _proxy_password(url: str) -> Optional[str]:
    rest = url.partition("://")[2]
    userinfo, at, _ = rest.rpartition("@")
    if not at:
        return None
    return unquote(userinfo.partition(":")[2]) or None
