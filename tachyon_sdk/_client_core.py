"""What the sync and the asyncio ``ApiClient`` share: everything but the I/O.

:class:`ClientCore` holds the configuration and default headers, builds requests
(:meth:`ClientCore.param_serialize`, over :mod:`tachyon_sdk._request`), resolves the per-call
timeout and retry policy, decides each step of the retry loop, tells a streamed answer from a
whole one, and decodes answers and errors. Its subclasses only send and read:
:class:`tachyon_sdk.api_client.ApiClient` over urllib3 and
:class:`tachyon_sdk.aio.ApiClient` over aiohttp. A response here is anything with ``status``,
``reason``, ``headers`` and ``getheader()`` (:class:`ResponseHead`).
"""

import logging
import random
from typing import Any, Dict, Mapping, Optional, Protocol, Sequence, Tuple

import pydantic

from . import _log
from ._constants import EVENT_STREAM_CONTENT_TYPE, SDK_VERSION, USER_AGENT_PREFIX
from ._deadline import Deadline
from ._model import json_validator
from ._operation import Operation
from ._request import PreparedRequest, build_request, register_cookie, register_credential
from ._request import is_json as _is_json
from ._request import masked_headers as _masked_headers
from ._request import media_type as _media_type
from ._request import validation_summary as _summary
from ._types import DeadlineArg, RetriesArg, TimeoutArg, TimeoutValue, _UseDefault
from .api_response import ApiResponse
from .configuration import Configuration, validate_deadline, validate_timeout
from .exceptions import ApiConnectionError, ApiDecodeError, ApiException, ApiTimeoutError, ApiTypeError, ApiValueError
from .retry import RetryPolicy

__all__ = ["ClientCore", "ResponseHead"]

_MISSING = object()


class ResponseHead(Protocol):
    """The part of a response the shared code reads: status line and headers."""

    @property
    def status(self) -> int: ...

    @property
    def reason(self) -> Optional[str]: ...

    @property
    def headers(self) -> Any: ...

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]: ...


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


def error_type(operation: Operation) -> Any:
    """The model of an error event inside a stream: the declared default or 5XX/4XX error."""
    for key in ("default", "5XX", "4XX"):
        if operation.responses.get(key) is not None:
            return operation.responses[key]
    return None


def read_timeout(timeout: TimeoutValue) -> Optional[float]:
    """The read part of a timeout value."""
    return timeout[1] if isinstance(timeout, tuple) else timeout


def _retryable_error(exc: ApiConnectionError) -> bool:
    """Retry only what certainly got no answer; a read timeout may be a request being processed."""
    if isinstance(exc, ApiTimeoutError):
        return exc.phase == "connect"
    return exc.phase == "connect" or (exc.phase == "read" and not exc.response_started)


