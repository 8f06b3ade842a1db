"""A small validator for the subset of JSON Schema that openapi.yaml uses.

It reports problems the way the real Tachyon server (Rust, serde) words them in
its ``422`` plain-text answers: ``messages[0]: missing field `role```,
``temperature: invalid type: string "hot", expected f64``,
``tool_choice: unknown variant `sometimes`, expected `auto` or `any```. Each
problem has ``loc`` (the path of the value in the body), ``msg`` (serde's
wording) and ``type`` (a short kind such as ``missing`` or ``invalid_type``).
Object members are checked in the order the body gives them, missing fields
after, so the first problem is the one serde would stop at.

Supported keywords: ``$ref`` (local, ``#/components/schemas/<Name>``),
``anyOf``, ``type`` (a name or a list of names), ``format`` (``int32``),
``enum``, ``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``pattern``,
``minItems``, ``maxItems``, ``items``, ``properties``, ``required`` and
``additionalProperties`` (a schema or a boolean).
"""

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

Loc = Tuple[Union[str, int], ...]

_REF_PREFIX = "#/components/schemas/"
_INT32 = (-(2**31), 2**31 - 1)

# JSON type name -> what serde says it expected
_EXPECTED: Dict[str, str] = {
    "string": "a string",
    "number": "f64",
    "integer": "i64",
    "boolean": "a boolean",
    "array": "a sequence",
    "object": "a map",
    "null": "unit",
}


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (``loc``), serde's message (``msg``) and its kind (``type``)."""

    loc: Loc
    msg: str
    type: str

    @property
    def path(self) -> str:
        """``loc`` as serde_path_to_error writes it: ``messages[0].role`` (``.`` for the body itself)."""
        return render_path(self.loc)

    def to_text(self) -> str:
        """``<path>: <msg>``, or ``<msg>`` alone for a problem of the body itself (serde's error text)."""
        return f"{self.path}: {self.msg}" if self.loc else self.msg


