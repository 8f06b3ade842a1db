"""Behaviour shared by every generated model, written once.

A generated model module holds only fields; it inherits from :class:`BaseModel`:

- unknown fields the server adds later are kept (``extra="allow"``) and sent back unchanged;
- ``to_dict``/``to_json`` give the wire form (aliases, only the fields that were set);
- ``from_dict``/``from_json`` validate;
- ``repr`` (and so ``pprint`` and IPython) shows every field, one per line when the model is big;
- a bool given for a number field (``max_tokens=True``) is refused when a model is built from Python
  values (pydantic would take it as ``1``); JSON answers are read as pydantic reads them;
- NaN and infinities are written as the JSON-invalid tokens ``NaN``/``Infinity`` instead of a silent
  ``null``, so that a request body holding one is refused before sending (``_request``).

:class:`OpenStrEnum` and :class:`OpenIntEnum` are enums that accept values added to the spec later:
an unknown value becomes a pseudo-member equal to the raw value, which serializes back to it.
"""

import pprint
import typing
from enum import Enum
from functools import cache, lru_cache
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Mapping, Tuple, Union

import pydantic
from pydantic import ConfigDict
from pydantic_core import InitErrorDetails, PydanticCustomError
from typing_extensions import Self

from ._constants import REPR_WIDTH

__all__ = [
    "NOT_NULL",
    "REQUEST_CONTEXT",
    "BaseModel",
    "OpenIntEnum",
    "OpenStrEnum",
    "explicit_null",
    "json_validator",
    "refuse_bool_numbers",
    "type_adapter",
]

_INDENT = "    "


_REQUEST_KEY = "tachyon_sdk.request"
#: Validation context of a request body: :data:`NOT_NULL` fields refuse an explicit ``None`` there.
REQUEST_CONTEXT: Mapping[str, Any] = {_REQUEST_KEY: True}


def _refuse_null_in_requests(value: Any, info: pydantic.ValidationInfo) -> Any:
    if value is None and info.context is not None and info.context.get(_REQUEST_KEY):
        raise ValueError("null is not allowed here (the spec does not make it nullable): leave the field unset")
    return value


#: Marks an optional field the spec does not make nullable (``Annotated[Optional[T], NOT_NULL]``).
#: Reading it gives ``None`` when unset; in a request body an explicit ``None`` is refused before
#: sending, while answers stay lenient (a server's stray ``null`` still decodes).
NOT_NULL = pydantic.AfterValidator(_refuse_null_in_requests)


class BaseModel(pydantic.BaseModel):
    """Base class of every generated model."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        validate_assignment=True,
        protected_namespaces=(),
        defer_build=True,
        ser_json_inf_nan="constants",
    )

    def __init__(self, /, **data: Any) -> None:
        """Build from field values; a bool given for a number field is refused (pydantic would take
        ``True`` as ``1``). JSON answers never pass here, so they are read as pydantic reads them."""
        super().__init__(**data)
        if data:
            refuse_bool_numbers(self, data)

    # Only a call of the class runs this check: pydantic builds the models of a validated value
    # (a JSON answer, a stream chunk) without calling ``__init__``, as for its own.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        if type(value) is bool and name in _number_keys(type(self)):
            refuse_bool_numbers(self, {name: value})
        super().__setattr__(name, value)

    def to_dict(self) -> Dict[str, Any]:
        """The JSON-ready dict sent on the wire: aliases as keys, only fields that were set."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")

    def to_json(self) -> str:
        """The JSON text sent on the wire (see :meth:`to_dict`)."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)

    @classmethod
    def from_dict(cls, obj: Union[Mapping[str, Any], Self]) -> Self:
        """Validate a dict (wire or Python names) into a model; a model of this class is returned as is.

        :raises pydantic.ValidationError: naming each invalid field.
        """
        if isinstance(obj, cls):
            return obj
        return cls.model_validate(obj)

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """Validate JSON text into a model.

        :raises pydantic.ValidationError: invalid JSON or a field that does not match.
        """
        return cls.model_validate_json(json_str)

    def to_str(self) -> str:
        """The wire dict, pretty-printed."""
        return pprint.pformat(self.to_dict())

    def __repr__(self) -> str:
        return _format(self, 0)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: the same text as ``repr``."""
        printer.text(f"{type(self).__name__}(...)" if cycle else repr(self))


