"""The description of an operation that generated code hands to the runtime.

Generated API modules build one :class:`Operation` per operation at import time
and pass it to :meth:`tachyon_sdk.api_client.ApiClient.param_serialize`; the
runtime knows nothing else about any operation. ``_servers.py`` (generated)
lists the spec's servers as :class:`ServerSpec` values.

They are immutable ``NamedTuple`` records, not frozen dataclasses: building a dataclass class costs
about 1.5 ms at import, a named tuple a fifth of that, and these classes are imported by every
first call (``bench/RESULTS.md``, the ready-to-call import).
"""

from typing import Any, Iterator, Mapping, NamedTuple, Optional, Tuple, Union

from .exceptions import ApiValueError

__all__ = ["AuthSpec", "Body", "Encoding", "Operation", "Param", "ServerSpec", "ServerVariable", "StreamSpec"]


class _NoEntries(Mapping[str, Any]):
    """The empty read-only mapping shared as a default (``MappingProxyType`` cannot be pickled or copied)."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_ENTRIES"  # the module-level instance, by name


_NO_ENTRIES: Mapping[str, Any] = _NoEntries()


class Param(NamedTuple):
    """A path, query, header or cookie parameter.

    :param name: the wire name, e.g. ``x-operator-id``.
    :param location: ``"path"``, ``"query"``, ``"header"`` or ``"cookie"``.
    :param python_name: the argument name, used in error messages.
    :param type: a class (``str``, ``int``, ``float``, ``bool``, an enum) checked with
        ``isinstance`` (``bool`` is not an ``int``; an ``int`` is a ``float``), or a pydantic
        ``TypeAdapter`` whose ``validate_python`` checks the value.
    :param style: the OpenAPI serialization style; ``None`` is the location's default (``simple``
        for path and header, ``form`` for query and cookie). Path: ``simple``, ``label``,
        ``matrix``; query: ``form``, ``spaceDelimited``, ``pipeDelimited``, ``deepObject``.
    :param explode: ``None`` is the style's default (``True`` for ``form`` and ``deepObject``).
    :param content_type: for a parameter described by ``content`` instead of ``schema``: its media
        type (a JSON one sends the value as JSON text).
    """

    name: str
    location: str
    python_name: str
    required: bool
    type: Any = str
    style: Optional[str] = None
    explode: Optional[bool] = None
    content_type: Optional[str] = None


class Encoding(NamedTuple):
    """How one property of a ``multipart/form-data`` or ``application/x-www-form-urlencoded`` body is
    written: the part's Content-Type, and for arrays in a form the style (``form``,
    ``spaceDelimited``, ``pipeDelimited``) and explode (repeated keys, the default) of OpenAPI."""

    content_type: Optional[str] = None
    style: Optional[str] = None
    explode: Optional[bool] = None


class Body(NamedTuple):
    """The request body: a model class (or ``TypeAdapter``) and its media types, first is default.

    :param encoding: per property (wire name) of a form or multipart body, how it is written.
    """

    python_name: str
    type: Any
    required: bool
    content_types: Tuple[str, ...] = ("application/json",)
    encoding: Mapping[str, Encoding] = _NO_ENTRIES


class StreamSpec(NamedTuple):
    """How an operation streams: the body field that asks for it and the model of one event's data.

    ``flag=None``: no body field asks for it; the ``Accept`` header does. The request streams when
    the caller asks (``<op>_stream``), or always when the operation answers nothing but a stream.
    ``sentinel``: the data of the event that ends the stream (the spec's ``x-speakeasy-sse-sentinel``,
    ``"[DONE]"`` for Tachyon); ``None`` when the end of the HTTP body is the end of the stream.
    """

    flag: Optional[str]
    chunk: Any
    media_type: str = "text/event-stream"
    sentinel: Optional[str] = None


class AuthSpec(NamedTuple):
    """A security scheme the operation accepts, filled from the configuration.

    :param kind: ``"http"``, ``"apiKey"``, ``"oauth2"`` or ``"openIdConnect"`` (the last two send
        ``Configuration.access_token`` as a bearer token).
    :param scheme: ``"bearer"`` or ``"basic"`` for ``http``, ``"bearer"`` for oauth2/openIdConnect.
    :param location: ``"header"``, ``"query"`` or ``"cookie"``.
    :param key: the header, query or cookie name (``Authorization`` for ``http``).
    """

    name: str
    kind: str
    scheme: Optional[str]
    location: str
    key: str


class Operation(NamedTuple):
    """One operation of the spec.

    :param operation_id: the Python method name.
    :param params: in the order of the generated method's arguments.
    :param responses: status code (``"200"``), range (``"4XX"``) or ``"default"`` -> model class,
        ``TypeAdapter`` or ``None`` (no content).
    :param accepts: media types of the success responses.
    :param servers: the operation's own servers (URLs or :class:`ServerSpec` with variables).
    :param deprecated: calling the operation emits a ``DeprecationWarning``.
    """

    operation_id: str
    method: str
    path: str
    params: Tuple[Param, ...]
    body: Optional[Body]
    responses: Mapping[str, Any]
    accepts: Tuple[str, ...] = ("application/json",)
    stream: Optional[StreamSpec] = None
    auth: Tuple[AuthSpec, ...] = ()
    servers: Tuple[Union[str, "ServerSpec"], ...] = ()
    deprecated: bool = False


class ServerVariable(NamedTuple):
    """A ``{variable}`` of a server URL: its default and, when the spec restricts it, allowed values."""

    default: str
    enum: Tuple[str, ...] = ()
    description: str = ""


class ServerSpec(NamedTuple):
    """A server of the spec: URL template, description and variables."""

    url: str
    description: str = ""
    variables: Mapping[str, ServerVariable] = _NO_ENTRIES

    def format(self, values: Optional[Mapping[str, str]] = None) -> str:
        """The URL with each ``{variable}`` replaced by ``values[name]`` or its default.

        :raises ApiValueError: a value outside the variable's ``enum``.
        """
        url = self.url
        given = values or {}
        for name, variable in self.variables.items():
            value = given.get(name, variable.default)
            if variable.enum and value not in variable.enum:
                raise ApiValueError(f"Server variable {name!r} must be one of {list(variable.enum)}, got {value!r}")
            url = url.replace("{" + name + "}", value)
        return url