class ClientCore:
    """The I/O-free half of an API client (see the module docstring)."""

    configuration: Configuration
    default_headers: Dict[str, str]
    _cookie: Optional[str]
    _rng: random.Random

    def _init_core(
        self,
        configuration: Optional[Configuration],
        header_name: Optional[str],
        header_value: Optional[str],
        cookie: Optional[str],
        rng: Optional[random.Random],
    ) -> None:
        self.configuration = Configuration.get_default() if configuration is None else configuration
        self.default_headers = {}
        if header_name is not None and header_value is not None:
            self.set_default_header(header_name, header_value)
        self.cookie = cookie
        self.user_agent = f"{USER_AGENT_PREFIX}/{SDK_VERSION}"
        self._rng = random.Random() if rng is None else rng

    def __repr__(self) -> str:
        return f"<{type(self).__name__} host={_log.redact(self.configuration.host)!r} user_agent={self.user_agent!r}>"

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

    # --- the retry loop's decisions ----------------------------------------------------------------

    def _resolve_timeout(self, timeout: TimeoutArg) -> TimeoutValue:
        if isinstance(timeout, _UseDefault):
            return self.configuration.timeout
        return validate_timeout(timeout, "_request_timeout")

    def _resolve_deadline(self, deadline: DeadlineArg) -> Optional[Deadline]:
        """The call's deadline, started now (``None``: none)."""
        if isinstance(deadline, _UseDefault):
            seconds = self.configuration.deadline
        else:
            seconds = validate_deadline(deadline, "_deadline")
        return None if seconds is None else Deadline(seconds)

    def _resolve_retries(self, retries: RetriesArg) -> RetryPolicy:
        if isinstance(retries, _UseDefault):
            return self.configuration.retry_policy
        try:
            return RetryPolicy.from_value(retries)
        except TypeError as exc:
            raise ApiTypeError(f"_retries: {exc}") from None
        except ValueError as exc:
            raise ApiValueError(f"_retries: {exc}") from None

    def _log_request(self, request: PreparedRequest) -> None:
        if _log.logger.isEnabledFor(logging.DEBUG):
            size = 0 if request.body is None else len(request.body)
            headers = _masked_headers(request.operation, request.headers)
            _log.logger.debug("request %s %s headers=%s body=%d bytes", request.method, request.url, headers, size)

    def _retry_after_error(
        self, request: PreparedRequest, policy: RetryPolicy, exc: ApiConnectionError, deadline: Optional[Deadline]
    ) -> Optional[Tuple[RetryPolicy, float]]:
        """The policy and wait for the next attempt after ``exc``; ``None``: raise ``exc`` (a retry that
        could not start before the deadline: the failure is final)."""
        if not _retryable_error(exc):
            return None
        policy = policy.increment(request.method, _log.url_without_query(request.url), error=exc)
        if policy.is_exhausted():
            return None
        wait = policy.backoff_for(policy.retries_done, self._rng)
        if deadline is not None and wait >= deadline.remaining():
            return None
        self._log_retry(request, policy, f"{type(exc).__name__} ({exc.phase})", wait)
        return policy, wait

    def _retry_after_status(
        self,
        request: PreparedRequest,
        policy: RetryPolicy,
        response: ResponseHead,
        now: float,
        deadline: Optional[Deadline],
    ) -> Optional[Tuple[RetryPolicy, float]]:
        """The policy and wait for the next attempt after this answer; ``None``: the answer is final."""
        _log.logger.debug(
            "response %s %s -> %s %s",
            request.method, _log.url_without_query(request.url), response.status, response.reason,
        )  # fmt: skip
        if not policy.is_retryable_status(response.status):
            return None
        following = policy.increment(request.method, _log.url_without_query(request.url), status=response.status)
        if following.is_exhausted():
            return None
        wait = following.wait_for(response.getheader("Retry-After"), self._rng, now)
        if deadline is not None and wait >= deadline.remaining():
            return None
        self._log_retry(request, following, f"status {response.status}", wait)
        return following, wait

    def _log_retry(self, request: PreparedRequest, policy: RetryPolicy, reason: str, wait: float) -> None:
        _log.logger.info(
            "retrying %s %s after %s (retry %d, %d left), waiting %.3f s",
            request.method, _log.url_without_query(request.url), reason, policy.retries_done, policy.total, wait,
        )  # fmt: skip

    # --- reading answers -------------------------------------------------------------------------

    def _is_stream_answer(self, request: PreparedRequest, response: ResponseHead) -> bool:
        """A 2xx event stream answering a request that asked for one: read as a stream."""
        spec = request.operation.stream
        return (
            200 <= response.status < 300
            and request.stream
            and spec is not None
            and _media_type(response.getheader("Content-Type")) == _media_type(spec.media_type)
        )

    def _is_unasked_stream(self, request: PreparedRequest, response: ResponseHead) -> bool:
        """A 2xx event stream answering a request that did not ask for one: refused by its Content-Type,
        never read to its end (it may never end)."""
        return (
            200 <= response.status < 300
            and not request.stream
            and _media_type(response.getheader("Content-Type")) == EVENT_STREAM_CONTENT_TYPE
        )

    @staticmethod
    def _unasked_stream_error(request: PreparedRequest, response: ResponseHead, raw: bytes) -> ApiDecodeError:
        """The error of an unasked event stream; ``raw`` is what arrived of it at once."""
        operation = request.operation
        hint = ""
        if operation.stream is not None:
            hint = (
                f" (set `{operation.stream.flag}` in the body or call `{operation.operation_id}_stream`)"
                if operation.stream.flag
                else f" (call `{operation.operation_id}_stream`)"
            )
        return ApiDecodeError(
            response.status,
            f"the server answered {EVENT_STREAM_CONTENT_TYPE} to a request that did not ask for a stream{hint}",
            body=raw,
            headers=response.headers,
        )

    @staticmethod
    def _undecodable_body(response: ResponseHead, exc: ApiDecodeError) -> ApiException:
        """The exception of a non-2xx answer whose body its Content-Encoding cannot decode: the status still
        counts (a 2xx raises ``exc`` itself)."""
        return ApiException.from_response(
            status=response.status, reason=response.reason, body=exc.reason, headers=response.headers
        )

    def _whole_answer(self, request: PreparedRequest, response: ResponseHead, raw: bytes) -> ApiResponse[Any]:
        """The decoded answer of a whole (not streamed) body, or the exception for its status."""
        operation = request.operation
        if not 200 <= response.status < 300:
            raise self._status_error(response, raw, operation)
        data = self._decode(response, raw, operation)
        return ApiResponse(status_code=response.status, headers=response.headers, data=data, raw_data=raw)

    @staticmethod
    def _not_a_stream(result: ApiResponse[Any]) -> ApiDecodeError:
        """The error of an ``<op>_stream`` call answered with a whole body instead of a stream."""
        content_type = result.headers.get("Content-Type", "no Content-Type")
        return ApiDecodeError(
            result.status_code,
            f"asked for a stream, the server answered {content_type} instead of text/event-stream",
            body=result.raw_data,
            headers=result.headers,
        )

    def _decode(self, response: ResponseHead, raw: bytes, operation: Operation) -> Any:
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

    def _status_error(self, response: ResponseHead, raw: bytes, operation: Operation) -> ApiException:
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
