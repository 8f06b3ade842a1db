"""Every default of the runtime, in one place.

Other modules import these names instead of repeating numbers or strings, so a
default changes here and nowhere else.
"""

from typing import FrozenSet, Tuple

SDK_VERSION = "0.1.0"
"""Version of the package, sent in the ``User-Agent`` header."""

USER_AGENT_PREFIX = "tachyon-sdk-python"
"""``User-Agent`` is ``<prefix>/<SDK_VERSION>``."""

LOGGER_NAME = "tachyon_sdk"
"""The one logger of the SDK; every record goes through its redacting filter."""

DEFAULT_LOGGER_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

DEFAULT_HOST = "http://localhost"
"""Host used when the spec's server list is not available."""

# --- timeouts (seconds) -------------------------------------------------------------------------
DEFAULT_CONNECT_TIMEOUT = 5.0
"""Time allowed to open a TCP (and TLS) connection."""

DEFAULT_READ_TIMEOUT = 600.0
"""Time allowed between two reads of the socket: a long completion may think for minutes."""

DEFAULT_TIMEOUT: Tuple[float, float] = (DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT)
"""``Configuration.timeout`` default: ``(connect, read)``. A single number means that many seconds for each."""

DEFAULT_DEADLINE = None
"""Overall time budget of one call or stream in seconds (``Configuration.deadline``, ``_deadline=``):
none by default. When set, connect, pool and read waits are cut to what is left of it, retries stop
when their wait would pass it, and passing it raises ``ApiTimeoutError(phase="deadline")``."""

MAX_SECONDS = 30 * 24 * 3600.0
"""Largest number of seconds a timeout, deadline or retry wait may be set to (30 days); ``None``
means no limit where one is allowed. Larger values (``inf``, ``1e300``) overflow the socket and sleep
calls, so they are refused when set."""

DEFAULT_POOL_TIMEOUT = 60.0
"""Time a call waits for a free pooled connection when all ``connection_pool_maxsize`` are in use.

Long enough for other threads' non-streamed completions to finish and free their connections; short
enough that connections held by streams nobody closes surface as ``ApiTimeoutError(phase="pool")``
instead of a hang."""

# --- retries ------------------------------------------------------------------------------------
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt (so at most three requests)."""

DEFAULT_BACKOFF_FACTOR = 0.5
"""Wait before retry ``n`` (1-based) is ``factor * 2 ** (n - 1)`` seconds, before jitter and cap."""

DEFAULT_BACKOFF_MAX = 8.0
"""Upper bound of one computed backoff wait."""

DEFAULT_BACKOFF_JITTER = 0.25
"""Fraction of the backoff removed at random: the wait lies in ``[(1 - jitter) * b, b]``."""

DEFAULT_RETRY_AFTER_MAX = 60.0
"""Upper bound of a wait taken from a ``Retry-After`` header."""

RETRYABLE_STATUSES: FrozenSet[int] = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses retried by default: request timeout, rate limit and transient server failures."""

# --- connections and bodies -----------------------------------------------------------------------
DEFAULT_CONNECTION_POOL_MAXSIZE = 16
"""Connections kept (and at most opened at once) per host; callers beyond it wait for a free one."""

