"""Python names for spec names: snake_case, PascalCase, UPPER_SNAKE, reserved words and collisions.

Every function here is pure and deterministic: the same spec name always gives the same Python name,
and :class:`NameAllocator` resolves collisions by order of arrival (callers feed names in spec order).
"""

import keyword
import re
from typing import Dict, FrozenSet, Iterable, Set

__all__ = [
    "BASE_MODEL_ATTRIBUTES",
    "FIELD_RESERVED",
    "PARAM_RESERVED",
    "RUNTIME_EXPORTS",
    "NameAllocator",
    "constant_name",
    "enum_member_name",
    "field_name",
    "is_identifier",
    "module_name",
    "pascal_case",
    "param_name",
    "snake_case",
]

_ACRONYM_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")

# Attributes of pydantic.BaseModel (v2, including the deprecated v1 names) and of the runtime base
# class: a field with one of these names would shadow them (pydantic warns or breaks).
BASE_MODEL_ATTRIBUTES: FrozenSet[str] = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_dict",
        "from_json",
        "from_orm",
        "is_known",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "to_dict",
        "to_json",
        "to_str",
        "update_forward_refs",
        "validate",
    }
)

# Names a generated model body uses in annotations: a field with such a name would rebind it inside the
# class body before later annotations are evaluated.
_ANNOTATION_NAMES = frozenset({"bool", "bytes", "date", "datetime", "float", "int", "str"})

FIELD_RESERVED: FrozenSet[str] = frozenset(keyword.kwlist) | BASE_MODEL_ATTRIBUTES | _ANNOTATION_NAMES

# Names an API method body uses besides its arguments (builtins inside ``cast(...)`` annotations too).
PARAM_RESERVED: FrozenSet[str] = frozenset(keyword.kwlist) | frozenset(
    {"self", "cast", "request", "response", "str", "int", "float", "bool", "bytes"}
)


def is_identifier(name: str) -> bool:
    """True for a valid Python identifier that is not a keyword."""
    return name.isidentifier() and not keyword.iskeyword(name)


def _words(name: str) -> str:
    spaced = _ACRONYM_BOUNDARY.sub(r"\1_\2", name)
    spaced = _CAMEL_BOUNDARY.sub(r"\1_\2", spaced)
    return _NON_ALNUM.sub("_", spaced).strip("_")


def snake_case(name: str) -> str:
    """``getChatCompletionsFromDeployment`` -> ``get_chat_completions_from_deployment``,
    ``APIErrorInvalidInput`` -> ``api_error_invalid_input``, ``x-operator-id`` -> ``x_operator_id``."""
    return _words(name).lower()


def pascal_case(name: str) -> str:
    """``chat`` -> ``Chat``, ``type`` -> ``Type``, ``my-model_name`` -> ``MyModelName``; an identifier that
    already starts with a capital letter is kept (``APIError`` stays ``APIError``)."""
    if name.isidentifier() and name[:1].isupper() and "_" not in name:
        result = name
    else:
        result = "".join(part[:1].upper() + part[1:] for part in _NON_ALNUM.split(name) if part)
    if not result:
        return "Model"
    if result[0].isdigit():
        return "Model" + result
    return result


def constant_name(name: str) -> str:
    """``chat_completion`` -> ``CHAT_COMPLETION`` (for module-level constants)."""
    return snake_case(name).upper() or "VALUE"


def _safe(name: str, reserved: Iterable[str], fallback: str) -> str:
    result = name.lstrip("_") or fallback
    if result[0].isdigit():
        result = fallback + "_" + result
    if result in reserved or keyword.iskeyword(result):
        result += "_"
    return result


def field_name(wire_name: str) -> str:
    """The Python attribute for a property: snake_case, with a trailing ``_`` for keywords and names that
    would shadow model attributes (``from`` -> ``from_``, ``json`` -> ``json_``, ``model_config`` ->
    ``model_config_``); a leading digit gets a ``field_`` prefix."""
    return _safe(snake_case(wire_name), FIELD_RESERVED, "field")


