"""The description of an operation that generated code hands to the runtime.

Generated API modules build one :class:`Operation` per operation at import time
and pass it to :meth:`tachyon_sdk.api_client.ApiClient.param_serialize`; the
runtime knows nothing else about any operation. ``_servers.py`` (generated)
lists the spec's servers as :class:`ServerSpec` values.
"""

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple

from .exceptions import ApiValueError

__all__ = ["AuthSpec", "Body", "Operation", "Param", "ServerSpec", "ServerVariable", "StreamSpec"]


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter.

    :param name: the wire name, e.g. ``x-operator-id``.
    :param location: ``"path"``, ``"query"``, ``"header"`` or ``"cookie"``.
    :param python_name: the argument name, used in error messages.
    :param type: a class (``str``, ``int``, ``float``, ``bool``, an enum) checked with
        ``isinstance`` (``bool`` is not an ``int``; an ``int`` is a ``float``), or a pydantic
        ``TypeAdapter`` whose ``validate_python`` checks the value.
    """

    name: str
    location: str
    python_name: str
    required: bool
    type: Any = str
    style: Optional[str] = None
    explode: Optional[bool] = None


@dataclass(frozen=True)
class Body:
    """The request body: a model class (or ``TypeAdapter``) and its media types, first is default."""

    python_name: str
    type: Any
    required: bool
    content_types: Tuple[str, ...] = ("application/json",)


@dataclass(frozen=True)
class StreamSpec:
    """How an operation streams: the body field that asks for it and the model of one event's data."""

    flag: str
    chunk: Any
    media_type: str = "text/event-stream"


@dataclass(frozen=True)
class AuthSpec:
    """A security scheme the operation accepts, filled from the configuration.

    :param kind: ``"http"`` or ``"apiKey"``.
    :param scheme: ``"bearer"`` or ``"basic"`` for ``http``.
    :param location: ``"header"``, ``"query"`` or ``"cookie"``.
    :param key: the header, query or cookie name (``Authorization`` for ``http``).
    """

    name: str
    kind: str
    scheme: Optional[str]
    location: str
    key: str


@dataclass(frozen=True)
class Operation:
    """One operation of the spec.

    :param operation_id: the Python method name.
    :param params: in the order of the generated method's arguments.
    :param responses: status code (``"200"``), range (``"4XX"``) or ``"default"`` -> model class,
        ``TypeAdapter`` or ``None`` (no content).
    :param accepts: media types of the success responses.
    :param servers: per-operation server URLs.
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
    servers: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerVariable:
    """A ``{variable}`` of a server URL: its default and, when the spec restricts it, allowed values."""

    default: str
    enum: Tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ServerSpec:
    """A server of the spec: URL template, description and variables."""

    url: str
    description: str = ""
    variables: Mapping[str, ServerVariable] = field(default_factory=dict)

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
