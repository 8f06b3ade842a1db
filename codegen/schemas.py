"""Schemas -> :class:`TypeRef` s and named definitions (models, enums, aliases).

- ``#/components/schemas/X`` is a class reference when ``X`` is an object (a model) or a string/integer
  enum; any other named schema (a union, array, scalar) is a type alias, expanded where it is used (so
  aliases never take part in import cycles) and also written as its own module for users.
- Inline object schemas and inline enums get a class named after their place: ``<Parent><Property>``,
  ``<Parent><Property>Inner`` for array items, ``...Value`` for map values, ``...OneOf1`` for union
  members; a name already taken gets a number.
- ``allOf`` merges the members' properties (and required lists) into one model; ``oneOf``/``anyOf``
  become ``Union[...]``; a ``null`` type or member makes the type ``Optional``.
- A ``oneOf``/``anyOf`` with a ``discriminator`` whose members are all models that have the property
  becomes a discriminated union (the property's value picks the member, by ``mapping`` or by schema
  name); otherwise the discriminator is reported and the union is a plain one.
- ``format: binary`` (or a 3.1 ``contentMediaType`` without ``contentEncoding``) is a file input;
  ``const`` is a ``Literal``; ``readOnly``/``writeOnly`` properties are never required (one model
  serves both directions).
"""

import json
import re
from typing import Any, Dict, FrozenSet, Iterable, List, Set, Tuple

from codegen import naming
from codegen.diagnostics import Diagnostics, join, pointer, unescape
from codegen.ir import AliasDef, EnumDef, EnumMember, Field, Model, TypeRef
from codegen.load import Spec
from codegen.pyfmt import py_literal, py_str

__all__ = ["SchemaRegistry", "make_union", "models_in", "type_text"]

