"""``ApiClient``: turns an operation and its arguments into a request, sends it, decodes the answer.

Generated API classes call three methods and nothing else:

- :meth:`ApiClient.param_serialize` validates every argument and builds a
  :class:`PreparedRequest` (nothing is sent; every input error is raised here;
  the building itself lives in :mod:`tachyon_sdk._request`);
- :meth:`ApiClient.execute` sends it (retrying as the policy says) and returns an
  :class:`~tachyon_sdk.api_response.ApiResponse` with the decoded model, or a
  ``Stream`` for a streamed answer, or raises the exception for the status;
- :meth:`ApiClient.execute_raw` sends it and returns the undecoded response.

The retry loop is here: a loop, sleeping through an injectable function. A
failure is retried when nothing was answered (refused, reset or closed before the
status line, connect timeout) or for a retryable status (408, 429, 500, 502, 503,
504 by default, honouring ``Retry-After``). A read timeout is never retried: the
server may be working on the request. A stream is retried only before its status
line arrives. Once any answer has begun to arrive (a status line, even one whose headers or body
turn out malformed), the request is never sent again.

An overall deadline (``Configuration.deadline`` or ``_deadline=``) bounds the whole call: see
:mod:`tachyon_sdk._deadline`.
"""

import logging
import random
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Dict, Mapping, Optional, Sequence, Type

import pydantic

from . import _log
from ._constants import EVENT_STREAM_CONTENT_TYPE, MAX_SECONDS, SDK_VERSION, USER_AGENT_PREFIX
from ._deadline import Deadline
from ._model import json_validator
from ._operation import Operation
from ._request import PreparedRequest, build_request, register_cookie, register_credential
from ._request import is_json as _is_json
from ._request import masked_headers as _masked_headers
from ._request import media_type as _media_type
from ._request import validation_summary as _summary
from ._types import USE_DEFAULT, DeadlineArg, RetriesArg, TimeoutArg, TimeoutValue, _UseDefault
from .api_response import ApiResponse
from .configuration import Configuration, validate_deadline, validate_timeout
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

if TYPE_CHECKING:
    from .streaming import Stream

__all__ = ["ApiClient", "PreparedRequest"]

_MISSING = object()


def _type_name(target: Any) -> str:
    return getattr(target, "__name__", None) or repr(target)


def _charset(content_type: Optional[str]) -> str:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


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


