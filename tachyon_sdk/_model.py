"""Behaviour shared by every generated model, written once.

A generated model module holds only fields (and, for type checkers only, the signature of its
constructor); it inherits from :class:`BaseModel`:

- the constructor refuses a field the model does not have, naming the closest known one
  (``temprature`` -> did you mean ``temperature``?), nested dicts included; a request body is checked
  the same way before it is sent (:func:`unknown_field`); to send a field the SDK does not know yet,
  pass it in a call's ``_extra_body``;
- answers stay lenient: ``from_dict``/``from_json`` and response decoding keep unknown fields
  (``extra="allow"``), and they are sent back unchanged;
- every invalid value (constructor, ``from_dict``/``from_json``, assignment) raises
  :class:`~tachyon_sdk.exceptions.ApiValidationError`, never pydantic's own ``ValidationError``
  (which stays its ``__cause__``); pydantic's ``model_validate*`` methods are pydantic's and raise its
  error;
- ``inspect.signature`` and ``help()`` show the fields from the start (before the model is first used);
- ``to_dict``/``to_json`` give the wire form (aliases, only the fields that were set);
- ``repr`` and ``str`` (and so ``pprint``, ``print`` and IPython) show every field, one per line when
  the model is big;
- a bool given for a number field (``max_tokens=True``) is refused when a model is built from Python
  values (pydantic would take it as ``1``); JSON answers are read as pydantic reads them;
- NaN and infinities are written as the JSON-invalid tokens ``NaN``/``Infinity`` instead of a silent
  ``null``, so that a request body holding one is refused before sending (``_request``).

:class:`OpenStrEnum` and :class:`OpenIntEnum` are enums that accept values added to the spec later:
an unknown value becomes a pseudo-member equal to the raw value, which serializes back to it.
"""

import inspect
import pprint
import typing
from enum import Enum
from functools import cache, lru_cache
from typing import (
    Any,
    Callable,
    ClassVar,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Union,
    get_args,
    get_origin,
)

import pydantic
from pydantic import ConfigDict
from pydantic_core import InitErrorDetails, PydanticCustomError
from typing_extensions import Annotated, Self

from ._constants import REPR_WIDTH
from .exceptions import ApiValidationError

