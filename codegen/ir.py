"""The intermediate representation: frozen dataclasses between the spec and the templates.

Two layers:

- the *semantic* IR (:class:`TypeRef`, :class:`Model`, :class:`Operation`, :class:`Api`, ...) says what
  the spec means, in Python names, and is built by :mod:`codegen.parse` / :mod:`codegen.schemas`;
- the *file* IR (:class:`ModelFile`, :class:`ApiFile`, ...) holds every string a template prints: import
  lines, laid-out code lines, docstrings, Markdown cells. It is built by :mod:`codegen.render` from the
  semantic IR; templates only print it.
"""

from dataclasses import dataclass
from typing import Optional, Tuple

__all__ = [
    "AliasDef",
    "AliasFile",
    "Api",
    "ApiFile",
    "Auth",
    "Body",
    "ConfigurationFile",
    "DocsApiFile",
    "DocsMethod",
    "DocsModelFile",
    "DocsRow",
    "Document",
    "EnumDef",
    "EnumFile",
    "EnumMember",
    "Field",
    "InitFile",
    "Method",
    "Model",
    "ModelFile",
    "Operation",
    "Param",
    "PartEncoding",
    "ReadmeBlock",
    "ReadmeMethod",
    "Response",
    "Server",
    "ServerVariable",
    "ServersFile",
    "StreamInfo",
    "TypeRef",
]


# --------------------------------------------------------------------------------------------- semantic


@dataclass(frozen=True)
class TypeRef:
    """A Python type.

    ``kind`` is one of ``str int float bool bytes datetime date any null`` (scalars), ``file`` (a
    ``format: binary`` value the caller gives as bytes, a path or a file object), ``literal`` (``const``:
    ``name`` is the Python literal), ``model`` (a generated class: ``name``/``module``), ``list``
    (``args[0]`` items), ``dict`` (``args[0]`` values) or ``union`` (``args``). ``constraints`` are pydantic
    ``Field`` keywords with literal text values, applied with ``Annotated``; ``alias`` names the component
    schema the type was expanded from (docs). A union with a ``discriminator`` (wire name, Python name)
    picks its member by that property: ``mapping`` pairs each value with a member's class name.
    """

    kind: str
    name: str = ""
    module: str = ""
    args: Tuple["TypeRef", ...] = ()
    nullable: bool = False
    constraints: Tuple[Tuple[str, str], ...] = ()
    alias: str = ""
    is_enum: bool = False
    discriminator: Tuple[str, str] = ("", "")
    mapping: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Field:
    """A model property: ``name`` on the wire, ``python_name`` in Python."""

    name: str
    python_name: str
    type: TypeRef
    required: bool
    description: str = ""
    deprecated: bool = False
    default: str = ""  # the spec's default as JSON text ("" when none): documented, not applied
    read_only: bool = False  # sent by the server only: never required
    write_only: bool = False  # sent by the client only: never required


@dataclass(frozen=True)
class Model:
    """An object schema: one pydantic class."""

    name: str
    module: str
    pointer: str
    description: str
    fields: Tuple[Field, ...]
    example: str  # JSON text of an example instance (docs)
    deprecated: bool = False
    open: bool = False  # ``additionalProperties`` allowed: unknown fields are data, not typos


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str  # Python literal


@dataclass(frozen=True)
class EnumDef:
    """A string or integer enum: an open enum class (unknown values are kept)."""

    name: str
    module: str
    pointer: str
    description: str
    base: str  # "str" or "int"
    members: Tuple[EnumMember, ...]
    deprecated: bool = False


@dataclass(frozen=True)
class AliasDef:
    """A named schema that is not an object or enum (a union, array, scalar): a type alias."""

    name: str
    module: str
    pointer: str
    description: str
    type: TypeRef
    deprecated: bool = False