def render_path(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "."


def describe(value: Any) -> str:
    """A JSON value as serde names it in ``invalid type``/``invalid value`` messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"string {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "sequence"
    return "map"


def validate(
    instance: Any, schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], loc: Loc = ()
) -> List[Problem]:
    """Return the problems of ``instance`` against ``schema`` (empty when it is valid).

    ``schemas`` resolves ``$ref`` names; ``loc`` is where ``instance`` sits in the request.
    """
    schema = _resolve(schema, schemas)
    if "anyOf" in schema:
        return _validate_any_of(instance, schema["anyOf"], schemas, loc)
    types = _types(schema)
    if types and not any(is_json_type(instance, t) for t in types):
        first = next((t for t in types if t != "null"), types[0])
        expected = _EXPECTED.get(first, first)
        if first == "integer" and schema.get("format") == "int32":
            expected = "i32"
        return [Problem(loc, f"invalid type: {describe(instance)}, expected {expected}", "invalid_type")]
    if instance is None:
        return []
    if "enum" in schema and instance not in schema["enum"]:
        return [Problem(loc, f"unknown variant `{instance}`, expected {_one_of(schema['enum'])}", "unknown_variant")]
    if isinstance(instance, str):
        return _validate_string(instance, schema, loc)
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        return _validate_number(instance, schema, loc)
    if isinstance(instance, list):
        return _validate_array(instance, schema, schemas, loc)
    if isinstance(instance, dict):
        return _validate_object(instance, schema, schemas, loc)
    return []


def is_json_type(value: Any, name: str) -> bool:
    """Whether ``value`` (as ``json.loads`` returns it) is of the JSON Schema type ``name``."""
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    return True


def _resolve(schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    seen = 0
    while "$ref" in schema:
        ref = str(schema["$ref"])
        if not ref.startswith(_REF_PREFIX) or seen > 32:
            raise ValueError(f"unsupported $ref {ref!r}")
        schema = schemas[ref[len(_REF_PREFIX) :]]
        seen += 1
    return schema


def _types(schema: Mapping[str, Any]) -> List[str]:
    value = schema.get("type")
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _type_matches(instance: Any, schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]]) -> bool:
    schema = _resolve(schema, schemas)
    if "anyOf" in schema:
        return any(_type_matches(instance, branch, schemas) for branch in schema["anyOf"])
    types = _types(schema)
    return not types or any(is_json_type(instance, t) for t in types)


def _validate_any_of(
    instance: Any, branches: Sequence[Mapping[str, Any]], schemas: Mapping[str, Mapping[str, Any]], loc: Loc
) -> List[Problem]:
    results = [validate(instance, branch, schemas, loc) for branch in branches]
    if any(not problems for problems in results):
        return []
    # A nullable reference (anyOf [X, null]) is serde's Option<X>: report X's problems. Otherwise report
    # the problems of the first branch of the right JSON type (a list of five stop sequences is too long),
    # or serde's untagged-enum error when no branch has the type.
    for index, branch in enumerate(branches):
        if _type_matches(instance, branch, schemas):
            return results[index]
    non_null = [b for b in branches if _types(_resolve(b, schemas)) != ["null"]]
    if len(non_null) == 1:
        return results[branches.index(non_null[0])]
    return [Problem(loc, "data did not match any variant of untagged enum", "untagged_enum")]


def _validate_string(value: str, schema: Mapping[str, Any], loc: Loc) -> List[Problem]:
    min_length = schema.get("minLength")
    if min_length is not None and len(value) < min_length:
        return [
            Problem(loc, f"invalid length {len(value)}, expected at least {min_length} characters", "invalid_length")
        ]
    max_length = schema.get("maxLength")
    if max_length is not None and len(value) > max_length:
        return [
            Problem(loc, f"invalid length {len(value)}, expected at most {max_length} characters", "invalid_length")
        ]
    pattern = schema.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        msg = f"invalid value: {describe(value)}, expected a string matching `{pattern}`"
        return [Problem(loc, msg, "invalid_value")]
    return []


def _validate_number(value: Union[int, float], schema: Mapping[str, Any], loc: Loc) -> List[Problem]:
    if schema.get("format") == "int32" and not _INT32[0] <= value <= _INT32[1]:
        return [Problem(loc, f"invalid value: {describe(value)}, expected i32", "invalid_value")]
    minimum = schema.get("minimum")
    maximum = schema.get("maximum")
    too_low = minimum is not None and value < minimum
    too_high = maximum is not None and value > maximum
    if not (too_low or too_high):
        return []
    if minimum is not None and maximum is not None:
        expected = f"a value between {minimum} and {maximum}"
    elif minimum is not None:
        expected = f"a value of at least {minimum}"
    else:
        expected = f"a value of at most {maximum}"
    return [Problem(loc, f"invalid value: {describe(value)}, expected {expected}", "invalid_value")]


def _validate_array(
    value: List[Any], schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], loc: Loc
) -> List[Problem]:
    min_items = schema.get("minItems")
    if min_items is not None and len(value) < min_items:
        return [Problem(loc, f"invalid length {len(value)}, expected at least {min_items} items", "invalid_length")]
    max_items = schema.get("maxItems")
    if max_items is not None and len(value) > max_items:
        return [Problem(loc, f"invalid length {len(value)}, expected at most {max_items} items", "invalid_length")]
    items = schema.get("items")
    problems: List[Problem] = []
    if items is not None:
        for index, item in enumerate(value):
            problems.extend(validate(item, items, schemas, (*loc, index)))
    return problems


def _validate_object(
    value: Dict[str, Any], schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], loc: Loc
) -> List[Problem]:
    problems: List[Problem] = []
    properties: Mapping[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():  # the order of the body, as serde reads it
        if name in properties:
            problems.extend(validate(item, properties[name], schemas, (*loc, name)))
        elif extra is False:
            problems.append(Problem(loc, f"unknown field `{name}`", "unknown_field"))
        elif isinstance(extra, Mapping):
            problems.extend(validate(item, extra, schemas, (*loc, name)))
    for name in schema.get("required", ()):
        if name not in value:
            problems.append(Problem(loc, f"missing field `{name}`", "missing"))
    return problems


def _one_of(values: Sequence[Any]) -> str:
    """serde's list of expected variants: `a`, `a` or `b`, one of `a`, `b`, `c`."""
    quoted = [f"`{v}`" for v in values]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} or {quoted[1]}"
    return "one of " + ", ".join(quoted)