__all__ = [
    "NOT_NULL",
    "REQUEST_CONTEXT",
    "BaseModel",
    "OpenModel",
    "OpenIntEnum",
    "OpenStrEnum",
    "explicit_null",
    "json_validator",
    "refuse_bool_numbers",
    "type_adapter",
    "unknown_field",
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


Loc = Tuple[Union[str, int], ...]
EXTRA_BODY_HINT = "to send a field the SDK does not know, pass it in the call's `_extra_body`"


class BaseModel(pydantic.BaseModel):
    """Base class of every generated model."""

    #: Whether fields the class does not declare are data (``OpenModel``) rather than typos.
    __open_fields__: ClassVar[bool] = False

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        validate_assignment=True,
        protected_namespaces=(),
        defer_build=True,
        ser_json_inf_nan="constants",
    )

    def __init__(self, /, **data: Any) -> None:
        """Validate the keyword arguments (wire or Python names) into the model.

        :raises ApiValidationError: a value that does not fit, or a field the model does not have.
          A bool given for a number field is such a value (pydantic would take ``True`` as ``1``).
        """
        __tracebackhide__ = True
        try:
            numbers = _number_keys(type(self))
            for key, value in data.items():
                if type(value) is bool and key in numbers:  # before pydantic reads False as 0
                    _raise_bool_number(type(self).__name__, (key,))
            self.__pydantic_validator__.validate_python(data, self_instance=self)
            if data:
                refuse_bool_numbers(self, data)
        except pydantic.ValidationError as exc:
            raise validation_error(type(self).__name__, exc) from exc
        try:
            found = unknown_field(self)
        except RecursionError:
            raise ApiValidationError(f"{type(self).__name__}: the data is nested too deeply") from None
        if found is not None:
            raise unknown_field_error(type(self).__name__, found)

    # Tells pydantic this is its own constructor: validating a dict or JSON (answers, nested models, stream
    # chunks) never calls it, so answers stay lenient and their decoding fast.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "__init__" not in cls.__dict__:
            cls.__init__ = _constructor_of(cls)  # type: ignore[method-assign]

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and name not in type(self).model_fields and not self.__open_fields__:
            extra = self.__pydantic_extra__
            if extra is None or name not in extra:
                raise unknown_field_error(type(self).__name__, ((), name, closest_field(type(self), name)))
        try:
            if type(value) is bool and name in _number_keys(type(self)):
                refuse_bool_numbers(self, {name: value})
            super().__setattr__(name, value)
        except pydantic.ValidationError as exc:
            raise validation_error(type(self).__name__, exc) from exc

    def to_dict(self) -> Dict[str, Any]:
        """The JSON-ready dict sent on the wire: aliases as keys, only fields that were set."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")

    def to_json(self) -> str:
        """The JSON text sent on the wire (see :meth:`to_dict`)."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)

    @classmethod
    def from_dict(cls, obj: Union[Mapping[str, Any], Self]) -> Self:
        """Validate a dict (wire or Python names) into a model; a model of this class is returned as is.

        Unknown fields are kept (an answer from a newer server still reads); a request built this way
        is refused when it is sent if it has one.

        :raises ApiValidationError: naming each invalid field.
        """
        if isinstance(obj, cls):
            return obj
        try:
            return cls.model_validate(obj)
        except pydantic.ValidationError as exc:
            raise validation_error(cls.__name__, exc) from exc

    @classmethod
    def from_json(cls, json_str: Union[str, bytes]) -> Self:
        """Validate JSON text into a model (unknown fields kept, as :meth:`from_dict`).

        :raises ApiValidationError: invalid JSON or a field that does not match.
        """
        try:
            return cls.model_validate_json(json_str)
        except pydantic.ValidationError as exc:
            raise validation_error(cls.__name__, exc) from exc

    def to_str(self) -> str:
        """The wire dict, pretty-printed."""
        return pprint.pformat(self.to_dict())

    def __repr__(self) -> str:
        return _format(self, 0)

    def __str__(self) -> str:
        return _format(self, 0)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's pretty printer: the same text as ``repr``."""
        printer.text(f"{type(self).__name__}(...)" if cycle else repr(self))


# --- errors ------------------------------------------------------------------------------------------


def validation_error(where: str, exc: pydantic.ValidationError, prefix: str = "") -> ApiValidationError:
    """pydantic's ``ValidationError`` as the SDK's exception (raise it ``from exc`` to keep the original).

    The message is ``where: prefix.loc: msg; ...``; ``errors()`` keeps pydantic's entries.
    """
    errors = [{key: value for key, value in error.items() if key != "url"} for error in exc.errors()]
    return ApiValidationError.from_errors(where, errors, prefix)


def unknown_field_error(where: str, found: Tuple[Loc, str, Optional[str]], prefix: str = "") -> ApiValidationError:
    """The exception for a field the model does not have (see :func:`unknown_field`)."""
    loc, name, suggestion = found
    hint = f" (did you mean `{suggestion}`?)" if suggestion else ""
    error = {
        "type": "extra_forbidden",
        "loc": (*loc, name),
        "msg": f"unknown field{hint}; {EXTRA_BODY_HINT}",
        "input": None,
    }
    return ApiValidationError.from_errors(where, [error], prefix)


# --- unknown fields ----------------------------------------------------------------------------------


@cache
def _known_names(cls: type) -> Tuple[str, ...]:
    """The Python names and wire names (aliases) of a model class's fields."""
    names: List[str] = []
    for name, info in getattr(cls, "model_fields", {}).items():
        names.append(name)
        if isinstance(info.alias, str) and info.alias != name:
            names.append(info.alias)
    return tuple(names)


def closest_field(cls: type, name: str) -> Optional[str]:
    """The known field name closest to ``name`` (``difflib``), or ``None`` when none is close."""
    known = _known_names(cls)
    lowered = {item.lower(): item for item in known}
    if name.lower() in lowered:
        return lowered[name.lower()]
    import difflib  # only for an error message: not at import time

    matches = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return matches[0] if matches else None


_LEAVES = frozenset({str, int, float, bool, bytes, type(None)})


