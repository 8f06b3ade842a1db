"""The semantic IR -> the file IR: every string the templates print, computed here.

Names, imports, type annotations, laid-out code lines, docstrings and Markdown cells are all made in this
module, per generated file; the templates (``codegen/templates``) only arrange and print them.
"""

import json
import posixpath
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from codegen import naming
from codegen.imports import Scope, format_imports, natural_key
from codegen.ir import (
    AliasDef,
    AliasFile,
    Api,
    ApiFile,
    ConfigurationFile,
    DocsApiFile,
    DocsMethod,
    DocsModelFile,
    DocsRow,
    Document,
    EnumDef,
    EnumFile,
    InitFile,
    Method,
    Model,
    ModelFile,
    Operation,
    Param,
    ReadmeBlock,
    ReadmeMethod,
    Server,
    ServersFile,
    TypeRef,
)
from codegen.parse import success_type
from codegen.pyfmt import (
    Atom,
    Group,
    Keyword,
    Node,
    annotated_assignment,
    assignment,
    call,
    docstring,
    lay_out,
    py_literal,
    py_str,
    subscript,
    tuple_of,
)
from codegen.schemas import models_in, type_text

__all__ = ["Layout", "Options", "build_files"]

_INDENT1 = "    "
_INDENT2 = "        "
_OPTIONS_DOC = (
    ":param _request_timeout: timeout of this call: seconds, a ``(connect, read)`` tuple, or ``None`` for none;\n"
    "    by default the configuration's timeout.\n"
    ":param _request_auth: authentication for this call instead of the configured one\n"
    '    (``{"in": "header", "key": "Authorization", "value": "...", "type": "bearer"}``).\n'
    ":param _content_type: Content-Type of the request body instead of the spec's first one.\n"
    ":param _headers: extra request headers for this call.\n"
    ":param _host_index: index of the server (in the spec's ``servers``) to call instead of the configured host.\n"
    ":param _retries: retries of this call: a ``RetryPolicy``, a number, or ``None`` for none; by default the\n"
    "    client's policy.\n"
    ":param _deadline: overall time budget of this call in seconds (of a stream: until its end), or ``None``\n"
    "    for none; by default the configuration's ``deadline``. Passing it raises ``ApiTimeoutError`` with\n"
    '    ``phase="deadline"``.'
)
_EXTRA_BODY_DOC = (
    ":param _extra_body: fields to send in the body that the SDK does not know (a newer server's), merged into\n"
    "    the JSON object as given, over the body's own; the body itself refuses unknown fields."
)
_RAISES_DOC = (
    ":raises ApiValueError: an argument is invalid (nothing is sent).\n"
    ":raises ApiException: the server answered with an error status (``BadRequestException`` for 400,\n"
    "    ``NotFoundException`` for 404, ...); ``data`` holds the parsed error model.\n"
    ":raises ApiConnectionError: no HTTP answer (``ApiTimeoutError`` when it timed out)."
)


@dataclass(frozen=True)
class Options:
    """Names and paths the generated files depend on."""

    package: str  # import name of the generated package
    runtime: str  # import name of the hand-written runtime package
    spec_name: str  # file name of the spec, for banners
    docs_dir: str  # docs directory, relative to the output root (posix)
    readme: str  # README path, relative to the output root (posix)

    @property
    def banner(self) -> str:
        return f"# Generated from {self.spec_name} by codegen — do not edit; run python -m codegen"

    @property
    def md_banner(self) -> str:
        return f"<!-- Generated from {self.spec_name} by codegen — do not edit; run python -m codegen -->"


@dataclass(frozen=True)
class Layout:
    """Every generated file's IR, by template name and output path (posix, relative to the root)."""

    files: Tuple[Tuple[str, str, object], ...]  # (template, path, file IR)
    readme: ReadmeBlock


# ----------------------------------------------------------------------------------------------- types


class _TypeWriter:
    """Annotations as layout nodes, in the names of one module's :class:`Scope`."""

    def __init__(self, options: Options, scope: Scope, forward: FrozenSet[str] = frozenset()) -> None:
        self.options = options
        self.scope = scope
        self.forward = forward
        self.late: Set[Tuple[str, str]] = set()
        self.own = ""

    def typing(self, name: str) -> str:
        return self.scope.use("typing", name)

    def model(self, ref: TypeRef) -> str:
        module = f"{self.options.package}.models.{ref.module}"
        if ref.name == self.own:
            return ref.name
        if ref.name in self.forward:
            self.late.add((module, ref.name))
            self.scope.taken.add(ref.name)
            return ref.name
        return self.scope.use_class(module, ref.name)

    def node(self, ref: TypeRef) -> Node:
        base: Node
        if ref.kind in ("str", "int", "float", "bool", "bytes"):
            base = Atom(ref.kind)
        elif ref.kind in ("datetime", "date"):
            base = Atom(self.scope.use("datetime", ref.kind))
        elif ref.kind == "file":
            base = Atom(self.scope.use(f"{self.options.runtime}._schema_types", "FileInput"))
        elif ref.kind == "literal":
            base = subscript(self.typing("Literal"), Atom(ref.name))
        elif ref.kind == "null":
            base = Atom("None")
        elif ref.kind == "model":
            name = self.model(ref)
            base = Atom(f'"{name}"' if ref.name in self.forward else name)
        elif ref.kind == "list":
            base = subscript(self.typing("List"), self.node(ref.args[0]))
        elif ref.kind == "dict":
            base = subscript(self.typing("Dict"), Atom("str"), self.node(ref.args[0]))
        elif ref.kind == "union" and ref.discriminator[0]:
            base = self.tagged_union(ref)
        elif ref.kind == "union":
            base = subscript(self.typing("Union"), *(self.node(arg) for arg in ref.args))
        else:
            base = Atom(self.typing("Any"))
        if ref.constraints:
            field = self.scope.use("pydantic", "Field")
            limits = call(field, *(Keyword(f"{key}=", Atom(value)) for key, value in ref.constraints))
            base = subscript(self.scope.use("typing_extensions", "Annotated"), base, limits)
        if ref.nullable:
            base = subscript(self.typing("Optional"), base)
        return base

    def tagged_union(self, ref: TypeRef) -> Node:
        """``Annotated[Union[Annotated[A, Tag("A")], ...], tagged_union(...)]``: a discriminated union."""
        annotated = self.scope.use("typing_extensions", "Annotated")
        tag = self.scope.use("pydantic", "Tag")
        members = [subscript(annotated, self.node(arg), call(tag, Atom(py_str(arg.name)))) for arg in ref.args]
        mapping = Group("", "{", tuple(Keyword(py_str(k) + ": ", Atom(py_str(v))) for k, v in ref.mapping), "}")
        wire, attribute = ref.discriminator
        picker = call(
            self.scope.use(f"{self.options.runtime}._schema_types", "tagged_union"),
            Atom(py_str(wire)),
            Atom(py_str(attribute)),
            mapping,
        )
        return subscript(annotated, subscript(self.typing("Union"), *members), picker)

    def init_node(self, ref: TypeRef, enum_bases: Mapping[str, str]) -> Node:
        """What a constructor accepts for a field, for type checkers: a dict wherever a model is, the raw
        value wherever an enum member is, any sequence for a list, any mapping for a dict (the runtime
        validates each into the field's type); no ``Annotated`` constraints."""
        t = self.typing
        base: Node
        if ref.kind == "model" and ref.is_enum:
            raw = "int" if enum_bases.get(ref.name) == "int" else "str"
            name = self.model(ref)
            base = subscript(t("Union"), Atom(f'"{name}"' if ref.name in self.forward else name), Atom(raw))
        elif ref.kind == "model":
            name = self.model(ref)
            mapping = subscript(t("Mapping"), Atom("str"), Atom(t("Any")))
            base = subscript(t("Union"), Atom(f'"{name}"' if ref.name in self.forward else name), mapping)
        elif ref.kind == "list":
            base = subscript(t("Sequence"), self.init_node(ref.args[0], enum_bases))
        elif ref.kind == "dict":
            base = subscript(t("Mapping"), Atom("str"), self.init_node(ref.args[0], enum_bases))
        elif ref.kind == "union":
            members: List[Node] = []
            for arg in ref.args:
                member = self.init_node(arg, enum_bases)
                if member not in members:
                    members.append(member)
            base = subscript(t("Union"), *members) if len(members) > 1 else members[0]
        else:
            return self.node(_unconstrained(ref))
        if ref.nullable:
            base = subscript(t("Optional"), base)
        return base

    def optional(self, ref: TypeRef) -> Node:
        """The annotation of a value that may be left out (``None``)."""
        if ref.nullable or ref.kind in ("any", "null"):
            return self.node(ref)
        return subscript(self.typing("Optional"), self.node(ref))

    def runtime(self, ref: Optional[TypeRef]) -> Node:
        """What the runtime gets for a type: a model class, or a ``TypeAdapter`` of anything else."""
        if ref is None:
            return Atom("None")
        if ref.kind == "model" and not ref.is_enum and not ref.nullable and not ref.constraints:
            return Atom(self.model(ref))
        if ref.kind in ("str", "bytes") and not ref.nullable and not ref.constraints:
            return Atom(ref.kind)  # decoded by media type: text or raw bytes
        return call(self.scope.use("pydantic", "TypeAdapter"), self.node(ref))

    def param_runtime(self, ref: TypeRef) -> Node:
        """``Param.type``: a class checked with isinstance, or a ``TypeAdapter``."""
        plain = not ref.nullable and not ref.constraints
        if plain and ref.kind in ("str", "int", "float", "bool"):
            return Atom(ref.kind)
        if plain and ref.kind == "model" and ref.is_enum:
            return Atom(self.model(ref))
        return self.runtime(ref)


