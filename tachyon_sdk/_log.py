"""The SDK's logger and the filter that keeps secrets out of every record.

All runtime modules log through :data:`logger` (``tachyon_sdk``). Its
:class:`RedactingFilter` rewrites each record before any handler sees it:

- values of sensitive headers (``Authorization``, ``Proxy-Authorization``,
  ``Cookie``, ``Set-Cookie``, ``X-Api-Key`` ...) written as ``name: value`` or
  ``'name': 'value'``;
- ``Bearer <token>`` / ``Basic <credentials>`` anywhere in the text;
- the password of ``scheme://user:password@host`` URLs;
- every secret registered with :func:`register_secret` (tokens, api keys and
  passwords the configuration holds, also in their percent-encoded form).

The same functions mask ``repr`` output and exception messages.
"""

import logging
import re
import threading
from typing import Dict, Iterable, List, Mapping, Optional, Tuple
from urllib.parse import quote, quote_plus

from ._constants import (
    LOGGER_NAME,
    MAX_AUTH_SCHEME_LENGTH,
    MAX_SECRETS_KEPT,
    MIN_SECRET_LENGTH,
    REDACTED,
    SECRET_HEADER_WORDS,
    SENSITIVE_HEADERS,
)

__all__ = [
    "RedactingFilter",
    "is_secret_header",
    "logger",
    "mask_header_value",
    "mask_headers",
    "redact",
    "register_secret",
    "url_without_query",
]

logger = logging.getLogger(LOGGER_NAME)

_secrets: Dict[str, None] = {}  # insertion-ordered set
_secrets_lock = threading.Lock()
_secrets_sorted: Tuple[str, ...] = ()

_HEADER_NAMES = "|".join(sorted((re.escape(name) for name in SENSITIVE_HEADERS), key=len, reverse=True))
_HEADER_VALUE_RE = re.compile(
    r"(?i)(?P<name>(?<![\w-])(?:" + _HEADER_NAMES + r"))(?P<sep>['\"]?\s*[:=]\s*['\"]?)(?P<value>[^'\"\r\n,}]+)"
)
# ``Bearer <token68>``; not an auth-param (``Bearer realm="tachyon"``, ``Basic charset=UTF-8``), which is a
# challenge, not a credential: a name followed by ``="`` or by ``=`` and a token character.
_TOKEN68 = r"[A-Za-z0-9\-._~+/]+"
_AUTH_PARAM = r"(?![a-z_]+\s*=\s*\"|" + _TOKEN68 + r"=[A-Za-z0-9\-._~+/!#$%&'*^`|])"
_SCHEME_TOKEN_RE = re.compile(
    r"(?i)(?<![\w/.-])(?P<scheme>bearer|basic)(?P<sep>\s+)" + _AUTH_PARAM + r"(?P<value>" + _TOKEN68 + r"=*)"
)
_UNRESERVED_RE = re.compile(r"[A-Za-z0-9_.~-]+")  # what quote(safe="") and quote_plus(safe="") leave unchanged
_URL_PASSWORD_RE = re.compile(r"(?i)(?P<prefix>\b[a-z][a-z0-9+.\-]*://[^/@\s:]*:)(?P<value>[^/@\s]+)@")


def register_secret(value: Optional[str]) -> None:
    """Remember a secret so that it is masked wherever it appears in a log record or message.

    Values shorter than ``MIN_SECRET_LENGTH`` characters are ignored. The percent-encoded forms are registered
    too, since a secret sent in a query string appears encoded in URLs.
    """
    global _secrets_sorted
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    if type(value) is str and _UNRESERVED_RE.fullmatch(value):
        # Percent-encoding leaves it as it is: it is its only form, so one lookup (no lock) tells
        # whether it is known already (the usual case: the same token on every call).
        if value in _secrets:
            return
        forms = {value}
    else:
        try:
            forms = {value, quote(value, safe=""), quote_plus(value, safe="")}
        except UnicodeError:  # not valid Unicode (a lone surrogate): it can never be sent encoded
            forms = {value}
        if all(form in _secrets for form in forms):
            return
    with _secrets_lock:
        if all(form in _secrets for form in forms):
            return
        for form in forms:
            _secrets.pop(form, None)
            _secrets[form] = None
        while len(_secrets) > MAX_SECRETS_KEPT:
            del _secrets[next(iter(_secrets))]
        _secrets_sorted = tuple(sorted(_secrets, key=len, reverse=True))


def is_secret_header(name: str) -> bool:
    """``True`` for a header that carries a credential: a sensitive name, or one holding a secret word."""
    lower = name.lower()
    return lower in SENSITIVE_HEADERS or any(word in lower for word in SECRET_HEADER_WORDS)


def mask_header_value(value: str) -> str:
    """Mask a sensitive header value, keeping an authorization scheme word (``Bearer ***``)."""
    scheme, sep, rest = value.partition(" ")
    if sep and rest and scheme.isalpha() and len(scheme) <= MAX_AUTH_SCHEME_LENGTH:
        return f"{scheme} {REDACTED}"
    return REDACTED


def mask_headers(headers: Optional[Mapping[str, str]], extra: Iterable[str] = ()) -> Dict[str, str]:
    """Return a copy of ``headers`` with the values of sensitive headers (and of ``extra`` names) masked."""
    if not headers:
        return {}
    sensitive = SENSITIVE_HEADERS.union(name.lower() for name in extra)
    return {
        name: mask_header_value(value) if name.lower() in sensitive else redact(value)
        for name, value in headers.items()
    }


def url_without_query(url: str) -> str:
    """The URL without its query string (which may carry an api key), for messages and retry logs."""
    return url.split("?", 1)[0]


def redact(text: str) -> str:
    """Mask every secret this module knows how to find in ``text``."""
    for secret in _secrets_sorted:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _HEADER_VALUE_RE.sub(_mask_header_match, text)
    text = _SCHEME_TOKEN_RE.sub(lambda m: f"{m.group('scheme')}{m.group('sep')}{REDACTED}", text)
    return _URL_PASSWORD_RE.sub(lambda m: f"{m.group('prefix')}{REDACTED}@", text)


def _mask_header_match(match: "re.Match[str]") -> str:
    return f"{match.group('name')}{match.group('sep')}{mask_header_value(match.group('value'))}"


class RedactingFilter(logging.Filter):
    """Rewrite a record's message (arguments merged in) and its formatted traceback without secrets.

    Attached to the SDK logger, to the handlers the configuration adds and to urllib3's loggers
    (whose connection pool logger prints request URLs).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactingFilter()
_installed: List[logging.Filterer] = []
_install_lock = threading.Lock()


def install_filter(*targets: logging.Filterer) -> None:
    """Attach the redacting filter to loggers or handlers (once each)."""
    with _install_lock:
        for target in targets:
            if not any(existing is target for existing in _installed):
                target.addFilter(_FILTER)
                _installed.append(target)


def install_default_filters() -> None:
    """Attach the filter to the SDK logger and to every urllib3 logger (the pool logger prints URLs).

    A logger's filter sees only the records logged on it, not those its children propagate, so
    each ``urllib3.*`` logger gets its own.
    """
    names = ["urllib3", "urllib3.connection", "urllib3.connectionpool", "urllib3.poolmanager", "urllib3.response"]
    names += [name for name in list(logging.root.manager.loggerDict) if name.startswith("urllib3.")]
    install_filter(logger, *(logging.getLogger(name) for name in dict.fromkeys(names)))


install_filter(logger)
logger.addHandler(logging.NullHandler())
