"""The spec -> the semantic IR (:class:`codegen.ir.Document`).

- One API class per tag: ``Chat`` -> ``ChatApi`` in ``api/chat_api.py``. An operation with several tags
  is a method of each tag's class (as in OpenAPI Generator); one without tags is in ``DefaultApi``.
- ``operationId`` -> snake_case method name; a missing one is made from the method and path
  (``get /pets/{id}`` -> ``get_pets_id``). A name taken in the class (with its ``_with_http_info``,
  ``_without_preload_content`` and ``_stream`` variants) gets a number.
- Arguments in OpenAPI Generator's order: required path, query, header, cookie parameters, then the body
  (named after its schema in snake_case), then the optional parameters as keywords. Path templates and
  path parameters must match; ``style``/``explode`` must suit the location.
- The body's type comes from its first media type (JSON first): JSON, form and multipart bodies are
  the schema's model; ``text/*`` a ``str``; any other type (``application/octet-stream``...) a file
  input. Other media types are offered (``_content_type``) when the same value can be encoded in them.
- A response's type: the schema for JSON, ``str`` for ``text/*`` and XML, ``bytes`` for anything else.
  Success types are those of the 2xx responses, or of ``default`` when no 2xx response is declared.
- A 2xx response with ``text/event-stream`` content streams: its schema is the model of one event's data;
  a schema that describes the event envelope instead (an object whose properties are among ``data``,
  ``event``, ``id``, ``retry``, with ``data``; Speakeasy's style) stands for its ``data`` schema. The
  media type's ``x-speakeasy-sse-sentinel`` names the data of the event that ends the stream (without it
  the end of the HTTP body is the end).
  The operation's ``x-stream-flag`` (or else a boolean body property ``stream``/``streaming``) asks for
  it; without one the ``Accept`` header does (``<op>_stream``), and an operation that answers nothing but
  a stream always streams (its plain method returns the ``Stream``).
- A path key may carry a ``#fragment`` (``/v1/chat/completions#stream``: two operations on one wire
  path); the fragment names the operation in the spec and is never sent.
- Security: http ``bearer``/``basic``, ``apiKey`` (header, query, cookie); ``oauth2`` and
  ``openIdConnect`` send ``Configuration.access_token`` as a bearer token. Other http schemes are errors.
"""

import json
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Set, Tuple

from codegen import naming
from codegen.diagnostics import Diagnostics, join, pointer
from codegen.ir import (
    Api,
    Auth,
    Body,
    Document,
    Model,
    Operation,
    Param,
    PartEncoding,
    Response,
    Server,
    ServerVariable,
    StreamInfo,
    TypeRef,
)
from codegen.load import Spec
from codegen.pyfmt import py_literal
from codegen.schemas import SchemaRegistry, make_union

