"""A small validator for the subset of JSON Schema that openapi.yaml uses.

It reports problems the way a FastAPI server does in a ``422`` answer: one
entry per problem, each with ``loc`` (starting with ``"body"``), ``msg`` and
``type`` (pydantic's error type names), so that clients see the same
``HTTPValidationError`` bodies from the local server as from the real API.

Supported keywords: ``$ref`` (local, ``#/components/schemas/<Name>``),
``anyOf``, ``type`` (a name or a list of names), ``enum``, ``minimum``,
``maximum``, ``minLength``, ``maxLength``, ``pattern``, ``minItems``,
``maxItems``, ``items``, ``properties``, ``required`` and
``additionalProperties`` (a schema or a boolean).
"""

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence, Tuple, Union

Loc = Tuple[Union[str, int], ...]

_REF_PREFIX = "#/components/schemas/"

# JSON type name -> (pydantic error type, message)
_TYPE_ERRORS: Dict[str, Tuple[str, str]] = {
    "string": ("string_type", "Input should be a valid string"),
    "number": ("float_type", "Input should be a valid number"),
    "integer": ("int_type", "Input should be a valid integer"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "null": ("none_required", "Input should be None"),
}


@dataclass(frozen=True)
class Problem:
    """One validation problem, as one entry of ``HTTPValidationError.detail``."""

    loc: Loc
    msg: str
    type: str

    def to_dict(self) -> Dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


def validate(
    instance: Any, schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], loc: Loc
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
        error_type, msg = _TYPE_ERRORS.get(first, ("type_error", "Input has the wrong type"))
        return [Problem(loc, msg, error_type)]
    if instance is None:
        return []
    if "enum" in schema and instance not in schema["enum"]:
        return [Problem(loc, "Input should be " + _or_list(schema["enum"]), "enum")]
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
    # Report the problems of the first branch of the right JSON type (e.g. a list of five
    # stop sequences is "too long", not "not a string"); otherwise one union error.
    for index, branch in enumerate(branches):
        if _type_matches(instance, branch, schemas):
            return results[index]
    return [Problem(loc, "Input does not match any of the allowed types", "union_type")]


def _validate_string(value: str, schema: Mapping[str, Any], loc: Loc) -> List[Problem]:
    problems: List[Problem] = []
    min_length = schema.get("minLength")
    if min_length is not None and len(value) < min_length:
        unit = "character" if min_length == 1 else "characters"
        problems.append(Problem(loc, f"String should have at least {min_length} {unit}", "string_too_short"))
    max_length = schema.get("maxLength")
    if max_length is not None and len(value) > max_length:
        unit = "character" if max_length == 1 else "characters"
        problems.append(Problem(loc, f"String should have at most {max_length} {unit}", "string_too_long"))
    pattern = schema.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        problems.append(Problem(loc, f"String should match pattern '{pattern}'", "string_pattern_mismatch"))
    return problems


def _validate_number(value: Union[int, float], schema: Mapping[str, Any], loc: Loc) -> List[Problem]:
    minimum = schema.get("minimum")
    if minimum is not None and value < minimum:
        return [Problem(loc, f"Input should be greater than or equal to {minimum}", "greater_than_equal")]
    maximum = schema.get("maximum")
    if maximum is not None and value > maximum:
        return [Problem(loc, f"Input should be less than or equal to {maximum}", "less_than_equal")]
    return []


def _validate_array(
    value: List[Any], schema: Mapping[str, Any], schemas: Mapping[str, Mapping[str, Any]], loc: Loc
) -> List[Problem]:
    min_items = schema.get("minItems")
    if min_items is not None and len(value) < min_items:
        unit = "item" if min_items == 1 else "items"
        msg = f"List should have at least {min_items} {unit} after validation, not {len(value)}"
        return [Problem(loc, msg, "too_short")]
    max_items = schema.get("maxItems")
    if max_items is not None and len(value) > max_items:
        unit = "item" if max_items == 1 else "items"
        msg = f"List should have at most {max_items} {unit} after validation, not {len(value)}"
        return [Problem(loc, msg, "too_long")]
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
    required = set(schema.get("required", ()))
    for name in [*properties, *sorted(required - set(properties))]:
        if name not in value:
            if name in required:
                problems.append(Problem((*loc, name), "Field required", "missing"))
            continue
        if name in properties:
            problems.extend(validate(value[name], properties[name], schemas, (*loc, name)))
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            continue
        if extra is False:
            problems.append(Problem((*loc, name), "Extra inputs are not permitted", "extra_forbidden"))
        elif isinstance(extra, Mapping):
            problems.extend(validate(item, extra, schemas, (*loc, name)))
    return problems


def _or_list(values: Sequence[Any]) -> str:
    quoted = [repr(v) if isinstance(v, str) else str(v) for v in values]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