_COMPONENT = re.compile(r"^#/components/schemas/([^/]+)$")
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "null"}
_MAX_EXAMPLE_DEPTH = 4
_REF_ONLY = frozenset({"$ref", "description", "title", "summary", "deprecated", "example", "examples"})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class SchemaRegistry:
    """Converts schemas and collects the named definitions they need."""

    def __init__(self, spec: Spec, diagnostics: Diagnostics, reserved: Iterable[str]) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        components = spec.document.get("components") or {}
        self.components: Dict[str, Any] = components.get("schemas") or {}
        self.class_names = naming.NameAllocator(reserved, separator="")
        self.module_names = naming.NameAllocator(("__init__",), separator="_", casefold=True)
        self.models: Dict[str, Model] = {}
        self.enums: Dict[str, EnumDef] = {}
        self.aliases: Dict[str, AliasDef] = {}
        self._component_ref: Dict[str, TypeRef] = {}  # schema name -> class TypeRef (models, enums)
        self._alias_names: Dict[str, Tuple[str, str]] = {}  # schema name -> (name, module)
        self._alias_types: Dict[str, TypeRef] = {}
        self._expanding: Set[str] = set()
        self._inline: Dict[str, TypeRef] = {}  # pointer -> TypeRef of an inline class
        self._building: Set[str] = set()
        self._register_components()

    # ------------------------------------------------------------------------------------ components

    def _register_components(self) -> None:
        for schema_name in sorted(self.components):
            schema = self.components[schema_name]
            where = pointer("components", "schemas", schema_name)
            wanted = naming.pascal_case(schema_name)
            class_name = self.class_names.allocate(wanted)
            if class_name != wanted:
                self.diagnostics.warning(where, f"class name {wanted} is taken; using {class_name}")
            module = self._module_for(class_name, where)
            kind = self._kind(schema, set())
            if kind == "alias":
                self._alias_names[schema_name] = (class_name, module)
            else:
                self._component_ref[schema_name] = TypeRef("model", class_name, module, is_enum=kind == "enum")

    def _module_for(self, class_name: str, where: str) -> str:
        wanted = naming.module_name(class_name)
        module = self.module_names.allocate(wanted)
        if module != wanted:
            self.diagnostics.warning(where, f"module name {wanted} is taken; using {module}")
        return module

    def build_components(self) -> None:
        """Build every component schema (in name order) into a model, enum or alias."""
        for schema_name in sorted(self.components):
            self.component_type(schema_name)
            if schema_name in self._alias_names and schema_name not in self.aliases:
                name, module = self._alias_names[schema_name]
                where = pointer("components", "schemas", schema_name)
                schema = self.components[schema_name]
                target = self._alias_type(schema_name)
                self.aliases[name] = AliasDef(
                    name=name,
                    module=module,
                    pointer=where,
                    description=_text(schema.get("description") if isinstance(schema, dict) else ""),
                    type=TypeRef(**{**target.__dict__, "alias": ""}),
                    deprecated=bool(isinstance(schema, dict) and schema.get("deprecated")),
                )

    def _kind(self, schema: Any, seen: Set[str]) -> str:
        """``model``, ``enum`` or ``alias`` for a component schema."""
        if not isinstance(schema, dict):
            return "alias"
        if "$ref" in schema and set(schema) <= _REF_ONLY:
            return "alias"  # another name for the schema it points at: the same class
        enum = schema.get("enum")
        if isinstance(enum, list):
            return "enum" if self._enum_base(enum) else "alias"
        return "model" if self._is_object(schema, seen) else "alias"

    def _is_object(self, schema: Any, seen: Set[str]) -> bool:
        """An object with declared properties, or an ``allOf`` of such: it becomes a class."""
        if not isinstance(schema, dict):
            return False
        if "$ref" in schema:
            match = _COMPONENT.match(schema["$ref"])
            if match is None:
                return self._is_object(self.spec.deref(schema, "#")[0], seen)
            name = unescape(match.group(1))
            if name in seen:
                return True
            return self._is_object(self.components.get(name), seen | {name})
        if isinstance(schema.get("properties"), dict):
            return True
        members = schema.get("allOf")
        if isinstance(members, list) and members:
            return any(self._is_object(member, seen) for member in members)
        return False

    @staticmethod
    def _enum_base(values: List[Any]) -> str:
        present = [value for value in values if value is not None]
        if present and all(isinstance(value, str) for value in present):
            return "str"
        if present and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
            return "int"
        return ""

    def component_type(self, schema_name: str) -> TypeRef:
        """The type a ``$ref`` to ``#/components/schemas/<schema_name>`` stands for (building it)."""
        if schema_name in self._alias_names:
            return self._alias_type(schema_name)
        ref = self._component_ref[schema_name]
        if ref.name not in self.models and ref.name not in self.enums and ref.name not in self._building:
            schema = self.components[schema_name]
            where = pointer("components", "schemas", schema_name)
            if ref.is_enum:
                self._build_enum(schema, where, ref.name, ref.module)
            else:
                self._build_model(schema, where, ref.name, ref.module)
        return ref

    def _alias_type(self, schema_name: str) -> TypeRef:
        if schema_name in self._alias_types:
            return self._alias_types[schema_name]
        where = pointer("components", "schemas", schema_name)
        if schema_name in self._expanding:
            self.diagnostics.warning(where, "type alias refers to itself; typed as Any there")
            return TypeRef("any")
        self._expanding.add(schema_name)
        try:
            name = self._alias_names[schema_name][0]
            target = self.type_of(self.components[schema_name], where, name)
        finally:
            self._expanding.discard(schema_name)
        result = TypeRef(**{**target.__dict__, "alias": name})
        self._alias_types[schema_name] = result
        return result

    # -------------------------------------------------------------------------------------- types

    def type_of(self, schema: Any, where: str, context: str) -> TypeRef:
        """The Python type of ``schema`` found at ``where``; inline classes are named from ``context``."""
        if schema is True or schema is None or schema == {}:
            return TypeRef("any")
        if not isinstance(schema, dict):
            self.diagnostics.warning(where, "schema is not an object; typed as Any")
            return TypeRef("any")
        if "$ref" in schema:
            return self._ref(schema["$ref"], where)
        if isinstance(schema.get("enum"), list):
            return self._enum_type(schema, where, context)
        if "const" in schema:
            return self._const(schema["const"], where)
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            return self._all_of(schema, where, context)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key] and "properties" not in schema:
                return self._union(schema, key, where, context)
        return self._typed(schema, where, context)

    def _ref(self, ref: str, where: str) -> TypeRef:
        match = _COMPONENT.match(ref)
        if match is not None:
            return self.component_type(unescape(match.group(1)))
        target, target_where = self.spec.deref({"$ref": ref}, where)
        last = unescape(target_where.rsplit("/", 1)[-1])
        return self.type_of(target, target_where, naming.pascal_case(last))

    def _all_of(self, schema: Dict[str, Any], where: str, context: str) -> TypeRef:
        members = schema["allOf"]
        if self._is_object(schema, set()):
            return self._inline_model(schema, where, context)
        if len(members) == 1:
            inner = self.type_of(members[0], join(where, "allOf", 0), context)
            return inner
        self.diagnostics.warning(where, "allOf of non-object schemas is not supported; typed as Any")
        return TypeRef("any")

    def _union(self, schema: Dict[str, Any], key: str, where: str, context: str) -> TypeRef:
        label = "OneOf" if key == "oneOf" else "AnyOf"
        members: List[TypeRef] = []
        nullable = False
        for index, member in enumerate(schema[key]):
            member_type = self.type_of(member, join(where, key, index), f"{context}{label}{index + 1}")
            if member_type.kind == "null":
                nullable = True
                continue
            nullable = nullable or member_type.nullable
            members.append(member_type)
        if isinstance(schema.get("type"), list) and "null" in schema["type"]:
            nullable = True
        result = make_union(members, nullable)
        discriminator = schema.get("discriminator")
        if discriminator is not None and result.kind == "union":
            return self._discriminated(result, schema[key], discriminator, join(where, "discriminator"))
        return result

    def _discriminated(self, union: TypeRef, members: List[Any], discriminator: Any, where: str) -> TypeRef:
        """``union`` picking its member by the discriminator property, when every member allows it."""
        prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not isinstance(prop, str) or not prop:
            self.diagnostics.error(where, "discriminator needs a propertyName")
            return union
        by_schema: Dict[str, TypeRef] = {}
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            match = _COMPONENT.match(ref) if isinstance(ref, str) else None
            if member == {"type": "null"}:
                continue
            if match is None or len(member) != 1:
                self.diagnostics.warning(where, "discriminator ignored: every member must be a $ref to a schema")
                return union
            by_schema[unescape(match.group(1))] = self.component_type(unescape(match.group(1)))
        attribute = ""
        for schema_name, ref in by_schema.items():
            model = self.models.get(ref.name)
            if ref.kind != "model" or ref.is_enum or (model is None and ref.name not in self._building):
                self.diagnostics.warning(where, f"discriminator ignored: {schema_name} is not an object schema")
                return union
            fields = {item.name: item.python_name for item in model.fields} if model is not None else {}
            if model is not None and prop not in fields:
                self.diagnostics.warning(where, f"discriminator ignored: {schema_name} has no property {prop!r}")
                return union
            attribute = attribute or fields.get(prop, "")
        mapping: Dict[str, str] = {}
        explicit = discriminator.get("mapping")
        for value, target in explicit.items() if isinstance(explicit, dict) else ():
            name = target.rsplit("/", 1)[-1] if isinstance(target, str) else ""
            name = unescape(name) if isinstance(target, str) and target.startswith("#") else name
            if name not in by_schema:
                self.diagnostics.warning(join(where, "mapping", value), f"{target!r} is not a member; ignored")
                continue
            mapping[str(value)] = by_schema[name].name
        for schema_name, ref in by_schema.items():
            mapping.setdefault(schema_name, ref.name)
        return TypeRef(
            **{
                **union.__dict__,
                "discriminator": (prop, attribute or naming.field_name(prop)),
                "mapping": tuple(sorted(mapping.items())),
            }
        )

    def _typed(self, schema: Dict[str, Any], where: str, context: str) -> TypeRef:
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
        nullable = "null" in types
        kinds = [kind for kind in types if kind != "null"]
        if not kinds:
            if isinstance(schema.get("properties"), dict):
                kinds = ["object"]
            elif "items" in schema:
                kinds = ["array"]
            elif nullable:
                return TypeRef("null")
            else:
                return TypeRef("any")
        if len(kinds) > 1:
            members = [self._typed({**schema, "type": kind}, where, context) for kind in kinds]
            return make_union(members, nullable)
        kind = kinds[0]
        result: TypeRef
        if kind == "object":
            result = self._object(schema, where, context)
        elif kind == "array":
            items = self.type_of(schema.get("items"), join(where, "items"), context + "Inner")
            result = TypeRef("list", args=(items,), constraints=_constraints(schema, "array"))
        elif kind == "string":
            fmt = schema.get("format")
            formats = {"date-time": "datetime", "date": "date", "binary": "file"}
            name = formats.get(fmt, "str") if isinstance(fmt, str) else "str"
            if "contentMediaType" in schema and "contentEncoding" not in schema and name == "str":
                name = "file"
            constraints = _constraints(schema, "string") if name == "str" else ()
            result = TypeRef(name, constraints=constraints)
        elif kind in ("integer", "number"):
            result = TypeRef(_SCALARS[kind], constraints=_constraints(schema, "number"))
        elif kind == "boolean":
            result = TypeRef("bool")
        else:
            self.diagnostics.warning(join(where, "type"), f"unknown type {kind!r}; typed as Any")
            result = TypeRef("any")
        return _with_nullable(result, nullable)

    def _object(self, schema: Dict[str, Any], where: str, context: str) -> TypeRef:
        if isinstance(schema.get("properties"), dict):
            return self._inline_model(schema, where, context)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            values = self.type_of(extra, join(where, "additionalProperties"), context + "Value")
            return TypeRef("dict", args=(values,))
        return TypeRef("dict", args=(TypeRef("any"),))

    def _const(self, value: Any, where: str) -> TypeRef:
        if isinstance(value, (str, int)) and not isinstance(value, float):
            return TypeRef("literal", name=py_literal(value))
        return self._scalar_of_value(value, where)

    def _scalar_of_value(self, value: Any, where: str) -> TypeRef:
        if value is None:
            return TypeRef("null")
        for python_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
            if isinstance(value, python_type):
                return TypeRef(name)
        if isinstance(value, list):
            return TypeRef("list", args=(TypeRef("any"),))
        return TypeRef("dict", args=(TypeRef("any"),))

    # ------------------------------------------------------------------------------------- enums

    def _enum_type(self, schema: Dict[str, Any], where: str, context: str) -> TypeRef:
        values = schema["enum"]
        base = self._enum_base(values)
        nullable = None in values or (isinstance(schema.get("type"), list) and "null" in schema["type"])
        if not base:
            present = [value for value in values if value is not None]
            if not present:
                return TypeRef("null")
            first = self._scalar_of_value(present[0], where)
            if any(self._scalar_of_value(value, where) != first for value in present):
                self.diagnostics.warning(join(where, "enum"), "enum of mixed types; typed as Any")
                return TypeRef("any")
            return _with_nullable(first, nullable)
        if where in self._inline:
            return _with_nullable(self._inline[where], nullable)
        name = self.class_names.allocate(naming.pascal_case(context))
        module = self._module_for(name, where)
        ref = TypeRef("model", name, module, is_enum=True)
        self._inline[where] = ref
        self._build_enum(schema, where, name, module)
        return _with_nullable(ref, nullable)

    def _build_enum(self, schema: Dict[str, Any], where: str, name: str, module: str) -> None:
        values = [value for value in schema["enum"] if value is not None]
        base = self._enum_base(values)
        members_names = naming.NameAllocator(separator="_")
        members: List[EnumMember] = []
        seen: Set[Any] = set()
        for value in values:
            if value in seen:
                continue
            seen.add(value)
            members.append(EnumMember(members_names.allocate(naming.enum_member_name(value)), py_literal(value)))
        self.enums[name] = EnumDef(
            name=name,
            module=module,
            pointer=where,
            description=_text(schema.get("description")),
            base=base,
            members=tuple(members),
            deprecated=bool(schema.get("deprecated")),
        )

    # ------------------------------------------------------------------------------------ models

    def _inline_model(self, schema: Dict[str, Any], where: str, context: str) -> TypeRef:
        nullable = isinstance(schema.get("type"), list) and "null" in schema["type"]
        if where in self._inline:
            return _with_nullable(self._inline[where], nullable)
        name = self.class_names.allocate(naming.pascal_case(context))
        module = self._module_for(name, where)
        ref = TypeRef("model", name, module)
        self._inline[where] = ref
        self._build_model(schema, where, name, module)
        return _with_nullable(ref, nullable)

    def _collect(
        self,
        schema: Any,
        where: str,
        context: str,
        sources: List[Tuple[str, Any, str, str]],
        required: Set[str],
        raw: bool = False,
    ) -> None:
        """Gather (wire name, schema, pointer, context) of every property, following ``allOf``.

        A ``$ref`` to a component model contributes that model's fields (already resolved), unless
        ``raw``: then every ``$ref`` is followed into its schema (for examples, built from raw schemas).
        """
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            target, target_where = self.spec.deref(schema, where)
            match = None if raw else _COMPONENT.match(schema["$ref"])
            if match is not None and self._kind(target, set()) == "model":
                base = self.component_type(unescape(match.group(1)))
                model = self.models.get(base.name)
                if model is None:  # the base is being built: a cycle through allOf
                    self.diagnostics.error(where, "allOf refers back to the schema being built")
                    return
                for item in model.fields:
                    sources.append((item.name, item, target_where, ""))
                    if item.required:
                        required.add(item.name)
                return
            if target is not schema:
                self._collect(target, target_where, context, sources, required, raw)
            return
        for index, member in enumerate(_list(schema.get("allOf"))):
            self._collect(member, join(where, "allOf", index), context, sources, required, raw)
        names = schema.get("required")
        if isinstance(names, list):
            required.update(name for name in names if isinstance(name, str))
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for prop_name, prop_schema in properties.items():
                sources.append((prop_name, prop_schema, join(where, "properties", prop_name), context))

    def _build_model(self, schema: Dict[str, Any], where: str, name: str, module: str) -> None:
        self._building.add(name)
        try:
            sources: List[Tuple[str, Any, str, str]] = []
            required: Set[str] = set()
            self._collect(schema, where, name, sources, required)
            merged: Dict[str, Tuple[Any, str, str]] = {}
            for wire, prop, prop_where, context in sources:
                merged[wire] = (prop, prop_where, context)
            python_names = naming.NameAllocator(separator="_")
            fields: List[Field] = []
            for wire, (prop, prop_where, context) in merged.items():
                python_name = python_names.allocate(naming.field_name(wire))
                if isinstance(prop, Field):
                    one_way = prop.read_only or prop.write_only
                    fields.append(
                        Field(
                            name=wire,
                            python_name=python_name,
                            type=prop.type,
                            required=wire in required and not one_way,
                            description=prop.description,
                            deprecated=prop.deprecated,
                            default=prop.default,
                            read_only=prop.read_only,
                            write_only=prop.write_only,
                        )
                    )
                    continue
                prop_type = self.type_of(prop, prop_where, context + naming.pascal_case(wire))
                is_dict = isinstance(prop, dict)
                default = json.dumps(prop["default"], sort_keys=True) if is_dict and "default" in prop else ""
                read_only = bool(is_dict and prop.get("readOnly") is True)
                write_only = bool(is_dict and prop.get("writeOnly") is True)
                fields.append(
                    Field(
                        name=wire,
                        python_name=python_name,
                        type=prop_type,
                        required=wire in required and not (read_only or write_only),
                        description=_text(prop.get("description")) if is_dict else "",
                        deprecated=bool(is_dict and prop.get("deprecated")),
                        default=default,
                        read_only=read_only,
                        write_only=write_only,
                    )
                )
            self.models[name] = Model(
                name=name,
                module=module,
                pointer=where,
                description=_text(schema.get("description")),
                fields=tuple(fields),
                example=json.dumps(self.example(schema, where, 0), ensure_ascii=False),
                deprecated=bool(schema.get("deprecated")),
                open=_allows_more(schema.get("additionalProperties")),
            )
        finally:
            self._building.discard(name)

    # ----------------------------------------------------------------------------------- examples

    def example(self, schema: Any, where: str, depth: int) -> Any:
        """A JSON value valid for ``schema``: its example, default or enum value, else a placeholder built
        from the required properties (nested at most a few levels)."""
        if not isinstance(schema, dict) or depth > _MAX_EXAMPLE_DEPTH:
            return None
        if "$ref" in schema:
            target, target_where = self.spec.deref(schema, where)
            return self.example(target, target_where, depth)  # a hop, not a level: the loader refuses $ref loops
        for key in ("example", "default", "const"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((value for value in enum if value is not None), None)
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list):
                for index, member in enumerate(members):
                    if isinstance(member, dict) and member.get("type") != "null":
                        return self.example(member, join(where, key, index), depth + 1)
        if self._is_object(schema, set()):
            sources: List[Tuple[str, Any, str, str]] = []
            required: Set[str] = set()
            self._collect(schema, where, "", sources, required, raw=True)
            value: Dict[str, Any] = {}
            for wire, prop, prop_where, _ in sources:
                if wire in required:
                    value[wire] = self.example(prop, prop_where, depth + 1)
            return value
        declared = schema.get("type")
        kinds = declared if isinstance(declared, list) else [declared]
        kind = next((item for item in kinds if item != "null"), None)
        if kind == "string":
            fmt = schema.get("format")
            examples = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01"}
            return examples.get(fmt, "string") if isinstance(fmt, str) else "string"
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
            base = low if isinstance(low, (int, float)) and not isinstance(low, bool) else 0
            return int(base) + (1 if "exclusiveMinimum" in schema else 0) if kind == "integer" else float(base)
        if kind == "boolean":
            return True
        if kind == "array" or "items" in schema:
            count = schema.get("minItems", 1)
            item = self.example(schema.get("items"), join(where, "items"), depth + 1)
            return [item] * (count if isinstance(count, int) and 0 < count < 4 else 1)
        if kind == "object":
            return {}
        return None