def param_name(wire_name: str) -> str:
    """The Python argument for a parameter or body: snake_case, keywords get a trailing ``_``."""
    return _safe(snake_case(wire_name), PARAM_RESERVED, "param")


def module_name(class_name: str) -> str:
    """The module of a generated class: snake_case, keywords get a trailing ``_`` (``Class`` -> ``class_``)."""
    return _safe(snake_case(class_name), frozenset(keyword.kwlist), "model")


def enum_member_name(value: object) -> str:
    """UPPER_SNAKE member name from an enum value: ``"tool_calls"`` -> ``TOOL_CALLS``, ``"gpt-4o"`` ->
    ``GPT_4O``, ``1`` -> ``NUMBER_1``, ``-1`` -> ``NUMBER_MINUS_1``, ``""`` -> ``EMPTY``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = str(value).replace("-", "minus_").replace(".", "_")
        return "NUMBER_" + snake_case(text).upper()
    text = str(value)
    name = snake_case(text).upper()
    if not name:
        return "EMPTY" if not text else "VALUE"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


class NameAllocator:
    """Hands out unique names: a name already taken gets ``_2``, ``_3``... (or ``2``, ``3`` with an
    empty separator), in order of arrival."""

    def __init__(self, taken: Iterable[str] = (), separator: str = "_", casefold: bool = False) -> None:
        self._separator = separator
        self._casefold = casefold
        self._taken: Set[str] = {self._key(name) for name in taken}
        self.renamed: Dict[str, str] = {}

    def _key(self, name: str) -> str:
        return name.lower() if self._casefold else name

    def reserve(self, name: str) -> None:
        """Mark ``name`` as taken without handing it out."""
        self._taken.add(self._key(name))

    def is_taken(self, name: str) -> bool:
        return self._key(name) in self._taken

    def allocate_group(self, name: str, suffixes: Iterable[str]) -> str:
        """Like :meth:`allocate`, but ``name + suffix`` must be free for every suffix too (a method and
        its variants); all of them are taken."""
        endings = ("", *suffixes)
        candidate = name
        counter = 2
        while any(self.is_taken(candidate + ending) for ending in endings):
            candidate = f"{name}{self._separator}{counter}"
            counter += 1
        for ending in endings:
            self.reserve(candidate + ending)
        if candidate != name:
            self.renamed[name] = candidate
        return candidate

    def allocate(self, name: str) -> str:
        """``name`` if free, else the first free ``name<sep>N`` for N >= 2."""
        candidate = name
        counter = 2
        while self._key(candidate) in self._taken:
            candidate = f"{name}{self._separator}{counter}"
            counter += 1
        self._taken.add(self._key(candidate))
        if candidate != name:
            self.renamed[name] = candidate
        return candidate


# The hand-written runtime's public names, exported by the generated package ``__init__`` next to the API
# classes and models: (name, runtime module). A schema or tag may not take one of these names.
RUNTIME_EXPORTS = (
    ("Configuration", "configuration"),
    ("ApiClient", "api_client"),
    ("ApiResponse", "api_response"),
    ("Stream", "streaming"),
    ("RetryPolicy", "retry"),
    ("OpenApiException", "exceptions"),
    ("ApiTypeError", "exceptions"),
    ("ApiValueError", "exceptions"),
    ("ApiValidationError", "exceptions"),
    ("ApiKeyError", "exceptions"),
    ("ApiAttributeError", "exceptions"),
    ("ApiException", "exceptions"),
    ("BadRequestException", "exceptions"),
    ("UnauthorizedException", "exceptions"),
    ("PaymentRequiredException", "exceptions"),
    ("ForbiddenException", "exceptions"),
    ("NotFoundException", "exceptions"),
    ("ConflictException", "exceptions"),
    ("UnprocessableEntityException", "exceptions"),
    ("TooManyRequestsException", "exceptions"),
    ("ServiceException", "exceptions"),
    ("ApiDecodeError", "exceptions"),
    ("ApiConnectionError", "exceptions"),
    ("ApiTimeoutError", "exceptions"),
    ("StreamError", "exceptions"),
    ("ResponseTooLargeError", "exceptions"),
)