def _fields(model: pydantic.BaseModel) -> Iterator[Tuple[str, Any]]:
    """Every declared field (set or not), then the unknown fields the server sent."""
    for name in type(model).model_fields:
        yield name, getattr(model, name, None)
    extra = model.__pydantic_extra__
    if extra:
        yield from extra.items()


def _inline(value: Any) -> str:
    if isinstance(value, pydantic.BaseModel):
        inner = ", ".join(f"{name}={_inline(item)}" for name, item in _fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, list):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_inline(item) for item in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_inline(item)}" for key, item in value.items()) + "}"
    return repr(value)


def _format(value: Any, level: int) -> str:
    """``repr`` of a value on one line when it fits, else one field (or item) per line, indented."""
    text = _inline(value)
    if len(text) + len(_INDENT) * level <= REPR_WIDTH:
        return text
    pad = _INDENT * (level + 1)
    lines: List[str]
    if isinstance(value, pydantic.BaseModel):
        lines = [f"{pad}{name}={_format(item, level + 1)}," for name, item in _fields(value)]
        opening, closing = f"{type(value).__name__}(", ")"
    elif isinstance(value, (list, tuple)):
        lines = [f"{pad}{_format(item, level + 1)}," for item in value]
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
    elif isinstance(value, dict):
        lines = [f"{pad}{key!r}: {_format(item, level + 1)}," for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        return text
    if not lines:
        return text
    return "\n".join([opening, *lines, _INDENT * level + closing])


class _OpenEnumMixin:
    """What open enums share: whether a member is known, and str/hash of its raw value."""

    _value_: Any
    value: Any
    _value2member_map_: Dict[Any, Any]

    @property
    def is_known(self) -> bool:
        """``False`` for a value the spec did not list when the SDK was generated."""
        return type(self)._value2member_map_.get(self._value_) is self

    def __str__(self) -> str:
        return str(self.value)

    def __hash__(self) -> int:
        return hash(self.value)


class OpenStrEnum(_OpenEnumMixin, str, Enum):
    """A string enum that keeps values it does not know.

    ``MessageRole("developer")`` gives a pseudo-member named ``UNKNOWN`` whose value is
    ``"developer"``; it equals ``"developer"``, hashes like it and serializes back to it.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member


class OpenIntEnum(_OpenEnumMixin, int, Enum):
    """An integer enum that keeps values it does not know (see :class:`OpenStrEnum`)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member


@lru_cache(maxsize=256)
def type_adapter(target: Any) -> "pydantic.TypeAdapter[Any]":
    """A (cached) ``TypeAdapter`` for a type that is not a model class, e.g. ``List[str]``."""
    return pydantic.TypeAdapter(target)


def json_validator(target: Any) -> Callable[[Union[str, bytes]], Any]:
    """The JSON validator of a model class, a ``TypeAdapter`` or any other type.

    Used for response bodies and stream chunks alike; it raises ``pydantic.ValidationError`` (a
    ``ValueError``) for invalid JSON and for JSON that does not match.
    """
    if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
        return target.model_validate_json
    if isinstance(target, pydantic.TypeAdapter):
        return target.validate_json
    return type_adapter(target).validate_json


def refuse_bool_numbers(model: pydantic.BaseModel, raw: Mapping[str, Any]) -> None:
    """Compare a validated model with the Python values it was built from: a bool given for a number
    field (in it or in a model inside it) raises ``pydantic.ValidationError``.

    Done after validation, along the input, so that validating JSON answers (stream chunks) costs
    nothing more.
    """
    where = _bool_number_path(model, raw)
    if where is not None:
        detail = InitErrorDetails(
            type=PydanticCustomError("bool_is_not_a_number", "a bool is not a number"),
            loc=tuple(int(part) if part.isdigit() else part for part in where.split(".")),
            input=True,
        )
        raise pydantic.ValidationError.from_exception_data(type(model).__name__, [detail])


def _bool_number_path(model: pydantic.BaseModel, raw: Mapping[str, Any]) -> Union[str, None]:
    cls = type(model)
    numbers = _number_keys(cls)
    for name, info in cls.model_fields.items():
        key = info.alias if info.alias is not None and info.alias in raw else name
        if key not in raw:
            continue
        value = raw[key]
        if type(value) is bool:
            if key in numbers:
                return name
            continue
        found = _bool_number_in(getattr(model, name, None), value)
        if found is not None:
            return f"{name}{found}"
    return None


def _bool_number_in(validated: Any, raw: Any) -> Union[str, None]:
    """Models only are walked into (free-form data has no number fields, and may nest deeply)."""
    if isinstance(validated, pydantic.BaseModel) and isinstance(raw, Mapping):
        inner = _bool_number_path(validated, raw)
        return None if inner is None else f".{inner}"
    pairs: List[Tuple[Any, Any, Any]] = []
    if isinstance(validated, (list, tuple)) and isinstance(raw, (list, tuple)) and len(validated) == len(raw):
        pairs = [(index, item, raw[index]) for index, item in enumerate(validated)]
    elif isinstance(validated, dict) and isinstance(raw, Mapping):
        pairs = [(key, item, raw[key]) for key, item in validated.items() if key in raw]
    for where, item, raw_item in pairs:
        if isinstance(item, pydantic.BaseModel) and isinstance(raw_item, Mapping):
            inner = _bool_number_path(item, raw_item)
            if inner is not None:
                return f".{where}.{inner}"
    return None


def _is_number_type(annotation: Any) -> bool:
    """``int``, ``float``, and optional or annotated forms of them (never a type that admits bool)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_number_type(typing.get_args(annotation)[0])
    if origin is Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return bool(args) and all(_is_number_type(arg) for arg in args)
    return annotation in (int, float)


@cache
def _number_keys(cls: type) -> FrozenSet[str]:
    """Names and aliases of the number fields of a model class."""
    keys: set[str] = set()
    for name, info in getattr(cls, "model_fields", {}).items():
        if _is_number_type(info.annotation):
            keys.update(key for key in (name, info.alias, info.validation_alias) if isinstance(key, str))
    return frozenset(keys)


@cache
def _not_null_fields(cls: type) -> Tuple[str, ...]:
    """The fields of a model class marked :data:`NOT_NULL`."""
    fields = getattr(cls, "model_fields", {})
    return tuple(name for name, info in fields.items() if any(m is NOT_NULL for m in info.metadata))


def explicit_null(model: pydantic.BaseModel) -> Union[str, None]:
    """The dotted path of the first :data:`NOT_NULL` field set to ``None`` in ``model`` or a model inside it.

    A model built by hand was validated outside the request context, where ``None`` is allowed in
    every optional field; this finds what that context would have refused. ``None`` when all is well.
    """
    for name in _not_null_fields(type(model)):
        if name in model.__pydantic_fields_set__ and getattr(model, name) is None:
            return name
    for name in model.__pydantic_fields_set__:
        found = _explicit_null_in(getattr(model, name, None))
        if found is not None:
            return f"{name}{found}"
    return None


def _explicit_null_in(value: Any) -> Union[str, None]:
    if isinstance(value, pydantic.BaseModel):
        inner = explicit_null(value)
        return None if inner is None else f".{inner}"
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            inner = _explicit_null_in(item)
            if inner is not None:
                return f".{index}{inner}"
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = _explicit_null_in(item)
            if inner is not None:
                return f".{key}{inner}"
    return None