def _unconstrained(ref: TypeRef) -> TypeRef:
    """The type without ``Annotated`` constraints or discriminators, for method signatures and casts
    (they stay readable and mypy accepts them in ``cast``; the runtime validates with the full types of
    the ``Operation``)."""
    return TypeRef(
        **{
            **ref.__dict__,
            "constraints": (),
            "discriminator": ("", ""),
            "mapping": (),
            "args": tuple(_unconstrained(arg) for arg in ref.args),
        }
    )


def _first_party(options: Options) -> List[str]:
    return [options.package, options.runtime]


def _lines(block: Iterable[str]) -> str:
    return "\n".join(block)


# ---------------------------------------------------------------------------------------------- models


def _model_graph(document: Document) -> Dict[str, List[str]]:
    graph: Dict[str, List[str]] = {}
    for model in document.models:
        targets: List[str] = []
        for field in model.fields:
            for ref in models_in(field.type):
                if not ref.is_enum and ref.name not in targets:
                    targets.append(ref.name)
        graph[model.name] = targets
    return graph


def _components(graph: Dict[str, List[str]]) -> Dict[str, FrozenSet[str]]:
    """Strongly connected components (Tarjan): model -> the models it is in a cycle with (itself included
    when it refers to itself)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    result: Dict[str, FrozenSet[str]] = {}
    counter = [0]

    def visit(node: str) -> None:
        work = [(node, 0)]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, position = work[-1]
            edges = graph.get(current, [])
            if position < len(edges):
                work[-1] = (current, position + 1)
                target = edges[position]
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = counter[0]
                    counter[0] += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, 0))
                elif target in on_stack:
                    low[current] = min(low[current], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                members: List[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == current:
                        break
                cyclic = len(members) > 1 or current in graph.get(current, [])
                group = frozenset(members) if cyclic else frozenset()
                for member in members:
                    result[member] = group

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def _deprecated(description: str, deprecated: bool) -> str:
    """The description, starting with "Deprecated." when the spec marks the item deprecated."""
    if deprecated and not description.lower().startswith("deprecated"):
        return f"Deprecated. {description}".strip()
    return description


def _init_lines(model: Model, writer: _TypeWriter, enum_bases: Mapping[str, str]) -> List[str]:
    """``if TYPE_CHECKING: def __init__(self, *, field: T = None, ...) -> None: ...``: the constructor as
    type checkers see it without a plugin (dicts for models, raw values for enums); at runtime the model
    validates its keyword arguments and refuses unknown ones (unless the schema allows more)."""
    scope = writer.scope
    names = {field.python_name for field in model.fields}
    me = "self" if "self" not in names else "_self"
    indent = _INDENT1 * 3
    lines = [f"{_INDENT1}if {scope.use('typing', 'TYPE_CHECKING')}:", "", f"{_INDENT2}def __init__(", f"{indent}{me},"]
    if model.fields:
        lines.append(f"{indent}*,")
    ordered = [f for f in model.fields if f.required] + [f for f in model.fields if not f.required]
    for field in ordered:
        node = writer.init_node(field.type, enum_bases)
        if field.required:
            lines.extend(lay_out(node, indent, f"{field.python_name}: ", ","))
            continue
        if not (field.type.nullable or field.type.kind in ("any", "null")):
            node = subscript(writer.typing("Optional"), node)
        lines.extend(lay_out(node, indent, f"{field.python_name}: ", " = None,"))
    if model.open:
        extra = "extra"
        while extra in names:
            extra += "_"
        lines.append(f"{indent}**{extra}: {writer.typing('Any')},")
    lines.append(f"{_INDENT2}) -> None: ...")
    return lines


def _model_file(model: Model, options: Options, cycle: FrozenSet[str], enum_bases: Mapping[str, str]) -> ModelFile:
    taken = {model.name}
    for field in model.fields:
        taken.update(ref.name for ref in models_in(field.type))
    scope = Scope(_first_party(options), taken=taken)
    writer = _TypeWriter(options, scope, cycle)
    writer.own = model.name
    base = scope.use(f"{options.runtime}._model", "OpenModel" if model.open else "BaseModel")
    fields: List[str] = []
    for field in model.fields:
        annotation = writer.node(field.type) if field.required else writer.optional(field.type)
        if not field.required and not (field.type.nullable or field.type.kind in ("any", "null")):
            not_null = scope.use(f"{options.runtime}._model", "NOT_NULL")
            annotation = subscript(scope.use("typing_extensions", "Annotated"), annotation, Atom(not_null))
        keywords: List[Node] = []
        if not field.required:
            keywords.append(Keyword("default=", Atom("None")))
        if field.python_name != field.name:
            keywords.append(Keyword("alias=", Atom(py_str(field.name))))
        description = _deprecated(field.description, field.deprecated)
        if description:
            keywords.append(Keyword("description=", Atom(py_str(description))))
        value: Optional[Node] = None
        if keywords == [Keyword("default=", Atom("None"))]:
            value = Atom("None")
        elif keywords:
            value = call(scope.use("pydantic", "Field"), *keywords)
        fields.append(_lines(annotated_assignment(_INDENT1, field.python_name, annotation, value)))
    init = _init_lines(model, writer, enum_bases)
    late = format_imports(
        [(module, name, name) for module, name in sorted(writer.late)], _first_party(options), suffix="  # noqa: E402"
    )
    paragraphs = [model.description or f"{model.name} model."]
    if model.deprecated:
        paragraphs.append("Deprecated.")
    return ModelFile(
        banner=options.banner,
        module_doc=_lines(docstring([f"{model.name} model."], "")),
        imports=tuple(scope.lines()),
        class_line=_lines(lay_out(call(model.name, Atom(base)), "", "class ", ":")),
        docstring=tuple(docstring(paragraphs, _INDENT1)),
        fields=tuple(fields),
        late_imports=tuple(late),
        init=tuple(init),
    )


def _enum_file(enum: EnumDef, options: Options) -> EnumFile:
    scope = Scope(_first_party(options), taken={enum.name})
    base = scope.use(f"{options.runtime}._model", "OpenStrEnum" if enum.base == "str" else "OpenIntEnum")
    paragraphs = [enum.description or f"{enum.name} enum."]
    if enum.deprecated:
        paragraphs.append("Deprecated.")
    paragraphs.append("A value the spec does not list yet is kept (open enum), not rejected.")
    return EnumFile(
        banner=options.banner,
        module_doc=_lines(docstring([f"{enum.name} enum."], "")),
        imports=tuple(scope.lines()),
        class_line=_lines(lay_out(call(enum.name, Atom(base)), "", "class ", ":")),
        docstring=tuple(docstring(paragraphs, _INDENT1)),
        members=tuple(f"{_INDENT1}{member.name} = {member.value}" for member in enum.members),
    )


def _alias_file(alias: AliasDef, options: Options) -> AliasFile:
    scope = Scope(_first_party(options), taken={alias.name})
    writer = _TypeWriter(options, scope)
    target = writer.node(alias.type)
    type_alias = scope.use("typing_extensions", "TypeAlias")
    paragraphs = [alias.description or f"{alias.name} type."]
    if alias.deprecated:
        paragraphs.append("Deprecated.")
    return AliasFile(
        banner=options.banner,
        module_doc=_lines(docstring([f"{alias.name} type alias."], "")),
        imports=tuple(scope.lines()),
        assignment=_lines(annotated_assignment("", alias.name, Atom(type_alias), target)),
        docstring=tuple(docstring(paragraphs, "")),
    )


# ------------------------------------------------------------------------------------------------ apis


def _operation_constant(operation: Operation, writer: _TypeWriter, options: Options) -> str:
    runtime = f"{options.runtime}._operation"
    scope = writer.scope
    params: List[Node] = []
    for param in operation.params:
        param_keywords: List[Node] = [
            Keyword("name=", Atom(py_str(param.name))),
            Keyword("location=", Atom(py_str(param.location))),
            Keyword("python_name=", Atom(py_str(param.python_name))),
            Keyword("required=", Atom(repr(param.required))),
            Keyword("type=", writer.param_runtime(param.type)),
        ]
        if param.style:
            param_keywords.append(Keyword("style=", Atom(py_str(param.style))))
        if param.explode is not None:
            param_keywords.append(Keyword("explode=", Atom(repr(param.explode))))
        if param.content_type:
            param_keywords.append(Keyword("content_type=", Atom(py_str(param.content_type))))
        params.append(call(scope.use(runtime, "Param"), *param_keywords))
    body: Node = Atom("None")
    if operation.body is not None:
        body_keywords: List[Node] = [
            Keyword("python_name=", Atom(py_str(operation.body.python_name))),
            Keyword("type=", writer.runtime(operation.body.type)),
            Keyword("required=", Atom(repr(operation.body.required))),
            Keyword("content_types=", tuple_of(*(Atom(py_str(m)) for m in operation.body.content_types))),
        ]
        if operation.body.encoding:
            entries: List[Node] = []
            for part in operation.body.encoding:
                part_keywords: List[Node] = []
                if part.content_type:
                    part_keywords.append(Keyword("content_type=", Atom(py_str(part.content_type))))
                if part.style:
                    part_keywords.append(Keyword("style=", Atom(py_str(part.style))))
                if part.explode is not None:
                    part_keywords.append(Keyword("explode=", Atom(repr(part.explode))))
                entries.append(Keyword(py_str(part.name) + ": ", call(scope.use(runtime, "Encoding"), *part_keywords)))
            body_keywords.append(Keyword("encoding=", Group("", "{", tuple(entries), "}")))
        body = call(scope.use(runtime, "Body"), *body_keywords)
    responses = Group(
        "",
        "{",
        tuple(Keyword(py_str(r.status) + ": ", writer.runtime(r.type)) for r in operation.responses),
        "}",
    )
    keywords: List[Node] = [
        Keyword("operation_id=", Atom(py_str(operation.python_name))),
        Keyword("method=", Atom(py_str(operation.method))),
        Keyword("path=", Atom(py_str(operation.path))),
        Keyword("params=", tuple_of(*params)),
        Keyword("body=", body),
        Keyword("responses=", responses),
        Keyword("accepts=", tuple_of(*(Atom(py_str(media)) for media in operation.accepts))),
    ]
    if operation.stream is not None:
        flag = py_str(operation.stream.flag) if operation.stream.flag else "None"
        keywords.append(
            Keyword(
                "stream=",
                call(
                    scope.use(runtime, "StreamSpec"),
                    Keyword("flag=", Atom(flag)),
                    Keyword("chunk=", writer.runtime(operation.stream.chunk)),
                    *(
                        [Keyword("sentinel=", Atom(py_str(operation.stream.sentinel)))]
                        if operation.stream.sentinel is not None
                        else []
                    ),
                ),
            )
        )
    auth = [
        call(
            scope.use(runtime, "AuthSpec"),
            Keyword("name=", Atom(py_str(item.name))),
            Keyword("kind=", Atom(py_str(item.kind))),
            Keyword("scheme=", Atom(py_str(item.scheme) if item.scheme else "None")),
            Keyword("location=", Atom(py_str(item.location))),
            Keyword("key=", Atom(py_str(item.key))),
        )
        for item in operation.auth
    ]
    keywords.append(Keyword("auth=", tuple_of(*auth)))
    if operation.servers:
        servers = [_server_node(server, scope, runtime) for server in operation.servers]
        keywords.append(Keyword("servers=", tuple_of(*servers)))
    if operation.deprecated:
        keywords.append(Keyword("deprecated=", Atom("True")))
    constant = _constant(operation)
    return _lines(lay_out(call(scope.use(runtime, "Operation"), *keywords, explode=True), "", f"{constant} = "))


def _plain_is_stream(operation: Operation) -> bool:
    """Whether the plain method is typed to return a ``Stream``: when the operation answers nothing else.

    When a body flag asks for the stream, the plain method is typed with the answer it gives without one
    (what callers use it for); ``<op>_stream`` is the typed way to stream. A type checker cannot see a
    flag inside a model instance or a dict variable, so overloads keyed on it would be right only for
    dict literals, and a ``Union`` would make every caller narrow an answer it knows the type of.
    """
    stream = operation.stream
    return stream is not None and (stream.always or (bool(stream.flag) and success_type(operation) is None))


def _constant(operation: Operation) -> str:
    return "_" + naming.constant_name(operation.python_name)


def _param_description(param: Param) -> str:
    return _deprecated(param.description, param.deprecated)


def _method(operation: Operation, writer: _TypeWriter, options: Options, aio: bool = False) -> Method:
    """One operation's methods; ``aio``: the asyncio class's (awaited calls, ``AsyncStream``)."""
    scope = writer.scope
    t = writer.typing
    required = [p for p in operation.params if p.required]
    optional = [p for p in operation.params if not p.required]
    body = operation.body

    def body_node() -> Node:
        assert body is not None
        node = writer.node(_unconstrained(body.type))
        if body.type.kind == "model" and not body.type.is_enum:
            node = subscript(t("Union"), node, subscript(t("Mapping"), Atom("str"), Atom(t("Any"))))
        return node

    def param_node(ref: TypeRef, required: bool) -> Node:
        plain = _unconstrained(ref)
        node = writer.node(plain) if required or plain.nullable else writer.optional(plain)
        if plain.kind == "model" and not plain.is_enum:  # a dict is accepted wherever a model is
            dict_node = subscript(t("Mapping"), Atom("str"), Atom(t("Any")))
            node = subscript(t("Union"), writer.node(plain), dict_node)
            node = node if required and not plain.nullable else subscript(t("Optional"), node)
        return node

    public: List[str] = []
    for param in required:
        public.extend(lay_out(param_node(param.type, True), _INDENT2, f"{param.python_name}: ", ","))
    if body is not None and body.required:
        public.extend(lay_out(body_node(), _INDENT2, f"{body.python_name}: ", ","))
    public.append(f"{_INDENT2}*,")
    for param in optional:
        node = param_node(param.type, False)
        public.extend(lay_out(node, _INDENT2, f"{param.python_name}: ", " = None,"))
    if body is not None and not body.required:
        node = subscript(t("Optional"), body_node())
        public.extend(lay_out(node, _INDENT2, f"{body.python_name}: ", " = None,"))

    builder: List[str] = []
    for param in operation.params:
        builder.extend(lay_out(param_node(param.type, param.required), _INDENT2, f"{param.python_name}: ", ","))
    if body is not None:
        node = body_node() if body.required else subscript(t("Optional"), body_node())
        builder.extend(lay_out(node, _INDENT2, f"{body.python_name}: ", ","))

    values = tuple_of(*(Atom(p.python_name) for p in operation.params))
    builder_body = lay_out(
        call(
            "self.api_client.param_serialize",
            Atom(_constant(operation)),
            values if operation.params else Atom("()"),
            Atom(body.python_name if body is not None else "None"),
            Keyword("request_auth=", Atom("_request_auth")),
            Keyword("content_type=", Atom("_content_type")),
            Keyword("headers=", Atom("_headers")),
            Keyword("host_index=", Atom("_host_index")),
            Keyword("stream=", Atom("_stream")),
            *([Keyword("extra_body=", Atom("_extra_body"))] if body is not None else []),
            explode=True,
        ),
        _INDENT2,
        "return ",
    )

    arguments: List[Node] = [Atom(p.python_name) for p in operation.params]
    if body is not None:
        arguments.append(Atom(body.python_name))
    arguments += [Atom(name) for name in ("_request_auth", "_content_type", "_headers", "_host_index")]
    extra_option: Tuple[str, ...] = ()
    if body is not None:
        arguments.append(Keyword("_extra_body=", Atom("_extra_body")))
        extra_type = f"{t('Optional')}[{t('Mapping')}[str, {t('Any')}]]"
        extra_option = (f"{_INDENT2}_extra_body: {extra_type} = None,",)
    builder_name = f"_{operation.python_name}_request"
    call_lines = assignment(_INDENT2, "request = ", call(f"self.{builder_name}", *arguments))

    success = success_type(operation)
    result_node: Node
    if success is None:
        result_node = Atom("None")
    else:
        result_node = writer.node(_unconstrained(success))
    stream = operation.stream
    chunk_node: Optional[Node] = None
    if stream is not None:
        stream_type = writer.node(_unconstrained(stream.chunk))
        if aio:
            chunk_node = subscript(scope.use(f"{options.runtime}.aio.streaming", "AsyncStream"), stream_type)
        else:
            chunk_node = subscript(scope.use(f"{options.runtime}.streaming", "Stream"), stream_type)
        if _plain_is_stream(operation):
            result_node = chunk_node
    api_response = scope.use(f"{options.runtime}.api_response", "ApiResponse")
    http_info_node = subscript(api_response, result_node)
    execute = "self.api_client.execute(request, _request_timeout, _retries, _deadline)"
    data = f"(await {execute}).data" if aio else f"{execute}.data"
    if aio:
        execute = f"await {execute}"
    if success is None and not _plain_is_stream(operation):
        result = [f"{_INDENT2}{execute}"]
    elif success is not None and success.kind == "any" and not _plain_is_stream(operation):
        result = [f"{_INDENT2}return {data}"]  # casting Any to Any is redundant (mypy)
    else:
        result = lay_out(call(t("cast"), result_node, Atom(data)), _INDENT2, "return ")
    if success is not None and success.kind == "any" and not _plain_is_stream(operation):
        result_http_info = [f"{_INDENT2}return {execute}"]
    else:
        result_http_info = lay_out(call(t("cast"), http_info_node, Atom(execute)), _INDENT2, "return ")

    stream_call = stream_returns = stream_result = stream_chunk = ""
    stream_returns_http_info = stream_result_http_info = ""
    if stream is not None and chunk_node is not None:
        stream_call = _lines(
            assignment(
                _INDENT2, "request = ", call(f"self.{builder_name}", *arguments, Keyword("_stream=", Atom("True")))
            )
        )
        returned = chunk_node
        if aio:
            returned = subscript(scope.use(f"{options.runtime}.aio.streaming", "AsyncStreamCall"), stream_type)
        stream_returns = _lines(lay_out(returned, _INDENT1, ") -> ", ":"))
        stream_result = (
            f"{_INDENT2}return self.api_client.execute_stream(request, _request_timeout, _retries, _deadline)"
        )
        stream_chunk = type_text(stream.chunk)
        stream_returns_http_info = _lines(lay_out(subscript(api_response, chunk_node), _INDENT1, ") -> ", ":"))
        stream_result_http_info = (
            f"{_INDENT2}return {'await ' if aio else ''}self.api_client.execute_stream_with_http_info("
            "request, _request_timeout, _retries, _deadline)"
        )

    return Method(
        name=operation.python_name,
        builder=builder_name,
        builder_params=tuple(builder),
        builder_body=tuple(builder_body),
        params=tuple(public),
        docstring=tuple(_method_docstring(operation)),
        returns=_lines(lay_out(result_node, _INDENT1, ") -> ", ":")),
        returns_http_info=_lines(lay_out(http_info_node, _INDENT1, ") -> ", ":")),
        call=_lines(call_lines),
        result=_lines(result),
        result_http_info=_lines(result_http_info),
        stream_call=stream_call,
        stream_returns=stream_returns,
        stream_result=stream_result,
        stream_chunk=stream_chunk,
        stream_returns_http_info=stream_returns_http_info,
        stream_result_http_info=stream_result_http_info,
        options_public=extra_option,
        options_builder=extra_option,
    )


def _method_docstring(operation: Operation) -> List[str]:
    paragraphs: List[str] = [operation.summary or f"{operation.method} {operation.path}"]
    if operation.description and operation.description != operation.summary:
        paragraphs.append(operation.description)
    if operation.deprecated:
        paragraphs.append("Deprecated: calling it emits a ``DeprecationWarning``.")
    params: List[str] = []
    for param in operation.params:
        note = "(required)" if param.required else "(optional)"
        if param.default and not param.required:
            note = f"(optional; the server's default is {param.default})"
        params.append(f":param {param.python_name}: {_param_description(param)} {note}".replace("  ", " "))
    if operation.body is not None:
        note = "(required)" if operation.body.required else "(optional)"
        text = operation.body.description
        params.append(f":param {operation.body.python_name}: {text} {note}".replace("  ", " "))
    if params:
        paragraphs.append("\n".join(params))
    paragraphs.append(_OPTIONS_DOC + ("\n" + _EXTRA_BODY_DOC if operation.body is not None else ""))
    success = success_type(operation)
    returns = type_text(success) if success is not None else "None"
    stream = operation.stream
    if stream is not None and stream.always:
        returns = f"a ``Stream`` of {type_text(stream.chunk)}, one per server-sent event."
    elif stream is not None and stream.flag and success is None:
        returns = f"a ``Stream`` of {type_text(stream.chunk)} when the body sets ``{stream.flag}``, else ``None``."
    elif stream is not None and stream.flag:
        returns += (
            f". A body that sets ``{stream.flag}`` gets a ``Stream`` of {type_text(stream.chunk)} instead, which"
            f" this method is not typed for: call :meth:`{operation.python_name}_stream` to stream."
        )
    elif stream is not None:
        returns += f" (:meth:`{operation.python_name}_stream` asks for a ``Stream`` of {type_text(stream.chunk)})."
    paragraphs.append(f":return: {returns}\n{_RAISES_DOC}")
    return docstring(paragraphs, _INDENT2)


def _api_file(api: Api, options: Options, aio: bool = False) -> ApiFile:
    """The module of one API class; ``aio``: its asyncio twin, sharing the sync module's operations."""
    taken: Set[str] = {api.class_name}
    for operation in api.operations:
        refs: List[TypeRef] = [p.type for p in operation.params]
        if operation.body is not None:
            refs.append(operation.body.type)
        refs += [r.type for r in operation.responses if r.type is not None]
        if operation.stream is not None:
            refs.append(operation.stream.chunk)
        for ref in refs:
            taken.update(model.name for model in models_in(ref))
        # an argument named like a helper (``date``) would hide it inside the method bodies
        taken.update(param.python_name for param in operation.params)
    scope = Scope(_first_party(options), taken=taken)
    writer = _TypeWriter(options, scope)
    t = writer.typing
    if aio:  # the operations are the sync module's: imported, not written twice
        constants = []
        for operation in api.operations:
            scope.use(f"{options.package}.api.{api.module}", _constant(operation))
        client = scope.use(f"{options.runtime}.aio.api_client", "ApiClient")
        prepared = scope.use(f"{options.runtime}.aio.api_client", "PreparedRequest")
        rest = scope.use(f"{options.runtime}.aio.rest", "AsyncRESTResponse")
    else:
        constants = [_operation_constant(operation, writer, options) for operation in api.operations]
        client = scope.use(f"{options.runtime}.api_client", "ApiClient")
        prepared = scope.use(f"{options.runtime}.api_client", "PreparedRequest")
        rest = scope.use(f"{options.runtime}.rest", "RESTResponse")
    methods = [_method(operation, writer, options, aio) for operation in api.operations]
    use_default = scope.use(f"{options.runtime}._types", "USE_DEFAULT")
    timeout = scope.use(f"{options.runtime}._types", "TimeoutArg")
    retries = scope.use(f"{options.runtime}._types", "RetriesArg")
    deadline = scope.use(f"{options.runtime}._types", "DeadlineArg")
    optional, mapping, any_ = t("Optional"), t("Mapping"), t("Any")
    options_public = (
        f"{_INDENT2}_request_timeout: {timeout} = {use_default},",
        f"{_INDENT2}_request_auth: {optional}[{mapping}[str, {any_}]] = None,",
        f"{_INDENT2}_content_type: {optional}[str] = None,",
        f"{_INDENT2}_headers: {optional}[{mapping}[str, str]] = None,",
        f"{_INDENT2}_host_index: {optional}[int] = None,",
        f"{_INDENT2}_retries: {retries} = {use_default},",
        f"{_INDENT2}_deadline: {deadline} = {use_default},",
    )
    options_builder = (
        f"{_INDENT2}_request_auth: {optional}[{mapping}[str, {any_}]],",
        f"{_INDENT2}_content_type: {optional}[str],",
        f"{_INDENT2}_headers: {optional}[{mapping}[str, str]],",
        f"{_INDENT2}_host_index: {optional}[int],",
        f"{_INDENT2}_stream: {optional}[bool] = None,",
    )
    paragraphs = [f"Operations tagged ``{api.tag}``" + (f": {api.description}" if api.description else ".")]
    paragraphs.append(
        "Each operation has a method returning the decoded answer, ``<name>_with_http_info`` returning an\n"
        "``ApiResponse`` (status, headers, data, raw bytes) and ``<name>_without_preload_content`` returning the\n"
        "undecoded response; an operation that can stream also has ``<name>_stream`` and\n"
        "``<name>_stream_with_http_info``."
    )
    if aio:
        paragraphs.append(
            "The asyncio twin of the sync class: the same methods and arguments, awaited; streams are\n"
            "``AsyncStream`` values (``async for``, ``async with``)."
        )
    return ApiFile(
        banner=options.banner,
        module_doc=_lines(docstring([f"Operations tagged ``{api.tag}``."], "")),
        imports=tuple(scope.lines()),
        constants=tuple(constants),
        class_name=api.class_name,
        class_doc=tuple(docstring(paragraphs, _INDENT1)),
        client_annotation=f"{optional}[{client}]",
        methods=tuple(methods),
        options_public=options_public,
        options_builder=options_builder,
        prepared=prepared,
        rest_response=rest,
        client=client,
        aio=aio,
    )