__all__ = ["METHODS", "parse"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS = ("path", "query", "header", "cookie")
_STREAM_MEDIA = "text/event-stream"
_SENTINEL_KEY = "x-speakeasy-sse-sentinel"  # on the media type: the data of the event that ends a stream
_ENVELOPE = frozenset({"data", "event", "id", "retry"})  # the fields of one server-sent event
_DEFAULT_TAG = "Default"
_METHOD_SUFFIXES = ("_with_http_info", "_without_preload_content", "_stream")
_CLASS_ATTRIBUTES = ("api_client",)  # set by the generated __init__
_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
_FORM = "application/x-www-form-urlencoded"
# OpenAPI: header parameters with these names are ignored (the body's media types and the responses'
# set them). Authorization is kept: an explicit Authorization parameter is part of this SDK's contract.
_IGNORED_HEADERS = ("accept", "content-type")
_TEMPLATE_VARIABLE = re.compile(r"{([^{}]+)}")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_json(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _category(media: str) -> str:
    """``json``, ``form``, ``multipart``, ``text`` (``text/*`` and XML) or ``raw``."""
    base = media.split(";", 1)[0].strip().lower()
    if _is_json(base):
        return "json"
    if base == _FORM:
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/") or base.endswith(("/xml", "+xml")):
        return "text"
    return "raw"


_BODY_PREFERENCE = ("json", "multipart", "form", "text", "raw")
_FAMILY = {"json": "data", "form": "data", "multipart": "data", "text": "payload", "raw": "payload"}


def _media_schema(content: Dict[str, Any], media: str) -> Any:
    """The schema of a media type object (``None`` when it has none or is malformed)."""
    media_object = content.get(media)
    return media_object.get("schema") if isinstance(media_object, dict) else None


def _default_text(schema: Any) -> str:
    """The schema's default as JSON text, ``""`` when it has none."""
    if isinstance(schema, dict) and "default" in schema:
        return json.dumps(schema["default"], sort_keys=True, ensure_ascii=False)
    return ""


def _ordered_media(content: Dict[str, Any]) -> List[str]:
    """JSON media types first, then the others in spec order."""
    media = list(content)
    return [m for m in media if _is_json(m)] + [m for m in media if not _is_json(m)]


class _Parser:
    def __init__(self, spec: Spec, diagnostics: Diagnostics) -> None:
        self.spec = spec
        self.doc = spec.document
        self.diagnostics = diagnostics
        self.raw_ops = self._collect_operations()
        self.tags = self._tags()
        reserved = {name for name, _ in naming.RUNTIME_EXPORTS} | {cls for cls, _, _ in self.tags.values()}
        self.schemas = SchemaRegistry(spec, diagnostics, reserved)

    # ----------------------------------------------------------------------------------- operations

    def _collect_operations(self) -> List[Tuple[str, str, Dict[str, Any], Dict[str, Any], str]]:
        """(path, method, path item, operation, pointer) for every operation, in spec order."""
        found: List[Tuple[str, str, Dict[str, Any], Dict[str, Any], str]] = []
        paths = self.doc.get("paths") or {}
        for path, item in paths.items():
            where = pointer("paths", path)
            item, _ = self.spec.deref(item, where)
            if not isinstance(item, dict):
                self.diagnostics.error(where, "path item must be a mapping")
                continue
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                if not isinstance(operation, dict):
                    self.diagnostics.error(join(where, method), "operation must be a mapping")
                    continue
                found.append((path, method, item, operation, join(where, method)))
        return found

    def _tags(self) -> Dict[str, Tuple[str, str, str]]:
        """tag -> (class name, module, description)."""
        descriptions = {
            entry.get("name"): _text(entry.get("description"))
            for entry in self.doc.get("tags") or ()
            if isinstance(entry, dict) and isinstance(entry.get("name"), str)
        }
        names = sorted({tag for _, _, _, op, _ in self.raw_ops for tag in self._tags_of(op)})
        classes = naming.NameAllocator(separator="")
        modules = naming.NameAllocator(separator="_", casefold=True)
        result: Dict[str, Tuple[str, str, str]] = {}
        for tag in names:
            class_name = classes.allocate(naming.pascal_case(tag) + "Api")
            module = modules.allocate(naming.snake_case(class_name))
            result[tag] = (class_name, module, descriptions.get(tag, ""))
        return result

    @staticmethod
    def _tags_of(operation: Dict[str, Any]) -> List[str]:
        """The operation's tags in order, without repeats; ``[Default]`` when it has none."""
        tags = operation.get("tags")
        found: List[str] = []
        for tag in tags if isinstance(tags, list) else ():
            if isinstance(tag, str) and tag.strip() and tag.strip() not in found:
                found.append(tag.strip())
        return found or [_DEFAULT_TAG]

    def parse(self) -> Document:
        self.schemas.build_components()
        seen_ids: Dict[str, str] = {}
        by_tag: Dict[str, List[Operation]] = {tag: [] for tag in self.tags}
        method_names = {tag: naming.NameAllocator(_CLASS_ATTRIBUTES) for tag in self.tags}
        for path, method, item, raw, where in self.raw_ops:
            operation_id = raw.get("operationId")
            if not isinstance(operation_id, str) or not operation_id.strip():
                operation_id = naming.snake_case(f"{method} {path}")
                self.diagnostics.warning(where, f"operation has no operationId; named {operation_id}")
            elif operation_id in seen_ids:
                self.diagnostics.error(
                    join(where, "operationId"),
                    f"duplicate operationId {operation_id!r} (first at {seen_ids[operation_id]})",
                )
                continue
            seen_ids[operation_id] = join(where, "operationId")
            wanted = naming.param_name(operation_id)
            built: Optional[Operation] = None
            suffixes = _METHOD_SUFFIXES if self._streams(raw, where) else _METHOD_SUFFIXES[:-1]
            for tag in self._tags_of(raw):
                python_name = method_names[tag].allocate_group(wanted, suffixes)
                if python_name != wanted:
                    self.diagnostics.warning(
                        where, f"method name {wanted} is taken in {self.tags[tag][0]}; using {python_name}"
                    )
                if built is None:
                    built = self._operation(path, method, item, raw, where, operation_id, python_name)
                by_tag[tag].append(replace(built, python_name=python_name))
        apis = []
        for tag, (class_name, module, description) in sorted(self.tags.items(), key=lambda kv: kv[1][0]):
            operations = tuple(sorted(by_tag[tag], key=lambda op: op.python_name))
            apis.append(Api(tag, class_name, module, description, operations))
        info = self.doc.get("info") or {}
        version = info.get("version")
        return Document(
            title=_text(info.get("title")),
            version=str(version) if version is not None else "0.0.0",
            description=_text(info.get("description")),
            apis=tuple(apis),
            models=tuple(self.schemas.models[name] for name in sorted(self.schemas.models)),
            enums=tuple(self.schemas.enums[name] for name in sorted(self.schemas.enums)),
            aliases=tuple(self.schemas.aliases[name] for name in sorted(self.schemas.aliases)),
            servers=self._servers(self.doc.get("servers"), pointer("servers")),
        )

    def _streams(self, raw: Dict[str, Any], where: str) -> bool:
        """Whether a 2xx response of the operation offers ``text/event-stream`` (it gets ``<op>_stream``)."""
        responses = raw.get("responses")
        for status, response in responses.items() if isinstance(responses, dict) else ():
            if status.startswith("2"):
                response, _ = self.spec.deref(response, join(where, "responses", status))
                content = response.get("content") if isinstance(response, dict) else None
                if isinstance(content, dict) and _STREAM_MEDIA in content:
                    return True
        return False

    def _operation(
        self,
        path: str,
        method: str,
        item: Dict[str, Any],
        raw: Dict[str, Any],
        where: str,
        operation_id: str,
        python_name: str,
    ) -> Operation:
        context = naming.pascal_case(operation_id)
        names = naming.NameAllocator(separator="_")
        params = self._params(item, raw, where, context, names)
        path = path.split("#", 1)[0]  # a fragment tells operations apart in the spec; it is not on the wire
        self._check_path(path, params, where)
        body = self._body(raw, where, context, names)
        responses = self._responses(raw, where, context)
        successes = [r for r in responses if r.status.startswith("2")]
        if not successes:  # only "default" (or errors): default describes the success too
            successes = [r for r in responses if r.status == "default"]
        success_types: List[TypeRef] = []
        for response in successes:
            if response.type is not None and response.type not in success_types:
                success_types.append(response.type)
        if success_types and any(r.type is None and _STREAM_MEDIA not in r.media_types for r in successes):
            success_types.append(TypeRef("null"))  # a success without content returns None
        accepts: List[str] = []
        for response in successes:
            preferred = [media for media in response.media_types if media != _STREAM_MEDIA][:1]
            for media in preferred:
                if media not in accepts:
                    accepts.append(media)
        if any(_STREAM_MEDIA in response.media_types for response in successes):
            accepts.append(_STREAM_MEDIA)
        required = [p for p in params if p.required]
        optional = [p for p in params if not p.required]
        servers = raw.get("servers") if "servers" in raw else item.get("servers")
        return Operation(
            operation_id=operation_id,
            python_name=python_name,
            method=method.upper(),
            path=path,
            pointer=where,
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
            deprecated=bool(raw.get("deprecated")),
            params=tuple(required + optional),
            body=body,
            responses=responses,
            accepts=tuple(accepts),
            success=tuple(success_types),
            stream=self._stream(raw, where, context, body, accepts),
            auth=self._auth(raw, where),
            servers=self._servers(servers, join(where, "servers")),
        )

    def _check_path(self, path: str, params: List[Param], where: str) -> None:
        """Every ``{variable}`` of the path template has a path parameter, and the other way round."""
        variables = _TEMPLATE_VARIABLE.findall(path)
        declared = {param.name for param in params if param.location == "path"}
        for variable in variables:
            if variable not in declared:
                self.diagnostics.error(where, f"path template variable {{{variable}}} has no path parameter")
        for name in sorted(declared - set(variables)):
            self.diagnostics.error(where, f"path parameter {name!r} is not in the path {path!r}")

    # ----------------------------------------------------------------------------------- parameters

    def _params(
        self,
        item: Dict[str, Any],
        raw: Dict[str, Any],
        where: str,
        context: str,
        names: naming.NameAllocator,
    ) -> List[Param]:
        merged: Dict[Tuple[str, str], Tuple[Dict[str, Any], str]] = {}
        item_where = where.rsplit("/", 1)[0]
        for source, source_where in ((item.get("parameters"), item_where), (raw.get("parameters"), where)):
            if source is None:
                continue
            if not isinstance(source, list):
                self.diagnostics.error(join(source_where, "parameters"), "parameters must be a list")
                continue
            for index, entry in enumerate(source):
                entry_where = join(source_where, "parameters", index)
                param, param_where = self.spec.deref(entry, entry_where)
                if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                    self.diagnostics.error(entry_where, "parameter needs a name")
                    continue
                location = param.get("in")
                if location not in _LOCATIONS:
                    self.diagnostics.error(join(param_where, "in"), f"unknown parameter location {location!r}")
                    continue
                if location == "header" and param["name"].lower() in _IGNORED_HEADERS:
                    self.diagnostics.warning(
                        param_where, f"header parameter {param['name']!r} is ignored (OpenAPI); use _headers"
                    )
                    continue
                merged[(param["name"], location)] = (param, param_where)
        result: List[Param] = []
        for location in _LOCATIONS:
            for (name, param_location), (param, param_where) in merged.items():
                if param_location != location:
                    continue
                schema, schema_where = param.get("schema"), join(param_where, "schema")
                content = param.get("content")
                content_type = ""
                if schema is None and isinstance(content, dict) and content:
                    content_type = _ordered_media(content)[0]
                    schema = _media_schema(content, content_type)
                    schema_where = join(param_where, "content", content_type, "schema")
                style, explode = self._style(param, location, param_where)
                type_ref = self.schemas.type_of(schema, schema_where, context + naming.pascal_case(name))
                python_name = names.allocate(naming.param_name(name))
                if location == "path" and param.get("required") is not True:
                    self.diagnostics.warning(param_where, "path parameters are always required")
                required = location == "path" or param.get("required") is True
                result.append(
                    Param(
                        name=name,
                        location=location,
                        python_name=python_name,
                        required=required,
                        type=type_ref,
                        description=_text(param.get("description")),
                        deprecated=bool(param.get("deprecated")),
                        example=self._param_example(param, schema, schema_where, python_name, type_ref),
                        style=style,
                        explode=explode,
                        content_type=content_type,
                        default=_default_text(schema),
                    )
                )
        return result

    def _style(self, param: Dict[str, Any], location: str, where: str) -> Tuple[str, Optional[bool]]:
        """The parameter's style and explode when they differ from the location's defaults."""
        style = param.get("style", _DEFAULT_STYLES[location])
        if style not in _STYLES[location]:
            allowed = ", ".join(_STYLES[location])
            self.diagnostics.error(join(where, "style"), f"style {style!r} is not allowed in {location} ({allowed})")
            style = _DEFAULT_STYLES[location]
        default_explode = style in ("form", "deepObject")
        explode = param.get("explode", default_explode)
        if not isinstance(explode, bool):
            self.diagnostics.error(join(where, "explode"), "explode must be true or false")
            explode = default_explode
        if style == "deepObject" and not explode:
            self.diagnostics.error(join(where, "explode"), "deepObject needs explode: true")
        return ("" if style == _DEFAULT_STYLES[location] else style), (None if explode == default_explode else explode)

    def _param_example(
        self, param: Dict[str, Any], schema: Any, where: str, python_name: str, type_ref: TypeRef
    ) -> str:
        if "example" in param:
            return py_literal(param["example"])
        examples = param.get("examples")
        if isinstance(examples, dict) and examples:
            first = next(iter(examples.values()))
            if isinstance(first, dict) and "value" in first:
                return py_literal(first["value"])
        has_own = isinstance(schema, dict) and any(key in schema for key in ("example", "examples", "default", "enum"))
        if type_ref.kind == "str" and not has_own:
            return py_literal(f"{python_name}_example")
        return py_literal(self.schemas.example(schema, where, 0))

    # ----------------------------------------------------------------------------------------- body

    def _body(self, raw: Dict[str, Any], where: str, context: str, names: naming.NameAllocator) -> Optional[Body]:
        if "requestBody" not in raw:
            return None
        body_where = join(where, "requestBody")
        body, body_where = self.spec.deref(raw["requestBody"], body_where)
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            self.diagnostics.warning(body_where, "request body has no content; ignored")
            return None
        media_types = sorted(content, key=lambda media: _BODY_PREFERENCE.index(_category(media)))
        media = media_types[0]
        category = _category(media)
        media_object = content[media] if isinstance(content[media], dict) else {}
        schema = media_object.get("schema")
        schema_where = join(body_where, "content", media, "schema")
        media_where = join(body_where, "content", media)
        if category in ("json", "form", "multipart"):
            type_ref = self.schemas.type_of(schema, schema_where, context + "Request")
            if category != "json" and not self._is_object_type(type_ref):
                self.diagnostics.warning(media_where, f"a {media} body must be an object; typed as a dict")
                type_ref = TypeRef("dict", args=(TypeRef("any"),))
        elif category == "text":
            type_ref = TypeRef("str")
        else:
            type_ref = TypeRef("file")
            if isinstance(schema, dict) and self.schemas.type_of(
                schema, schema_where, context + "Request"
            ).kind not in (
                "file",
                "str",
                "any",
            ):
                self.diagnostics.warning(media_where, f"{media} bodies are sent as given: bytes, str, a path or a file")
        offered = [media]
        for other in media_types[1:]:
            if _FAMILY[_category(other)] == _FAMILY[category]:
                offered.append(other)
            else:
                self.diagnostics.warning(
                    join(body_where, "content", other), f"{other} is not offered: the body is encoded as {media}"
                )
        if type_ref.kind == "model" and not type_ref.is_enum:
            wanted = naming.param_name(type_ref.name)
        else:
            wanted = "body"
        example_value: Any = media_object.get("example")
        if example_value is None and isinstance(media_object.get("examples"), dict) and media_object["examples"]:
            first = next(iter(media_object["examples"].values()))
            example_value = first.get("value") if isinstance(first, dict) else None
        if example_value is None:
            example_value = self.schemas.example(schema, schema_where, 0)
        return Body(
            python_name=names.allocate(wanted),
            type=type_ref,
            required=bool(body.get("required")),
            content_types=tuple(offered),
            description=_text(body.get("description")),
            example=json.dumps(example_value, ensure_ascii=False),
            encoding=self._encoding(media_object.get("encoding"), join(media_where, "encoding"), category),
        )

    def _is_object_type(self, ref: TypeRef) -> bool:
        return (ref.kind == "model" and not ref.is_enum) or ref.kind in ("dict", "any")

    def _encoding(self, encoding: Any, where: str, category: str) -> Tuple[PartEncoding, ...]:
        if not isinstance(encoding, dict) or category not in ("form", "multipart"):
            return ()
        result: List[PartEncoding] = []
        for name in sorted(encoding):
            entry = encoding[name]
            if not isinstance(entry, dict):
                continue
            content_type = entry.get("contentType")
            part_type = content_type.split(",")[0].strip() if isinstance(content_type, str) else ""
            style = entry.get("style", "")
            if style not in ("", "form", "spaceDelimited", "pipeDelimited"):
                self.diagnostics.error(join(where, name, "style"), f"style {style!r} is not supported in a body")
                style = ""
            explode = entry.get("explode")
            explode = explode if isinstance(explode, bool) else None
            if part_type or style or explode is not None:
                result.append(PartEncoding(name, part_type, style if style != "form" else "", explode))
        return tuple(result)

    # ------------------------------------------------------------------------------------ responses

    def _responses(self, raw: Dict[str, Any], where: str, context: str) -> Tuple[Response, ...]:
        responses = raw.get("responses")
        if not isinstance(responses, dict) or not responses:
            self.diagnostics.warning(join(where, "responses"), "operation declares no responses")
            return ()
        result: List[Response] = []
        for status in sorted(responses, key=lambda key: key.upper()):
            status_key = status.upper() if status.lower() != "default" else "default"
            response_where = join(where, "responses", status)
            response, response_where = self.spec.deref(responses[status], response_where)
            if not isinstance(response, dict):
                self.diagnostics.error(response_where, "response must be a mapping")
                continue
            content: Dict[str, Any] = response["content"] if isinstance(response.get("content"), dict) else {}
            media_types = _ordered_media(content)
            type_ref: Optional[TypeRef] = None
            decoded = [media for media in media_types if media != _STREAM_MEDIA]
            if decoded:
                media = decoded[0]
                category = _category(media)
                if category == "json":
                    schema = _media_schema(content, media)
                    suffix = "Default" if status_key == "default" else status_key
                    type_ref = self.schemas.type_of(
                        schema, join(response_where, "content", media, "schema"), f"{context}{suffix}Response"
                    )
                    if type_ref.kind == "file":
                        type_ref = TypeRef("bytes", nullable=type_ref.nullable)
                else:
                    type_ref = TypeRef("str") if category == "text" else TypeRef("bytes")
            headers: Dict[str, Any] = response["headers"] if isinstance(response.get("headers"), dict) else {}
            result.append(
                Response(
                    status=status_key,
                    description=_text(response.get("description")),
                    type=type_ref,
                    media_types=tuple(media_types),
                    headers=tuple(headers),
                )
            )
        return tuple(result)

    def _stream(
        self, raw: Dict[str, Any], where: str, context: str, body: Optional[Body], accepts: List[str]
    ) -> Optional[StreamInfo]:
        responses: Dict[str, Any] = raw["responses"] if isinstance(raw.get("responses"), dict) else {}
        for status in sorted(responses):
            if not status.startswith("2"):
                continue
            response, response_where = self.spec.deref(responses[status], join(where, "responses", status))
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or _STREAM_MEDIA not in content:
                continue
            media = content[_STREAM_MEDIA] if isinstance(content[_STREAM_MEDIA], dict) else {}
            schema, schema_where = self._event_data(
                media.get("schema"), join(response_where, "content", _STREAM_MEDIA, "schema")
            )
            chunk = self.schemas.type_of(schema, schema_where, f"{context}StreamChunk")
            sentinel = media.get(_SENTINEL_KEY)
            if sentinel is not None and not isinstance(sentinel, str):
                self.diagnostics.error(
                    join(response_where, "content", _STREAM_MEDIA, _SENTINEL_KEY), "the sentinel must be a string"
                )
                sentinel = None
            flag = self._stream_flag(raw, where, body) or ("", "")
            always = accepts == [_STREAM_MEDIA]  # nothing but a stream: the plain method returns the Stream
            return StreamInfo(flag=flag[0], flag_wire=flag[1], chunk=chunk, always=always, sentinel=sentinel)
        return None

    def _event_data(self, schema: Any, where: str) -> Tuple[Any, str]:
        """The schema of one event's data: ``schema`` itself, or the ``data`` schema when ``schema``
        describes the whole event (an object whose properties are among data/event/id/retry)."""
        target, target_where = self.spec.deref(schema, where)
        if not isinstance(target, dict):
            return schema, where
        properties = target.get("properties")
        if (
            isinstance(properties, dict)
            and "data" in properties
            and set(properties) <= _ENVELOPE
            and not target.get("additionalProperties")
            and not any(key in target for key in ("allOf", "oneOf", "anyOf"))
        ):
            return properties["data"], join(target_where, "properties", "data")
        return schema, where

    def _stream_flag(self, raw: Dict[str, Any], where: str, body: Optional[Body]) -> Optional[Tuple[str, str]]:
        """(Python, wire) name of the body property that asks for a stream; ``None`` when nothing in the
        body does (the ``Accept`` header asks)."""
        model = self._body_model(body)
        fields = {item.name: item.python_name for item in model.fields} if model is not None else {}
        flag = raw.get("x-stream-flag")
        if isinstance(flag, str):
            if flag in fields:
                return fields[flag], flag
            self.diagnostics.error(join(where, "x-stream-flag"), f"the body has no property {flag!r}")
            return None
        kinds = {item.name: item.type for item in model.fields} if model is not None else {}
        for guess in ("stream", "streaming"):
            if guess in fields and _is_bool(kinds[guess]):
                return fields[guess], guess
        return None

    def _body_model(self, body: Optional[Body]) -> Optional[Model]:
        if body is None or body.type.kind != "model" or body.type.is_enum:
            return None
        return self.schemas.models.get(body.type.name)

    # ------------------------------------------------------------------------------------- security

    def _auth(self, raw: Dict[str, Any], where: str) -> Tuple[Auth, ...]:
        if "security" in raw:
            requirements, requirements_where = raw["security"], join(where, "security")
        else:
            requirements, requirements_where = self.doc.get("security"), pointer("security")
        if not isinstance(requirements, list):
            return ()
        schemes = (self.doc.get("components") or {}).get("securitySchemes") or {}
        result: List[Auth] = []
        seen: Set[str] = set()
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name in seen:
                    continue
                seen.add(name)
                requirement_where = join(requirements_where, index, name)
                if name not in schemes:
                    self.diagnostics.error(requirement_where, f"unknown security scheme {name!r}")
                    continue
                scheme, scheme_where = self.spec.deref(schemes[name], pointer("components", "securitySchemes", name))
                auth = self._auth_spec(name, scheme, scheme_where)
                if auth is not None:
                    result.append(auth)
        return tuple(result)

    def _auth_spec(self, name: str, scheme: Any, where: str) -> Optional[Auth]:
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        if kind == "http":
            http = str(scheme.get("scheme", "")).lower()
            if http in ("bearer", "basic"):
                return Auth(name, "http", http, "header", "Authorization")
            self.diagnostics.error(
                join(where, "scheme"),
                f"http scheme {http!r} is not supported (bearer, basic); send the header with _headers instead",
            )
            return None
        if kind == "apiKey":
            location = scheme.get("in")
            key = scheme.get("name")
            if location in ("header", "query", "cookie") and isinstance(key, str):
                return Auth(name, "apiKey", None, location, key)
            self.diagnostics.error(where, "apiKey scheme needs in (header, query or cookie) and name")
            return None
        if kind in ("oauth2", "openIdConnect"):
            return Auth(name, kind, "bearer", "header", "Authorization")
        if kind == "mutualTLS":
            self.diagnostics.warning(where, "mutualTLS: give the client certificate with Configuration.cert_file")
            return None
        self.diagnostics.error(join(where, "type"), f"unknown security scheme type {kind!r}")
        return None

    # -------------------------------------------------------------------------------------- servers

    def _servers(self, servers: Any, where: str) -> Tuple[Server, ...]:
        if not isinstance(servers, list):
            return ()
        result: List[Server] = []
        for index, server in enumerate(servers):
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                self.diagnostics.warning(join(where, index), "server needs a url; ignored")
                continue
            variables: List[ServerVariable] = []
            declared = server.get("variables")
            if declared is not None and not isinstance(declared, dict):
                self.diagnostics.error(join(where, index, "variables"), "server variables must be a mapping")
                continue
            for var_name, variable in (declared or {}).items():
                if not isinstance(variable, dict) or "default" not in variable:
                    self.diagnostics.error(join(where, index, "variables", var_name), "server variable needs a default")
                    continue
                enum = variable.get("enum")
                variables.append(
                    ServerVariable(
                        name=var_name,
                        default=str(variable["default"]),
                        enum=tuple(str(value) for value in enum) if isinstance(enum, list) else (),
                        description=_text(variable.get("description")),
                    )
                )
            result.append(Server(server["url"], _text(server.get("description")), tuple(variables)))
        return tuple(result)


def _is_bool(ref: TypeRef) -> bool:
    """A boolean, or a union of a boolean and null."""
    if ref.kind == "union":
        return all(_is_bool(arg) or arg.kind == "null" for arg in ref.args)
    return ref.kind == "bool"


def parse(spec: Spec, diagnostics: Diagnostics) -> Document:
    """Build the semantic IR of ``spec``; problems go to ``diagnostics``."""
    return _Parser(spec, diagnostics).parse()


def success_type(operation: Operation) -> Optional[TypeRef]:
    """The type the plain method returns (without streaming): the union of the 2xx content types."""
    if not operation.success:
        return None
    return make_union(list(operation.success), False)