# ------------------------------------------------------------------------------------------ helpers


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


def _allows_more(additional: Any) -> bool:
    """Whether ``additionalProperties`` lets an object carry properties it does not list (``true`` or a
    schema); absent or ``false``, a property it does not list is a mistake (a typo) in a request."""
    return additional is True or (isinstance(additional, dict) and additional != {"not": {}})


def _with_nullable(ref: TypeRef, nullable: bool) -> TypeRef:
    if not nullable or ref.nullable or ref.kind in ("null", "any"):
        return ref
    return TypeRef(**{**ref.__dict__, "nullable": True})


def make_union(members: List[TypeRef], nullable: bool) -> TypeRef:
    """A union of ``members`` (flattened, duplicates removed); one member is returned as is."""
    flat: List[TypeRef] = []
    for member in members:
        flatten = member.kind == "union" and not member.constraints and not member.discriminator[0]
        parts = member.args if flatten else (member,)
        for part in parts:
            if part.kind == "null":
                nullable = True
                continue
            plain = TypeRef(**{**part.__dict__, "nullable": False, "alias": ""})
            nullable = nullable or part.nullable
            if any(TypeRef(**{**existing.__dict__, "nullable": False, "alias": ""}) == plain for existing in flat):
                continue
            flat.append(part if not part.nullable else plain)
    if any(part.kind == "any" for part in flat):
        return TypeRef("any")
    if not flat:
        return TypeRef("null") if nullable else TypeRef("any")
    if len(flat) == 1:
        return _with_nullable(flat[0], nullable)
    return TypeRef("union", args=tuple(flat), nullable=nullable)