# ----------------------------------------------------------------------------------------------- inits


def _init_file(
    options: Options,
    doc: str,
    exports: Sequence[Tuple[str, str]],
    preamble: Sequence[str] = (),
    submodules: Sequence[str] = (),
) -> InitFile:
    """A lazily exporting ``__init__``: ``exports`` are (name, module) pairs."""
    taken = {name for name, _ in exports}
    scope = Scope(_first_party(options), taken=taken)
    type_checking = scope.use("typing", "TYPE_CHECKING")
    any_name = scope.use("typing", "Any")
    dict_name = scope.use("typing", "Dict")
    list_name = scope.use("typing", "List")
    scope.use("importlib", "import_module")
    checking = format_imports(
        [(module, name, name) for name, module in exports], _first_party(options), _INDENT1, reexport=True
    )
    ordered = sorted(exports, key=lambda item: natural_key(item[0]))
    table = Group(
        "",
        "{",
        tuple(Keyword(py_str(name) + ": ", Atom(py_str(module))) for name, module in ordered),
        "}",
        explode=True,
    )
    names = Group("", "[", tuple(Atom(py_str(name)) for name, _ in ordered), "]", explode=True)
    export_lines = annotated_assignment("", "_EXPORTS", Atom(f"{dict_name}[str, str]"), table)
    return InitFile(
        banner=options.banner,
        docstring=tuple(docstring([doc], "")),
        imports=tuple(scope.lines()),
        type_checking=type_checking,
        checking_imports=tuple(checking),
        preamble=tuple(preamble),
        exports=tuple(export_lines) if ordered else (f"_EXPORTS: {dict_name}[str, str] = {{}}",),
        all_names=tuple(lay_out(names, "", "__all__ = ")) if ordered else (f"__all__: {list_name}[str] = []",),
        any_name=any_name,
        list_name=list_name,
        submodules=_lines(lay_out(tuple_of(*(Atom(py_str(name)) for name in submodules)), "", "_SUBMODULES = "))
        if submodules
        else "",
    )


