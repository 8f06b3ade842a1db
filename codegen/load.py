"""Read an OpenAPI document (YAML or JSON), check its local ``$ref`` s and normalise it.

- Mapping keys become strings (YAML reads ``200:`` as an integer) and YAML timestamps stay strings.
- Every ``$ref`` must be local (``#/...``) and point at something; chains of ``$ref`` that loop are
  reported, references that recurse through schemas are fine (they are models referring to models).
- OpenAPI 3.0 ``nullable: true`` becomes a 3.1 type list (``type: [string, "null"]``), or an
  ``anyOf`` with ``{type: "null"}`` when the schema has no ``type``; a 3.0 boolean
  ``exclusiveMinimum``/``exclusiveMaximum`` becomes the 3.1 number form.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple
from urllib.parse import unquote

import yaml

from codegen.diagnostics import Diagnostics, join, pointer, unescape

__all__ = ["Spec", "load", "load_text", "resolve_pointer"]

_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
_SCHEMA_SINGLE = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_DATA_KEYS = ("example", "default", "enum", "const", "value")
# maps whose keys are names chosen by the author (a property may be called "default" or "$ref")
_NAME_MAPS = ("properties", "schemas", "responses", "parameters", "headers", "securitySchemes", "paths")
_METADATA = ("description", "title", "default", "deprecated", "example", "examples", "readOnly", "writeOnly")


# libyaml's parser when PyYAML was built with it (ten times faster on a large document), else PyYAML's own
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type,unused-ignore]
    """A safe loader without the timestamp resolver: ``2024-01-01`` stays the string a spec means."""


class _PureLoader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
    """The same in pure Python: it words the diagnostic of a document that does not parse, so the message
    is the same with or without libyaml."""


_Loader.yaml_implicit_resolvers = _PureLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader
    except yaml.YAMLError:
        if _Loader.__mro__[1] is yaml.SafeLoader:
            raise
    return yaml.load(text, Loader=_PureLoader)  # fails again, with PyYAML's own wording


@dataclass(frozen=True)
class Spec:
    """A loaded document: ``document`` is the normalised tree, ``name`` the file name for banners."""

    document: Dict[str, Any]
    name: str
    sha256: str

    def resolve(self, ref: str) -> Any:
        """The node a local ``$ref`` points at (it was checked on load)."""
        return resolve_pointer(self.document, ref)

    def deref(self, node: Any, where: str) -> Tuple[Any, str]:
        """Follow ``$ref`` s from ``node`` to a node without one; returns it and its pointer."""
        seen: Set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            where = node["$ref"]
            node = resolve_pointer(self.document, where)
        return node, where


def resolve_pointer(document: Any, ref: str) -> Any:
    """Walk a URI-fragment JSON pointer (``#/components/schemas/X``); ``KeyError`` when it dangles."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    node = document
    for raw in unquote(ref[1:]).split("/")[1:]:
        token = unescape(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


def _stringify_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {(k if isinstance(k, str) else _key_text(k)): _stringify_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify_keys(item) for item in node]
    return node


def _key_text(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _check_refs(document: Any, diagnostics: Diagnostics) -> None:
    """Every ``$ref`` local and resolvable; no chain of bare ``$ref`` s that loops."""
    stack: List[Tuple[Any, str, str]] = [(document, "#", "")]
    while stack:
        node, where, parent = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if "$ref" in node and parent not in _NAME_MAPS:
                _check_ref(document, ref, where, diagnostics)
            for key in sorted(node, reverse=True):
                if parent not in _NAME_MAPS and (key in _DATA_KEYS or key.startswith("x-") or key == "$ref"):
                    continue  # literal data (examples, defaults) may hold anything, even a "$ref" key
                stack.append((node[key], join(where, key), key))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                stack.append((node[index], join(where, index), ""))


def _check_ref(document: Any, ref: Any, where: str, diagnostics: Diagnostics) -> None:
    if not isinstance(ref, str):
        diagnostics.error(join(where, "$ref"), "$ref must be a string")
        return
    if not ref.startswith("#"):
        diagnostics.error(join(where, "$ref"), f"only local references are supported, not {ref!r}")
        return
    seen = [ref]
    target: Any = None
    current = ref
    while True:
        try:
            target = resolve_pointer(document, current)
        except KeyError:
            diagnostics.error(join(where, "$ref"), f"dangling $ref {current!r}: nothing at that pointer")
            return
        nxt = target.get("$ref") if isinstance(target, dict) else None
        if not isinstance(nxt, str) or not nxt.startswith("#"):
            return
        if nxt in seen:
            diagnostics.error(join(where, "$ref"), "circular $ref chain: " + " -> ".join([*seen, nxt]))
            return
        seen.append(nxt)
        current = nxt


def _normalise_schema(schema: Any) -> None:
    """Normalise one schema in place and recurse into its sub-schemas."""
    if not isinstance(schema, dict):
        return
    for name in _SCHEMA_LISTS:
        items = schema.get(name)
        for item in items if isinstance(items, list) else ():
            _normalise_schema(item)
    for name in _SCHEMA_SINGLE:
        _normalise_schema(schema.get(name))
    for name in _SCHEMA_MAPS:
        children = schema.get(name)
        if isinstance(children, dict):
            for child in children.values():
                _normalise_schema(child)
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(bound)
        if isinstance(flag, bool):
            if flag and limit in schema:
                schema[bound] = schema.pop(limit)
            else:
                del schema[bound]
    if "nullable" not in schema:
        return
    nullable = schema.pop("nullable")
    if nullable is not True:
        return
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            kind.append("null")
    else:
        inner = {key: value for key, value in schema.items() if key not in _METADATA}
        for key in list(inner):
            del schema[key]
        schema["anyOf"] = [inner, {"type": "null"}]
        return
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"].append(None)


def _normalise(document: Dict[str, Any]) -> None:
    """Find the schemas of the document (components, parameters, media types, headers) and normalise."""
    components = document.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        for schema in components["schemas"].values():
            _normalise_schema(schema)
    stack: List[Any] = [document.get("paths"), components, document.get("webhooks")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "schema" and isinstance(value, dict):
                    _normalise_schema(value)
                elif key != "schemas" and not key.startswith("x-"):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def load_text(text: str, name: str, diagnostics: Diagnostics) -> Optional[Spec]:
    """Parse and check a document given as text; ``None`` (and errors in ``diagnostics``) when unusable."""
    try:
        if name.endswith(".json"):
            raw = json.loads(text)
        else:
            raw = _parse_yaml(text)
    except json.JSONDecodeError as exc:
        diagnostics.error("#", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        diagnostics.error("#", f"invalid YAML{where}: {problem}")
        return None
    if not isinstance(raw, dict):
        diagnostics.error("#", "the document must be a mapping (an OpenAPI object)")
        return None
    document: Dict[str, Any] = _stringify_keys(raw)
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        diagnostics.error(pointer("openapi"), f"expected an OpenAPI 3.x document, got openapi: {version!r}")
        return None
    if not isinstance(document.get("paths", {}), dict):
        diagnostics.error(pointer("paths"), "paths must be a mapping")
        return None
    for key in ("components", "tags", "servers", "security", "info"):
        expected = list if key in ("tags", "servers", "security") else dict
        if key in document and not isinstance(document[key], expected):
            diagnostics.error(pointer(key), f"{key} must be a {'list' if expected is list else 'mapping'}")
    components = document.get("components")
    for key, value in components.items() if isinstance(components, dict) else ():
        if not key.startswith("x-") and not isinstance(value, dict):
            diagnostics.error(pointer("components", key), f"components/{key} must be a mapping")
    if diagnostics.has_errors:
        return None
    _check_refs(document, diagnostics)
    if diagnostics.has_errors:
        return None
    _normalise(document)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Spec(document=document, name=name, sha256=digest)


def load(path: Path, diagnostics: Diagnostics) -> Optional[Spec]:
    """Read and check the spec file at ``path``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error("#", f"cannot read {path}: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diagnostics.error("#", f"{path.name} is not UTF-8 text: {exc.reason} at byte {exc.start}")
        return None
    spec = load_text(text, path.name, diagnostics)
    if spec is not None:
        # hash the exact bytes so a change of line endings is a change too
        spec = Spec(document=spec.document, name=spec.name, sha256=hashlib.sha256(data).hexdigest())
    return spec