@dataclass(frozen=True)
class Param:
    name: str
    location: str
    python_name: str
    required: bool
    type: TypeRef
    description: str = ""
    deprecated: bool = False
    example: str = ""  # Python literal for the docs example
    style: str = ""  # "" when the location's default (simple for path/header, form for query/cookie)
    explode: Optional[bool] = None  # None when the style's default
    content_type: str = ""  # media type of a parameter described by ``content``
    default: str = ""  # the spec's default as JSON text: documented, the server applies it


@dataclass(frozen=True)
class PartEncoding:
    """``encoding`` of one property of a form or multipart body."""

    name: str  # wire name of the property
    content_type: str = ""
    style: str = ""
    explode: Optional[bool] = None


@dataclass(frozen=True)
class Body:
    python_name: str
    type: TypeRef
    required: bool
    content_types: Tuple[str, ...]
    description: str = ""
    example: str = "null"  # JSON text of an example body (docs)
    encoding: Tuple[PartEncoding, ...] = ()


@dataclass(frozen=True)
class Response:
    status: str  # "200", "4XX", "default"
    description: str
    type: Optional[TypeRef]  # None: no (JSON) content
    media_types: Tuple[str, ...]
    headers: Tuple[str, ...] = ()


@dataclass(frozen=True)
class StreamInfo:
    flag: str  # Python attribute of the body that asks for streaming; "" when the Accept header asks
    flag_wire: str
    chunk: TypeRef
    always: bool = False  # nothing but a stream to answer: every call streams (the flag, if any, is set)
    sentinel: Optional[str] = None  # data of the event that ends the stream; None: the body's end


@dataclass(frozen=True)
class Auth:
    name: str
    kind: str
    scheme: Optional[str]
    location: str
    key: str


@dataclass(frozen=True)
class Operation:
    operation_id: str  # as in the spec
    python_name: str
    method: str
    path: str
    pointer: str
    summary: str
    description: str
    deprecated: bool
    params: Tuple[Param, ...]  # in argument order: required (path, query, header, cookie), then optional
    body: Optional[Body]
    responses: Tuple[Response, ...]
    accepts: Tuple[str, ...]
    success: Tuple[TypeRef, ...]  # types of the 2xx responses with content (empty: returns None)
    stream: Optional[StreamInfo] = None
    auth: Tuple[Auth, ...] = ()
    servers: Tuple["Server", ...] = ()


@dataclass(frozen=True)
class Api:
    tag: str
    class_name: str
    module: str
    description: str
    operations: Tuple[Operation, ...]


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: Tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""
    variables: Tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class Document:
    """Everything the spec means, sorted by name."""

    title: str
    version: str
    description: str
    apis: Tuple[Api, ...]
    models: Tuple[Model, ...]
    enums: Tuple[EnumDef, ...]
    aliases: Tuple[AliasDef, ...]
    servers: Tuple[Server, ...]


# ------------------------------------------------------------------------------------------------- files


@dataclass(frozen=True)
class ModelFile:
    banner: str
    module_doc: str
    imports: Tuple[str, ...]
    class_line: str
    docstring: Tuple[str, ...]
    fields: Tuple[str, ...]  # each a laid-out declaration (may span lines)
    late_imports: Tuple[str, ...] = ()  # imports of models in an import cycle, after the class
    init: Tuple[str, ...] = ()  # the constructor's signature for type checkers (``if TYPE_CHECKING:`` block)


@dataclass(frozen=True)
class EnumFile:
    banner: str
    module_doc: str
    imports: Tuple[str, ...]
    class_line: str
    docstring: Tuple[str, ...]
    members: Tuple[str, ...]


@dataclass(frozen=True)
class AliasFile:
    banner: str
    module_doc: str
    imports: Tuple[str, ...]
    assignment: str
    docstring: Tuple[str, ...]


