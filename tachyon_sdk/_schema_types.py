"""Pydantic types for the schema features generated models use beyond plain annotations.

- :data:`FileInput` is the type of a ``format: binary`` property or body: ``bytes``, a ``str``
  (sent as its UTF-8 text), a path (any ``os.PathLike``, read when the request is encoded), a
  readable binary file object, or a ``(filename, content)`` / ``(filename, content, content_type)``
  tuple. The value is kept as given; :func:`read_file_input` turns it into bytes when a request is
  encoded (``multipart/form-data`` parts, ``application/octet-stream`` bodies).
- :func:`tagged_union` is the discriminator of a ``oneOf``/``anyOf`` with a ``discriminator``: the
  member is chosen by the value of one property (pydantic's callable ``Discriminator``, so the
  members need no ``Literal`` field), and an error names the property when the value is unknown.
"""

import mimetypes
import os
from enum import Enum
from typing import IO, Any, Callable, Dict, FrozenSet, Mapping, Optional, Tuple, Union

import pydantic
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from typing_extensions import Annotated

__all__ = ["FileInput", "read_file_input", "tagged_union"]

FileContent = Union[bytes, str, os.PathLike[str], IO[bytes]]
"""The content of a file: bytes, text, a path to read, or a binary file object to read."""

_OCTET_STREAM = "application/octet-stream"
_FILE_ERROR = "expected bytes, str, a path, a binary file object or a (filename, content[, content_type]) tuple"


def _is_content(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, str, os.PathLike)) or callable(getattr(value, "read", None))


def _check(value: Any) -> Any:
    if isinstance(value, bytearray):
        return bytes(value)
    if _is_content(value):
        return value
    if isinstance(value, tuple) and len(value) in (2, 3) and isinstance(value[0], str) and _is_content(value[1]):
        if len(value) == 2 or isinstance(value[2], str):
            return value
    raise ValueError(_FILE_ERROR)


def _label(value: Any) -> str:
    """What a file input shows in JSON (``to_dict``, ``to_str``): its text, or its name."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, tuple):
        return str(value[0])
    if isinstance(value, os.PathLike):
        return str(os.fspath(value))
    name = getattr(value, "name", None)
    return str(os.path.basename(name)) if isinstance(name, str) else "<file>"


class _FileInputSchema:
    """Validation keeps any file input as it is; JSON shows its name (or its text)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _check, serialization=core_schema.plain_serializer_function_ser_schema(_label, when_used="json")
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "binary"}


FileInput = Annotated[
    Union[FileContent, Tuple[str, FileContent], Tuple[str, FileContent, str]],
    _FileInputSchema(),
]
"""A ``format: binary`` value: bytes, str, a path, a binary file object, or ``(filename, content[, type])``."""


def read_file_input(value: Any, default_name: str) -> Tuple[str, bytes, str]:
    """``(filename, content, content_type)`` of a file input; the content is read now.

    A path gives its base name and a type guessed from it; a file object its ``name``; bytes or text
    ``default_name``. The content type is ``application/octet-stream`` unless a tuple names one or
    the file name has a known extension.
    """
    filename: Optional[str] = None
    content_type: Optional[str] = None
    if isinstance(value, tuple):
        filename = value[0]
        content_type = value[2] if len(value) == 3 else None
        value = value[1]
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    elif isinstance(value, os.PathLike):
        path = os.fspath(value)
        with open(path, "rb") as handle:
            data = handle.read()
        filename = filename or os.path.basename(path)
    else:
        read: Callable[[], Any] = value.read
        chunk = read()
        data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
        name = getattr(value, "name", None)
        if filename is None and isinstance(name, str) and name:
            filename = os.path.basename(name)
    filename = filename or default_name
    if content_type is None:
        content_type = mimetypes.guess_type(filename)[0] or _OCTET_STREAM
    return filename, data, content_type


def tagged_union(property_name: str, attribute: str, mapping: Mapping[str, str]) -> pydantic.Discriminator:
    """The discriminator of a union: the value of ``property_name`` (``attribute`` in Python) picks the
    member tagged ``mapping[value]``; a model instance picks its own class."""
    table: Dict[str, str] = dict(mapping)
    tags: FrozenSet[str] = frozenset(table.values())

    def tag_of(value: Any) -> Optional[str]:
        if isinstance(value, pydantic.BaseModel):
            name = type(value).__name__
            if name in tags:
                return name
            raw = getattr(value, attribute, None)
        elif isinstance(value, Mapping):
            raw = value.get(property_name, value.get(attribute))
        else:
            return None
        if isinstance(raw, Enum):
            raw = raw.value
        return table.get(raw if isinstance(raw, str) else str(raw))

    message = f"the value of {property_name!r} must be one of {sorted(table)}"
    return pydantic.Discriminator(tag_of, custom_error_type="discriminator", custom_error_message=message)