# -------------------------------------------------------------------------------------------------- docs


def _md(text: str) -> str:
    """Text for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _doc_type(ref: Optional[TypeRef]) -> str:
    if ref is None:
        return "void (empty response body)"
    text = type_text(ref)
    linked = [model for model in models_in(ref)]
    if ref.alias:
        return f"[**{text}**]({ref.alias}.md)"
    if len({model.name for model in linked}) == 1:
        return f"[**{text}**]({linked[0].name}.md)"
    return f"**{text}**"


_CONSTRAINT_WORDS = {
    "ge": "minimum",
    "gt": "exclusive minimum",
    "le": "maximum",
    "lt": "exclusive maximum",
    "multiple_of": "multiple of",
    "min_length": "min length",
    "max_length": "max length",
    "pattern": "pattern",
}


def _notes(ref: TypeRef, required: bool, default: str, deprecated: bool) -> str:
    notes: List[str] = []
    if not required:
        notes.append("[optional]")
    if default:
        notes.append(f"[default to {default}]")
    current: Optional[TypeRef] = ref
    while current is not None:
        for key, value in current.constraints:
            word = _CONSTRAINT_WORDS.get(key, key)
            if current.kind == "list" and key in ("min_length", "max_length"):
                word = "min items" if key == "min_length" else "max items"
            notes.append(f"[{word}: {value}]")
        current = current.args[0] if current.kind == "list" and current.args else None
    if deprecated:
        notes.append("[deprecated]")
    return " ".join(notes)


def _host(document: Document) -> str:
    if not document.servers:
        return "http://localhost"
    server = document.servers[0]
    url = server.url
    for variable in server.variables:
        url = url.replace("{" + variable.name + "}", variable.default)
    return url


def _docs_api(api: Api, document: Document, options: Options) -> DocsApiFile:
    package = options.package
    readme = _relative(options.docs_dir, options.readme)
    rows: List[DocsRow] = []
    methods: List[DocsMethod] = []
    for operation in api.operations:
        summary = operation.summary or operation.description.split("\n", 1)[0]
        rows.append(
            DocsRow(
                (
                    f"[**{operation.python_name}**]({api.class_name}.md#{operation.python_name})",
                    f"**{operation.method}** {operation.path}",
                    _md(summary),
                )
            )
        )
        methods.append(_docs_method(api, operation, document, options, stream=False))
        if operation.stream is not None:
            rows.append(
                DocsRow(
                    (
                        f"[**{operation.python_name}_stream**]({api.class_name}.md#{operation.python_name}_stream)",
                        f"**{operation.method}** {operation.path}",
                        _md(f"{summary} (streamed)"),
                    )
                )
            )
            methods.append(_docs_method(api, operation, document, options, stream=True))
    return DocsApiFile(
        banner=options.md_banner,
        package=package,
        class_name=api.class_name,
        host=_host(document),
        description=api.description,
        rows=tuple(rows),
        methods=tuple(methods),
        readme=readme,
    )


def _docs_method(api: Api, operation: Operation, document: Document, options: Options, stream: bool) -> DocsMethod:
    package = options.package
    name = operation.python_name + ("_stream" if stream else "")
    required = [p for p in operation.params if p.required]
    optional = [p for p in operation.params if not p.required]
    body = operation.body
    arguments = [p.python_name for p in required]
    if body is not None and body.required:
        arguments.append(body.python_name)
    arguments += [f"{p.python_name}={p.python_name}" for p in optional]
    if body is not None and not body.required:
        arguments.append(f"{body.python_name}={body.python_name}")
    signature_args = ", ".join(arguments)
    success = success_type(operation)
    if stream and operation.stream is not None:
        return_text = f"Stream[{type_text(operation.stream.chunk)}]"
        return_md = (
            f"**Stream**[{_doc_type(operation.stream.chunk)}]. `{name}_with_http_info` returns the same "
            "`Stream` as the `data` of an `ApiResponse`, with the status code and headers."
        )
    elif operation.stream is not None and operation.stream.always:
        return_text = f"Stream[{type_text(operation.stream.chunk)}]"
        return_md = f"**Stream**[{_doc_type(operation.stream.chunk)}]"
    else:
        return_text = type_text(success) if success is not None else "None"
        return_md = _doc_type(success)
        link = f"[{operation.python_name}_stream](#{operation.python_name}_stream)"
        if operation.stream is not None and operation.stream.flag and success is None:
            return_md = f"**Stream**[{_doc_type(operation.stream.chunk)}] when the body sets `{operation.stream.flag}`"
        elif operation.stream is not None and operation.stream.flag:
            return_md += (
                f". A body that sets `{operation.stream.flag}` gets a **Stream**[{_doc_type(operation.stream.chunk)}]"
                f" instead, which this method is not typed for: call {link} to stream."
            )
        elif operation.stream is not None:
            return_md += f" ({link} returns a **Stream**[{_doc_type(operation.stream.chunk)}])"

    imports: Set[str] = set()
    refs: List[TypeRef] = [p.type for p in operation.params]
    if body is not None:
        refs.append(body.type)
    shown = operation.stream.chunk if stream and operation.stream is not None else success
    if shown is not None:
        refs.append(shown)
    for ref in refs:
        for model in models_in(ref):
            imports.add(f"from {package}.models.{model.module} import {model.name}")

    example: List[str] = [f"import {package}"]
    if operation.auth:
        example.insert(0, "import os")
    example += sorted(imports, key=natural_key)
    example += [f"from {options.runtime}.rest import ApiException", "from pprint import pprint", ""]
    example += [
        f"# Defining the host is optional and defaults to {_host(document)}",
        "# See configuration.py for a list of all supported configuration parameters.",
        f"configuration = {package}.Configuration(",
        f'    host = "{_host(document)}"',
        ")",
        "",
    ]
    for auth in operation.auth:
        if auth.kind in ("oauth2", "openIdConnect"):
            example += [
                f"# Configure OAuth2 access token for authorization: {auth.name}",
                'configuration.access_token = os.environ["ACCESS_TOKEN"]',
            ]
        elif auth.kind == "http" and auth.scheme == "bearer":
            example += [
                f"# Configure Bearer authorization: {auth.name}",
                'configuration.access_token = os.environ["BEARER_TOKEN"]',
            ]
        elif auth.kind == "http":
            example += [
                f"# Configure HTTP basic authorization: {auth.name}",
                'configuration.username = os.environ["USERNAME"]',
                'configuration.password = os.environ["PASSWORD"]',
            ]
        else:
            example += [
                f"# Configure API key authorization: {auth.name}",
                f'configuration.api_key["{auth.name}"] = os.environ["API_KEY"]',
            ]
    if operation.auth:
        example.append("")
    example += [
        "",
        "# Enter a context with an instance of the API client",
        f"with {package}.ApiClient(configuration) as api_client:",
        "    # Create an instance of the API class",
        f"    api_instance = {package}.{api.class_name}(api_client)",
    ]
    for param in operation.params:
        note = "" if param.required else " (optional)"
        example.append(
            f"    {param.python_name} = {param.example} # {type_text(param.type)} | {_md(param.description)}{note}"
        )
    if body is not None:
        value = _literal_node(json.loads(body.example))
        if body.type.kind == "model" and not body.type.is_enum:
            value = call(f"{package}.{body.type.name}.from_dict", value)
        note = "" if body.required else " (optional)"
        comment = f" # {type_text(body.type)} | {_md(body.description)}{note}"
        example.extend(lay_out(value, _INDENT1, f"{body.python_name} = ", comment))
    label = operation.summary or name
    example += ["", "    try:", f"        # {label}"]
    if stream or (operation.stream is not None and operation.stream.always):
        example += [
            f"        with api_instance.{name}({signature_args}) as stream:",
            "            for chunk in stream:",
            "                pprint(chunk)",
        ]
    elif success is None and operation.stream is None:
        example.append(f"        api_instance.{name}({signature_args})")
    else:
        example += [
            f"        api_response = api_instance.{name}({signature_args})",
            f'        print("The response of {api.class_name}->{name}:\\n")',
            "        pprint(api_response)",
        ]
    example += [
        "    except Exception as e:",
        f'        print("Exception when calling {api.class_name}->{name}: %s\\n" % e)',
    ]

    params: List[DocsRow] = []
    for param in operation.params:
        params.append(
            DocsRow(
                (
                    f"**{param.python_name}**",
                    _doc_type(param.type),
                    _md(_param_description(param)),
                    _notes(param.type, param.required, param.default, param.deprecated),
                )
            )
        )
    if body is not None:
        params.append(
            DocsRow(
                (
                    f"**{body.python_name}**",
                    _doc_type(body.type),
                    _md(body.description),
                    "" if body.required else "[optional]",
                )
            )
        )
    responses = tuple(
        DocsRow(
            (
                f"**{response.status}**",
                _md(response.description),
                ", ".join(response.headers) if response.headers else " - ",
            )
        )
        for response in operation.responses
    )
    auth_text = ", ".join(item.name for item in operation.auth) or "No authorization required"
    summary = operation.summary
    description = operation.description if operation.description != operation.summary else ""
    if stream and operation.stream is not None:
        summary = f"{operation.summary or operation.python_name} (streamed)"
        asks = (
            f"with `{operation.stream.flag}` set in the body"
            if operation.stream.flag
            else "asking for `text/event-stream`"
        )
        ends = (
            f"ends at `data: {operation.stream.sentinel}`"
            if operation.stream.sentinel is not None
            else "ends at `data: [DONE]` or with the response body"
        )
        description = (
            f"Same as [{operation.python_name}](#{operation.python_name}) {asks}: returns a `Stream` of "
            f"{type_text(operation.stream.chunk)}, one per server-sent event, that "
            f"{ends}. Use it as a context manager (or call `close()`) to release the connection."
        )
    if operation.deprecated:
        description = (description + "\n\n**Deprecated.**").strip()
    accept = ", ".join(("text/event-stream",) if stream else tuple(a for a in operation.accepts)) or "Not defined"
    return DocsMethod(
        name=name,
        signature=f"{return_text} {name}({', '.join(p.python_name for p in required)}"
        + (", " if required and body is not None and body.required else "")
        + (body.python_name if body is not None and body.required else "")
        + ")",
        summary=summary,
        description=description,
        example=tuple(example),
        params=tuple(params),
        return_type=return_md,
        authorization=auth_text,
        content_type=", ".join(body.content_types) if body is not None else "Not defined",
        accept=accept,
        responses=responses,
    )


def _literal_node(value: object) -> Node:
    """A JSON value as a layout node (so long examples are split over lines)."""
    if isinstance(value, dict):
        return Group("", "{", tuple(Keyword(py_str(str(k)) + ": ", _literal_node(v)) for k, v in value.items()), "}")
    if isinstance(value, list):
        return Group("", "[", tuple(_literal_node(item) for item in value), "]")
    return Atom(py_literal(value))


def _model_example(package: str, name: str, module: str, example_json: str) -> Tuple[str, ...]:
    var = naming.snake_case(name) or "model"
    return (
        f"from {package}.models.{module} import {name}",
        "",
        f"json = {py_str(example_json)}",
        f"# create an instance of {name} from a JSON string",
        f"{var}_instance = {name}.from_json(json)",
        "# print the JSON string representation of the object",
        f"print({var}_instance.to_json())",
        "",
        "# convert the object into a dict",
        f"{var}_dict = {var}_instance.to_dict()",
        f"# create an instance of {name} from a dict",
        f"{var}_from_dict = {name}.from_dict({var}_dict)",
    )


def _docs_model(model: Model, options: Options) -> DocsModelFile:
    rows = tuple(
        DocsRow(
            (
                f"**{field.name}**",
                _doc_type(field.type),
                _md(field.description),
                _notes(field.type, field.required, field.default, field.deprecated)
                + (" [readonly]" if field.read_only else "")
                + (" [writeonly]" if field.write_only else ""),
            )
        )
        for field in model.fields
    )
    description = model.description + ("\n\n**Deprecated.**" if model.deprecated else "")
    return DocsModelFile(
        banner=options.md_banner,
        name=model.name,
        description=description.strip(),
        kind="model",
        rows=rows,
        type_text="",
        example=_model_example(options.package, model.name, model.module, model.example),
        readme=_relative(options.docs_dir, options.readme),
    )


def _docs_enum(enum: EnumDef, options: Options) -> DocsModelFile:
    rows = tuple(DocsRow((f"`{member.name}`", f"`{member.value}`")) for member in enum.members)
    first = enum.members[0] if enum.members else None
    example: Tuple[str, ...] = ()
    if first is not None:
        example = (
            f"from {options.package}.models.{enum.module} import {enum.name}",
            "",
            f"value = {enum.name}({first.value})",
            f"assert value is {enum.name}.{first.name}",
            "# a value added to the spec later is kept, not rejected:",
            f"print({enum.name}({'99999' if enum.base == 'int' else py_str('a-new-value')}).is_known)  # False",
        )
    return DocsModelFile(
        banner=options.md_banner,
        name=enum.name,
        description=(enum.description + ("\n\n**Deprecated.**" if enum.deprecated else "")).strip(),
        kind="enum",
        rows=rows,
        type_text=enum.base,
        example=example,
        readme=_relative(options.docs_dir, options.readme),
    )


def _docs_alias(alias: AliasDef, options: Options) -> DocsModelFile:
    return DocsModelFile(
        banner=options.md_banner,
        name=alias.name,
        description=(alias.description + ("\n\n**Deprecated.**" if alias.deprecated else "")).strip(),
        kind="alias",
        rows=(),
        type_text=_doc_type(alias.type),
        example=(
            f"from {options.package}.models.{alias.module} import {alias.name}",
            "",
            f"# {alias.name} is a type alias: use it in annotations and with pydantic.TypeAdapter",
            "from pydantic import TypeAdapter",
            "",
            f"adapter = TypeAdapter({alias.name})",
        ),
        readme=_relative(options.docs_dir, options.readme),
    )


def _relative(from_dir: str, target: str) -> str:
    return posixpath.relpath(target, from_dir or ".")


def _readme(document: Document, options: Options) -> ReadmeBlock:
    readme_dir = posixpath.dirname(options.readme)
    docs = _relative(readme_dir or ".", options.docs_dir)
    methods: List[ReadmeMethod] = []
    for api in document.apis:
        for operation in api.operations:
            summary = _md(operation.summary or operation.description.split("\n", 1)[0])
            variants = [(operation.python_name, summary)]
            if operation.stream is not None:
                variants.append((f"{operation.python_name}_stream", f"{summary} (streamed)".strip()))
            for method_name, text in variants:
                methods.append(
                    ReadmeMethod(
                        (
                            f"*{api.class_name}*",
                            f"[**{method_name}**]({docs}/{api.class_name}.md#{method_name})",
                            f"**{operation.method}** {operation.path}",
                            text,
                        )
                    )
                )
    names = sorted(
        [m.name for m in document.models] + [e.name for e in document.enums] + [a.name for a in document.aliases],
        key=natural_key,
    )
    return ReadmeBlock(
        host=_host(document),
        methods=tuple(methods),
        models=tuple(f"[{name}]({docs}/{name}.md)" for name in names),
    )


# ---------------------------------------------------------------------------------------------- servers


def _server_node(server: Server, scope: Scope, runtime: str) -> Node:
    """``ServerSpec(url=..., description=..., variables={...})``."""
    keywords: List[Node] = [Keyword("url=", Atom(py_str(server.url)))]
    if server.description:
        keywords.append(Keyword("description=", Atom(py_str(server.description))))
    if server.variables:
        variable_class = scope.use(runtime, "ServerVariable")
        variables = []
        for variable in server.variables:
            args: List[Node] = [Keyword("default=", Atom(py_str(variable.default)))]
            if variable.enum:
                args.append(Keyword("enum=", tuple_of(*(Atom(py_str(v)) for v in variable.enum))))
            if variable.description:
                args.append(Keyword("description=", Atom(py_str(variable.description))))
            variables.append(Keyword(py_str(variable.name) + ": ", call(variable_class, *args)))
        keywords.append(Keyword("variables=", Group("", "{", tuple(variables), "}")))
    return call(scope.use(runtime, "ServerSpec"), *keywords)


def _servers_file(document: Document, options: Options) -> ServersFile:
    scope = Scope(_first_party(options))
    runtime = f"{options.runtime}._operation"
    tuple_name = scope.use("typing", "Tuple")
    server_spec = scope.use(runtime, "ServerSpec")
    servers: List[Node] = [_server_node(server, scope, runtime) for server in document.servers]
    value: Node = tuple_of(*servers) if servers else Atom("()")
    if len(servers) > 1:
        value = Group("", "(", tuple(servers), ")", explode=True)
    lines = annotated_assignment("", "SERVERS", Atom(f"{tuple_name}[{server_spec}, ...]"), value)
    return ServersFile(banner=options.banner, imports=tuple(scope.lines()), servers=tuple(lines))


def _configuration_file(options: Options) -> ConfigurationFile:
    """A ``Configuration`` whose ``server_index`` picks from this package's servers (the runtime's own
    ``Configuration`` knows only the runtime package's)."""
    scope = Scope(_first_party(options), taken={"Configuration"})
    base = scope.use(f"{options.runtime}.configuration", "Configuration")
    class_var = scope.use("typing", "ClassVar")
    paragraphs = [
        f"Settings of an ``ApiClient`` (see ``{options.runtime}.configuration.Configuration``).",
        f"``server_index`` and ``server_variables`` select from the servers of ``{options.package}``.",
    ]
    return ConfigurationFile(
        banner=options.banner,
        module_doc=_lines(docstring([f"``Configuration`` of ``{options.package}``."], "")),
        imports=tuple(scope.lines()),
        class_line=_lines(lay_out(call("Configuration", Atom(base)), "", "class ", ":")),
        docstring=tuple(docstring(paragraphs, _INDENT1)),
        assignment=f'{_INDENT1}servers_module: {class_var}[str] = "{options.package}._servers"',
    )