@dataclass(frozen=True)
class Method:
    """One operation's methods in an API class; every ``*_lines`` value is already laid out."""

    name: str
    builder: str  # "_<name>_request"
    builder_params: Tuple[str, ...]
    builder_body: Tuple[str, ...]
    params: Tuple[str, ...]  # public signature lines (required arguments, "*", keyword arguments)
    docstring: Tuple[str, ...]
    returns: str  # "    ) -> X:" lines
    returns_http_info: str
    call: str  # "request = self._x_request(...)" lines
    result: str  # "return cast(...)" lines
    result_http_info: str
    stream_call: str = ""  # empty when the operation does not stream
    stream_returns: str = ""
    stream_result: str = ""
    stream_chunk: str = ""
    stream_returns_http_info: str = ""
    stream_result_http_info: str = ""
    options_public: Tuple[str, ...] = ()  # keyword options of this operation only (``_extra_body``)
    options_builder: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiFile:
    banner: str
    module_doc: str
    imports: Tuple[str, ...]
    constants: Tuple[str, ...]  # laid-out ``_OP = Operation(...)`` blocks
    class_name: str
    class_doc: Tuple[str, ...]
    client_annotation: str
    methods: Tuple[Method, ...]
    options_public: Tuple[str, ...]  # the ``_request_timeout``... keyword lines of the public methods
    options_builder: Tuple[str, ...]  # the same options as the request builder takes them
    prepared: str  # local names of runtime classes
    rest_response: str
    client: str
    aio: bool = False  # the asyncio twin: async methods, operations imported from the sync module


@dataclass(frozen=True)
class InitFile:
    """A lazily exporting ``__init__.py``."""

    banner: str
    docstring: Tuple[str, ...]
    imports: Tuple[str, ...]
    type_checking: str  # local name of typing.TYPE_CHECKING
    checking_imports: Tuple[str, ...]  # indented "from x import Y as Y" lines
    preamble: Tuple[str, ...]  # e.g. __version__
    exports: Tuple[str, ...]  # laid-out "_EXPORTS = {...}" lines
    all_names: Tuple[str, ...]  # laid-out "__all__ = [...]" lines
    any_name: str
    list_name: str
    submodules: str = ""  # laid-out "_SUBMODULES = (...)" line: subpackages imported on first access


@dataclass(frozen=True)
class ConfigurationFile:
    """``configuration.py`` of a package generated on another package's runtime."""

    banner: str
    module_doc: str
    imports: Tuple[str, ...]
    class_line: str
    docstring: Tuple[str, ...]
    assignment: str


@dataclass(frozen=True)
class ServersFile:
    banner: str
    imports: Tuple[str, ...]
    servers: Tuple[str, ...]  # laid-out assignment lines


@dataclass(frozen=True)
class DocsRow:
    cells: Tuple[str, ...]


@dataclass(frozen=True)
class DocsMethod:
    name: str
    signature: str
    summary: str
    description: str
    example: Tuple[str, ...]  # lines of the Python example
    params: Tuple[DocsRow, ...]
    return_type: str
    authorization: str
    content_type: str
    accept: str
    responses: Tuple[DocsRow, ...]


@dataclass(frozen=True)
class DocsApiFile:
    banner: str
    package: str
    class_name: str
    host: str
    description: str
    rows: Tuple[DocsRow, ...]
    methods: Tuple[DocsMethod, ...]
    readme: str  # relative link to README.md


@dataclass(frozen=True)
class DocsModelFile:
    banner: str
    name: str
    description: str
    kind: str  # "model", "enum" or "alias"
    rows: Tuple[DocsRow, ...]  # properties (model) or values (enum)
    type_text: str  # alias target (alias)
    example: Tuple[str, ...]
    readme: str


@dataclass(frozen=True)
class ReadmeMethod:
    cells: Tuple[str, ...]


@dataclass(frozen=True)
class ReadmeBlock:
    host: str
    methods: Tuple[ReadmeMethod, ...]
    models: Tuple[str, ...]  # "[Name](docs/Name.md)"