def unknown_field(value: Any, loc: Loc = ()) -> Optional[Tuple[Loc, str, Optional[str]]]:
    """The first field a model (in ``value``, at any depth) has that its class does not declare.

    Returns ``(location of the model, field name, closest known name or None)``, or ``None`` when
    there is none. A model keeps unknown fields when it is read from an answer or with ``from_dict``;
    a request body must not carry any (they would be sent silently, and a typo ignored by the server).
    An ``OpenModel``'s unknown fields are data, not typos.
    """
    kind = type(value)
    if kind in _LEAVES:
        return None
    if kind is list or kind is tuple:
        for index, item in enumerate(value):
            if type(item) not in _LEAVES:
                found = unknown_field(item, (*loc, index))
                if found is not None:
                    return found
    elif kind is dict:
        for key, item in value.items():
            if type(item) not in _LEAVES:
                found = unknown_field(item, (*loc, key))
                if found is not None:
                    return found
    elif isinstance(value, pydantic.BaseModel):
        extra = value.__pydantic_extra__
        if extra and not getattr(kind, "__open_fields__", False):
            name = next(iter(extra))
            return loc, name, closest_field(kind, name)
        values = value.__dict__
        for name in value.__pydantic_fields_set__:
            item = values.get(name)
            if type(item) not in _LEAVES:
                found = unknown_field(item, (*loc, name))
                if found is not None:
                    return found
    return None


# --- the constructor's signature ---------------------------------------------------------------------


def _shown_type(annotation: Any) -> Any:
    """An annotation without ``Annotated`` constraints, for signatures people read."""
    if get_origin(annotation) is Annotated:
        return _shown_type(get_args(annotation)[0])
    args = get_args(annotation)
    if not args:
        return annotation
    plain = tuple(_shown_type(arg) for arg in args)
    if plain == args:
        return annotation
    if get_origin(annotation) is Union:
        return Union[plain]
    copy_with = getattr(annotation, "copy_with", None)
    if copy_with is not None:
        return copy_with(plain)
    origin = get_origin(annotation)
    try:
        return origin[plain]
    except TypeError:
        return annotation


def _signature(cls: type) -> inspect.Signature:
    """``(self, *, field: type = None, ...)``: the fields a model class takes, by Python name."""
    fields: Dict[str, Any] = getattr(cls, "model_fields", {})
    me = "self"
    while me in fields:  # a field may be named ``self``
        me += "_"
    parameters = [inspect.Parameter(me, inspect.Parameter.POSITIONAL_ONLY)]
    for name, info in fields.items():
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if info.is_required() else info.default,
                annotation=_shown_type(info.annotation),
            )
        )
    if getattr(cls, "__open_fields__", False):
        name = "extra"
        while name in fields:
            name += "_"
        parameters.append(inspect.Parameter(name, inspect.Parameter.VAR_KEYWORD, annotation=Any))
    return inspect.Signature(parameters, return_annotation=None)


def _constructor_of(cls: type) -> Callable[..., None]:
    """The class's own ``__init__`` (the shared one), carrying the class's signature for ``help()``."""
    base_init = BaseModel.__init__

    def __init__(self: Any, /, **data: Any) -> None:
        __tracebackhide__ = True
        base_init(self, **data)

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__module__ = cls.__module__
    __init__.__doc__ = base_init.__doc__
    __init__.__signature__ = _signature(cls)  # type: ignore[attr-defined]
    return __init__


class OpenModel(BaseModel):
    """Base class of a model whose schema allows properties it does not list (``additionalProperties``).

    Its unknown fields are data, not typos: the constructor and a request body accept them.
    """

    __open_fields__: ClassVar[bool] = True


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
        _raise_bool_number(
            type(model).__name__, tuple(int(part) if part.isdigit() else part for part in where.split("."))
        )


def _raise_bool_number(title: str, loc: Tuple[Union[int, str], ...]) -> None:
    detail = InitErrorDetails(
        type=PydanticCustomError("bool_is_not_a_number", "a bool is not a number"), loc=loc, input=True
    )
    raise pydantic.ValidationError.from_exception_data(title, [detail])


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