# ------------------------------------------------------------------------------------------------- all


def build_files(document: Document, options: Options) -> Layout:
    """The file IR of every generated file."""
    package_dir = options.package.replace(".", "/")
    docs = options.docs_dir
    files: List[Tuple[str, str, object]] = []
    cycles = _components(_model_graph(document))
    enum_bases = {enum.name: enum.base for enum in document.enums}
    for model in document.models:
        files.append(
            (
                "model.py.j2",
                f"{package_dir}/models/{model.module}.py",
                _model_file(model, options, cycles.get(model.name, frozenset()), enum_bases),
            )
        )
        files.append(("docs/model.md.j2", f"{docs}/{model.name}.md", _docs_model(model, options)))
    for enum in document.enums:
        files.append(("enum.py.j2", f"{package_dir}/models/{enum.module}.py", _enum_file(enum, options)))
        files.append(("docs/model.md.j2", f"{docs}/{enum.name}.md", _docs_enum(enum, options)))
    for alias in document.aliases:
        files.append(("alias.py.j2", f"{package_dir}/models/{alias.module}.py", _alias_file(alias, options)))
        files.append(("docs/model.md.j2", f"{docs}/{alias.name}.md", _docs_alias(alias, options)))
    for api in document.apis:
        files.append(("api.py.j2", f"{package_dir}/api/{api.module}.py", _api_file(api, options)))
        files.append(("api.py.j2", f"{package_dir}/aio/api/{api.module}.py", _api_file(api, options, aio=True)))
        files.append(("docs/api.md.j2", f"{docs}/{api.class_name}.md", _docs_api(api, document, options)))

    model_exports = sorted(
        [(m.name, f"{options.package}.models.{m.module}") for m in document.models]
        + [(e.name, f"{options.package}.models.{e.module}") for e in document.enums]
        + [(a.name, f"{options.package}.models.{a.module}") for a in document.aliases]
    )
    api_exports = [(api.class_name, f"{options.package}.api.{api.module}") for api in document.apis]
    runtime_exports = [(name, f"{options.runtime}.{module}") for name, module in naming.RUNTIME_EXPORTS]
    if options.runtime != options.package:
        runtime_exports = [
            (name, f"{options.package}.configuration" if name == "Configuration" else module)
            for name, module in runtime_exports
        ]
        files.append(("configuration.py.j2", f"{package_dir}/configuration.py", _configuration_file(options)))
    files.append(
        (
            "models_init.py.j2",
            f"{package_dir}/models/__init__.py",
            _init_file(
                options,
                "Models of the spec, one module each; a model's module is imported when first used.",
                model_exports,
            ),
        )
    )
    files.append(
        (
            "api_init.py.j2",
            f"{package_dir}/api/__init__.py",
            _init_file(options, "API classes, one per tag; a class's module is imported when first used.", api_exports),
        )
    )
    aio_api_exports = [(api.class_name, f"{options.package}.aio.api.{api.module}") for api in document.apis]
    files.append(
        (
            "api_init.py.j2",
            f"{package_dir}/aio/api/__init__.py",
            _init_file(
                options,
                "asyncio API classes, one per tag; a class's module is imported when first used.",
                aio_api_exports,
            ),
        )
    )
    aio_runtime = [
        ("ApiClient", f"{options.runtime}.aio.api_client"),
        ("AsyncRESTResponse", f"{options.runtime}.aio.rest"),
        ("AsyncStream", f"{options.runtime}.aio.streaming"),
        ("AsyncStreamCall", f"{options.runtime}.aio.streaming"),
        ("Configuration", f"{options.package}.configuration"),
    ]
    files.append(
        (
            "package_init.py.j2",
            f"{package_dir}/aio/__init__.py",
            _init_file(
                options,
                "The asyncio client: ``ApiClient`` and the API classes with the sync contract, awaited.\n\n"
                'It runs on aiohttp, installed with the extra ``pip install "tachyon-sdk[async]"``; '
                f"``import {options.package}`` never loads it. Names are imported lazily (PEP 562).",
                sorted(aio_api_exports + aio_runtime),
            ),
        )
    )
    title = document.title or options.package
    files.append(
        (
            "package_init.py.j2",
            f"{package_dir}/__init__.py",
            _init_file(
                options,
                f"{title} client (API version {document.version}).\n\n"
                "Every public name is imported lazily (PEP 562): ``import "
                f"{options.package}`` loads no API or model module until one is used.",
                sorted(model_exports + api_exports + runtime_exports),
                preamble=(f"__version__ = {py_str(document.version)}",),
                submodules=("aio", "api", "models"),
            ),
        )
    )
    files.append(("servers.py.j2", f"{package_dir}/_servers.py", _servers_file(document, options)))
    files.sort(key=lambda item: item[1])
    return Layout(files=tuple(files), readme=_readme(document, options))