DEFAULT_NUM_POOLS = 10
"""Number of per-host pools kept by the pool manager."""

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Largest non-streamed response body read (64 MiB); larger bodies raise ``ResponseTooLargeError``."""

POOL_EXHAUSTED = (
    "no free connection in the pool within pool_timeout (every connection is in use: "
    "close finished streams and raw responses, or raise connection_pool_maxsize or pool_timeout)"
)
"""The text of ``ApiTimeoutError(phase="pool")`` (sync and asyncio clients)."""

READ_BLOCK_SIZE = 64 * 1024
"""Bytes read from the socket at a time while a body of unknown length (chunked, or encoded) is loaded."""

# --- caches of the hot path (each bounded: emptied when full) ------------------------------------
MAX_CACHED_POOLS = 4 * DEFAULT_NUM_POOLS
"""Per-host pools a ``RESTClientObject`` remembers by ``(scheme, authority)`` (closed ones are dropped first)."""

MAX_CACHED_TIMEOUTS = 64
"""Distinct timeout values whose ``urllib3.Timeout`` is kept for reuse."""

MAX_CHECKED_HEADERS = 1024
"""Header ``(name, value)`` pairs remembered as already checked (no CR, LF, NUL; a valid name; Latin-1)."""

MAX_CHECKED_HOSTS = 64
"""Base URLs remembered as already checked (an http:// or https:// URL without whitespace or NUL)."""

DEFAULT_MAX_STREAM_EVENT_BYTES = 16 * 1024 * 1024
"""Largest server-sent event (or unterminated line) a stream buffers, in decoded characters (16 MiB;
``max_response_bytes`` lowers it further). A larger one raises ``ResponseTooLargeError`` instead of
growing without bound."""

MAX_HEADER_LINE = 65536
"""Longest line of an interim (1xx) answer's headers, as ``http.client`` allows for final ones."""

MAX_HEADER_LINES = 100
"""Most header lines of an interim (1xx) answer, as ``http.client`` allows for final ones."""

MAX_INTERIM_RESPONSES = 16
"""Interim answers (``103 Early Hints``...) skipped before the final one; more is a malformed answer."""

STREAM_DRAIN_TOTAL = 0.5
"""Seconds, in all, a stream spends reading the rest of its body after its end (``[DONE]``) before
closing the connection instead: each read waits at most ``STREAM_DRAIN_TIMEOUT``, and a server
trickling bytes cannot keep the loop going longer than this."""

STREAM_DRAIN_TIMEOUT = 0.1
"""Seconds a stream waits for the end of its body after ``[DONE]`` before closing the connection instead."""

STREAM_DRAIN_MAX_BYTES = 64 * 1024
"""Bytes of a stream's body read after ``[DONE]`` before giving up and closing the connection."""

# --- messages -----------------------------------------------------------------------------------
MAX_BODY_IN_MESSAGE = 1024
"""Characters of a response body shown in an exception message (the full body stays in ``.body``)."""

MAX_SERVER_TEXT_IN_FIRST_LINE = 200
"""Characters of the server's message on the first line of ``str(ApiException)`` (the rest of it is in the
body shown below, and all of it in ``.server_message`` and ``.body``)."""

MAX_VALIDATION_ERRORS_SHOWN = 5
"""Validation errors listed in one ``ApiValueError``/``ApiDecodeError`` message (then "and N more")."""

REDACTED = "***"
"""What a secret is replaced with in logs, ``repr`` and messages."""

SENSITIVE_HEADERS: FrozenSet[str] = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
"""Header names (lower case) whose values are never logged or shown."""

SECRET_HEADER_WORDS: Tuple[str, ...] = ("auth", "token", "key", "secret", "session", "cookie", "password", "credential")
"""A default or per-call header whose name (lower case) holds one of these words (``X-Session-Token``,
``X-Api-Secret``...) carries a credential: its value is registered as a secret, masked wherever it appears."""

MIN_SECRET_LENGTH = 8
"""Registered secrets shorter than this are not masked in free text (they would mask ordinary words and
placeholders such as ``xxxxx``); sensitive headers are masked by name whatever their length."""

MAX_SECRETS_KEPT = 1024
"""Registered secrets remembered by the log filter (the oldest are forgotten first)."""

MAX_AUTH_SCHEME_LENGTH = 16
"""A masked credential keeps its first word (``Bearer ***``) only when it is a word this short."""

# --- media types --------------------------------------------------------------------------------
JSON_CONTENT_TYPE = "application/json"
JSON_CONTENT_TYPES: FrozenSet[str] = frozenset({"application/json", "text/json", "application/problem+json"})
"""Media types decoded as JSON; any ``application/*+json`` type is JSON too."""

EVENT_STREAM_CONTENT_TYPE = "text/event-stream"

# A model repr longer than this many characters is split over several lines (pprint, notebooks).
REPR_WIDTH = 88