def _read_timeout(timeout: TimeoutValue) -> Optional[float]:
    return timeout[1] if isinstance(timeout, tuple) else timeout


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
            self.set_default_header(header_name, header_value)
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

    def __repr__(self) -> str:
        return f"<ApiClient host={_log.redact(self.configuration.host)!r} user_agent={self.user_agent!r}>"

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
        """Send a header with every request.

        The value of a credential header (``Authorization``, ``X-API-Key``, ``Cookie``, or any name with
        ``auth``, ``token``, ``key``, ``secret``, ``session``... in it) is a secret from here on: masked in every message, exception and log record, even when a server echoes it.
        """
        if isinstance(header_name, str) and isinstance(header_value, str) and _log.is_secret_header(header_name):
            register_credential(header_value)
        self.default_headers[header_name] = header_value

    @property
    def cookie(self) -> Optional[str]:
        """A ``Cookie`` header value sent with every request; its cookie values are secrets (masked)."""
        return self._cookie

    @cookie.setter
    def cookie(self, value: Optional[str]) -> None:
        if isinstance(value, str):
            register_cookie(value)
        self._cookie = value

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
        extra_body: Optional[Mapping[str, Any]] = None,
    ) -> PreparedRequest:
        """Validate the arguments of ``operation`` and build the request; nothing is sent.

        :param values: the parameter values in ``operation.params`` order.
        :param body: a model, a dict validated into the body model, or ``None``.
        :param request_auth: credentials for this call, replacing the configured ones.
        :param content_type: media type of the body (default: the operation's first).
        :param headers: extra headers; they override every other header.
        :param host_index: index into the operation's (or the spec's) servers.
        :param stream: ``True`` sets the body's stream flag; ``None`` reads it from the body.
        :param extra_body: fields sent in the JSON object body as given (``_extra_body``), over the body's own.
        :raises ApiTypeError: an argument of the wrong type.
        :raises ApiValueError: a missing or invalid argument, or a header with CR, LF or NUL.
        """
        return build_request(
            self.configuration,
            self.default_headers,
            self.cookie,
            operation,
            values,
            body,
            request_auth=request_auth,
            content_type=content_type,
            headers=headers,
            host_index=host_index,
            stream=stream,
            extra_body=extra_body,
        )

    # --- sending ---------------------------------------------------------------------------------

    def execute(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> ApiResponse[Any]:
        """Send the request and decode the answer.

        :param deadline: seconds the whole call may take (a stream: until its end), ``None`` for none;
            by default ``Configuration.deadline``.
        :returns: :class:`ApiResponse` whose ``data`` is the model for the status, a ``Stream`` for a
            streamed ``text/event-stream`` answer, or ``None`` for no content.
        :raises ApiException: a non-2xx status (the subclass for it), :class:`ApiDecodeError` for a
            2xx body that does not decode, :class:`ResponseTooLargeError`.
        :raises ApiConnectionError: no HTTP answer (:class:`ApiTimeoutError` for a timeout, with
            ``phase="deadline"`` when the deadline passed).
        """
        operation = request.operation
        limit = self._resolve_deadline(deadline)
        response = self._send(request, timeout, retries, limit)
        ok = 200 <= response.status < 300
        media = _media_type(response.getheader("Content-Type"))
        if ok and request.stream and operation.stream is not None and media == _media_type(operation.stream.media_type):
            try:
                from .streaming import Stream

                stream: Any = Stream(
                    response.response,
                    operation.stream.chunk,
                    error_type=_error_type(operation),
                    sentinel=operation.stream.sentinel,
                    max_event_bytes=self.configuration.stream_event_limit,
                    deadline=response.deadline,
                    read_timeout=response.read_timeout,
                )
            except BaseException:
                response.release()
                raise
            return ApiResponse(status_code=response.status, headers=response.headers, data=stream, raw_data=None)
        if ok and not request.stream and media == EVENT_STREAM_CONTENT_TYPE:
            # An event stream nobody asked for: refused by its Content-Type, never read to its end (it
            # may never end); what arrives at once is kept for the error.
            raw = response.read_briefly()
            hint = ""
            if operation.stream is not None:
                hint = (
                    f" (set `{operation.stream.flag}` in the body or call `{operation.operation_id}_stream`)"
                    if operation.stream.flag
                    else f" (call `{operation.operation_id}_stream`)"
                )
            raise ApiDecodeError(
                response.status,
                f"the server answered {EVENT_STREAM_CONTENT_TYPE} to a request that did not ask for a stream{hint}",
                body=raw,
                headers=response.headers,
            )
        try:
            raw = response.read()
        except ApiDecodeError as exc:  # a body its Content-Encoding cannot decode: the status still counts
            if ok:
                raise
            raise ApiException.from_response(
                status=response.status, reason=response.reason, body=exc.reason, headers=response.headers
            ) from exc
        if not ok:
            raise self._status_error(response, raw, operation)
        data = self._decode(response, raw, operation)
        return ApiResponse(status_code=response.status, headers=response.headers, data=data, raw_data=raw)

    def execute_stream(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> "Stream[Any]":
        """Send a request that asks for a stream and return its :class:`Stream` (the ``<op>_stream`` methods).

        A server that ignores the stream flag and answers with the whole body instead gives
        :class:`ApiDecodeError` carrying that body, so an ``<op>_stream`` method never returns
        anything but the ``Stream`` it is typed to return.
        """
        return self.execute_stream_with_http_info(request, timeout, retries, deadline).data

    def execute_stream_with_http_info(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> "ApiResponse[Stream[Any]]":
        """As :meth:`execute_stream`, returning the ``ApiResponse`` (status, headers) whose ``data`` is the
        ``Stream`` (the ``<op>_stream_with_http_info`` methods)."""
        from .streaming import Stream

        result = self.execute(request, timeout, retries, deadline)
        if isinstance(result.data, Stream):
            return result
        content_type = result.headers.get("Content-Type", "no Content-Type")
        raise ApiDecodeError(
            result.status_code,
            f"asked for a stream, the server answered {content_type} instead of text/event-stream",
            body=result.raw_data,
            headers=result.headers,
        )

    def execute_raw(
        self,
        request: PreparedRequest,
        timeout: TimeoutArg = USE_DEFAULT,
        retries: RetriesArg = USE_DEFAULT,
        deadline: DeadlineArg = USE_DEFAULT,
    ) -> RESTResponse:
        """Send the request and return the response unread, whatever its status; the caller releases it.

        A deadline bounds the wait for the answer's status line and headers, and the response's ``read()``.
        """
        return self._send(request, timeout, retries, self._resolve_deadline(deadline))

    def _send(
        self, request: PreparedRequest, timeout: TimeoutArg, retries: RetriesArg, seconds: Optional[float]
    ) -> RESTResponse:
        """Send, retrying as the policy allows; returns the last response unread (its status is not checked).

        The body is left to the caller, so a status is known (and retried) even when its body then
        turns out undecodable. A retried answer's body is read and dropped to reuse the connection.
        """
        timeout_value = self._resolve_timeout(timeout)
        policy = self._resolve_retries(retries)
        limit = self.configuration.max_response_bytes
        pool_timeout = self.configuration.pool_timeout
        method, url = request.method, request.url
        deadline = None if seconds is None else Deadline(seconds)
        where = f"{method} {_log.url_without_query(url)}"
        while True:
            self._log_request(request)
            attempt_timeout, attempt_pool = timeout_value, pool_timeout
            if deadline is not None:
                deadline.check(where)
                attempt_timeout = deadline.cut(timeout_value)
                attempt_pool = min(deadline.remaining(), MAX_SECONDS if pool_timeout is None else pool_timeout)
            try:
                response = self.rest_client.request(
                    method, url, request.headers, request.body, attempt_timeout,
                    preload_content=False, max_response_bytes=limit, pool_timeout=attempt_pool,
                )  # fmt: skip
            except ApiConnectionError as exc:
                if deadline is not None and isinstance(exc, ApiTimeoutError) and deadline.passed():
                    raise deadline.error(where) from exc
                if not _retryable_error(exc):
                    raise
                policy = policy.increment(method, _log.url_without_query(url), error=exc)
                if policy.is_exhausted():
                    raise
                wait = policy.backoff_for(policy.retries_done, self._rng)
                if deadline is not None and wait >= deadline.remaining():
                    raise  # the retry could not start before the deadline: the failure is final
                self._pause(request, policy, f"{type(exc).__name__} ({exc.phase})", wait)
                continue
            _log.logger.debug(
                "response %s %s -> %s %s", method, _log.url_without_query(url), response.status, response.reason
            )
            if policy.is_retryable_status(response.status):
                following = policy.increment(method, _log.url_without_query(url), status=response.status)
                if not following.is_exhausted():
                    wait = following.wait_for(response.getheader("Retry-After"), self._rng, time.time())
                    if deadline is None or wait < deadline.remaining():
                        response.drain()
                        self._pause(request, following, f"status {response.status}", wait)
                        policy = following
                        continue
            if deadline is not None:
                response.deadline = deadline
                response.read_timeout = _read_timeout(timeout_value)
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

    def _resolve_deadline(self, deadline: DeadlineArg) -> Optional[float]:
        if isinstance(deadline, _UseDefault):
            return self.configuration.deadline
        return validate_deadline(deadline, "_deadline")

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
        if target is str and raw and media.startswith("text/"):  # a declared text error body
            data = raw.decode(_charset(response.getheader("Content-Type")), errors="replace")
        elif target is not _MISSING and target is not None and raw and (_is_json(media) or not media):
            try:
                data = json_validator(target)(raw)
            except ValueError:
                data = None
        return ApiException.from_response(
            status=response.status, reason=response.reason, body=raw, data=data, headers=response.headers
        )