_NUMBER_KEYS = (
    ("minimum", "ge"),
    ("exclusiveMinimum", "gt"),
    ("maximum", "le"),
    ("exclusiveMaximum", "lt"),
    ("multipleOf", "multiple_of"),
)
_STRING_KEYS = (("minLength", "min_length"), ("maxLength", "max_length"), ("pattern", "pattern"))
_ARRAY_KEYS = (("minItems", "min_length"), ("maxItems", "max_length"))


def _constraints(schema: Dict[str, Any], kind: str) -> Tuple[Tuple[str, str], ...]:
    keys = {"number": _NUMBER_KEYS, "string": _STRING_KEYS, "array": _ARRAY_KEYS}[kind]
    result: List[Tuple[str, str]] = []
    for spec_key, keyword in keys:
        value = schema.get(spec_key)
        if value is None or isinstance(value, bool):
            continue
        if keyword == "pattern":
            if isinstance(value, str):
                result.append((keyword, py_str(value)))
        elif isinstance(value, (int, float)):
            result.append((keyword, repr(value)))
    return tuple(result)


_PLAIN_NAMES: FrozenSet[str] = frozenset({"str", "int", "float", "bool", "bytes", "datetime", "date"})


def type_text(ref: TypeRef) -> str:
    """The type as the docs show it (plain names, no constraints): ``List[ChatCompletionMessage]``."""
    if ref.kind in _PLAIN_NAMES:
        text = ref.kind
    elif ref.kind == "file":
        text = "FileInput"
    elif ref.kind == "literal":
        text = f"Literal[{ref.name}]"
    elif ref.kind == "model":
        text = ref.name
    elif ref.kind == "list":
        text = f"List[{type_text(ref.args[0])}]"
    elif ref.kind == "dict":
        text = f"Dict[str, {type_text(ref.args[0])}]"
    elif ref.kind == "union":
        text = "Union[" + ", ".join(type_text(arg) for arg in ref.args) + "]"
    elif ref.kind == "null":
        text = "None"
    else:
        text = "object"
    if ref.alias:
        text = ref.alias
    return f"Optional[{text}]" if ref.nullable else text


def models_in(ref: TypeRef) -> List[TypeRef]:
    """Every class reference inside a type, in order of appearance."""
    if ref.kind == "model":
        return [ref]
    found: List[TypeRef] = []
    for arg in ref.args:
        found.extend(models_in(arg))
    return found
