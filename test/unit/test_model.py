"""tachyon_sdk._model: wire form, unknown fields and enum values, readable repr."""

import json
import pprint
import warnings
from typing import Any, List, Optional

import pytest
from pydantic import Field

from tachyon_sdk._model import BaseModel, OpenIntEnum, OpenStrEnum
from tachyon_sdk.exceptions import ApiValidationError


class Role(OpenStrEnum):
    SYSTEM = "system"
    USER = "user"


class Priority(OpenIntEnum):
    LOW = 1
    HIGH = 2


class Message(BaseModel):
    role: Role
    content: Optional[str] = None


class Request(BaseModel):
    messages: List[Message]
    temperature: Optional[float] = Field(default=None, ge=0, le=2)
    from_: Optional[str] = Field(default=None, alias="from")
    priority: Optional[Priority] = None


def test_unknown_fields_are_kept_and_round_tripped() -> None:
    wire = {"messages": [{"role": "user", "content": "Hi", "name": "ann"}], "logprobs": {"top": [1, 2]}}

    request = Request.from_dict(wire)

    assert request.to_dict() == wire
    assert request.model_extra == {"logprobs": {"top": [1, 2]}}
    assert request.messages[0].model_extra == {"name": "ann"}
    assert json.loads(Request.from_json(request.to_json()).to_json()) == wire


def test_to_dict_uses_aliases_and_leaves_out_unset_fields() -> None:
    request = Request(messages=[Message(role=Role.USER)], from_="me")

    assert request.to_dict() == {"messages": [{"role": "user"}], "from": "me"}
    assert json.loads(request.to_json()) == {"messages": [{"role": "user"}], "from": "me"}


def test_fields_are_accepted_by_wire_name_and_by_python_name() -> None:
    assert Request.from_dict({"messages": [], "from": "a"}).from_ == "a"
    assert Request.from_dict({"messages": [], "from_": "b"}).from_ == "b"


def test_explicit_none_is_sent_but_an_unset_field_is_not() -> None:
    assert Request(messages=[], temperature=None).to_dict() == {"messages": [], "temperature": None}


def test_from_dict_returns_a_model_of_the_class_unchanged() -> None:
    request = Request(messages=[])
    assert Request.from_dict(request) is request


def test_dict_validation_errors_name_the_field() -> None:
    with pytest.raises(ApiValidationError) as caught:
        Request.from_dict({"messages": [{"role": 5}], "temperature": 3})

    locations = {tuple(error["loc"]) for error in caught.value.errors()}
    assert ("messages", 0, "role") in locations
    assert ("temperature",) in locations


def test_assignment_is_validated() -> None:
    request = Request(messages=[])
    with pytest.raises(ApiValidationError):
        request.temperature = 5


def test_unknown_string_enum_value_deserializes_equal_to_the_raw_value_and_serializes_back() -> None:
    message = Message.from_json('{"role": "developer"}')

    assert message.role == "developer"
    assert isinstance(message.role, Role)
    assert not message.role.is_known
    assert message.to_dict() == {"role": "developer"}
    assert message.to_json() == '{"role":"developer"}'
    assert Message.from_dict({"role": "developer"}).role == Role("developer")


def test_known_string_enum_value_is_the_member() -> None:
    message = Message.from_dict({"role": "user"})

    assert message.role is Role.USER
    assert message.role.is_known
    assert str(Role.USER) == "user"
    assert f"{Role.USER}" == "user"


def test_open_enum_members_hash_like_their_values() -> None:
    lookup = {"developer": 1, "user": 2}

    assert lookup[Role("developer")] == 1
    assert lookup[Role.USER] == 2


def test_string_enum_refuses_a_value_of_another_type() -> None:
    with pytest.raises(ApiValidationError):
        Message.from_dict({"role": 5})


def test_unknown_integer_enum_value_is_kept() -> None:
    request = Request.from_json('{"messages": [], "priority": 7}')

    assert request.priority == 7
    assert request.priority is not None and not request.priority.is_known
    assert request.to_dict() == {"messages": [], "priority": 7}
    assert Request.from_dict({"messages": [], "priority": 2}).priority is Priority.HIGH


def test_open_enums_refuse_values_of_another_type() -> None:
    with pytest.raises(ValueError):
        Priority("7")
    with pytest.raises(ValueError):
        Priority(7.5)
    with pytest.raises(ValueError):
        Role(7)


def test_fields_named_like_pydantic_attributes_define_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        class Tricky(BaseModel):
            model: Optional[str] = None
            model_name: Optional[str] = None
            schema_: Optional[str] = Field(default=None, alias="schema")
            json_: Optional[str] = Field(default=None, alias="json")

        tricky = Tricky.from_dict({"model": "m", "model_name": "n", "schema": "s", "json": "j"})

    assert tricky.to_dict() == {"model": "m", "model_name": "n", "schema": "s", "json": "j"}


def test_repr_of_a_small_model_is_one_line_with_every_field() -> None:
    text = repr(Message(role=Role.USER))

    assert text == "Message(role='user', content=None)"


def test_pprint_of_a_big_model_shows_every_field_on_its_own_line() -> None:
    request = Request.from_dict(
        {
            "messages": [{"role": "user", "content": "Hello there, " * 5}, {"role": "developer", "content": "x"}],
            "temperature": 0.5,
            "seen_later": {"a": [1, 2]},
        }
    )

    text = pprint.pformat(request)

    assert text == "\n".join(
        [
            "Request(",
            "    messages=[",
            "        Message(",
            "            role='user',",
            "            content='Hello there, Hello there, Hello there, Hello there, Hello there, ',",
            "        ),",
            "        Message(role='developer', content='x'),",
            "    ],",
            "    temperature=0.5,",
            "    from_=None,",
            "    priority=None,",
            "    seen_later={'a': [1, 2]},",
            ")",
        ]
    )


def test_ipython_pretty_printer_gets_the_same_text() -> None:
    class Printer:
        def __init__(self) -> None:
            self.parts: List[str] = []

        def text(self, value: str) -> None:
            self.parts.append(value)

    request = Request(messages=[Message(role=Role.SYSTEM, content="c" * 100)])
    printer = Printer()

    request._repr_pretty_(printer, cycle=False)
    request._repr_pretty_(printer, cycle=True)

    assert printer.parts == [repr(request), "Request(...)"]


def test_to_str_is_the_pretty_printed_wire_dict() -> None:
    request = Request(messages=[Message(role=Role.USER)], from_="me")

    assert request.to_str() == pprint.pformat({"messages": [{"role": "user"}], "from": "me"})


@pytest.mark.parametrize("value", [None, [], {}, 0, "x"])
def test_repr_of_values_inside_a_model(value: Any) -> None:
    class Holder(BaseModel):
        value: Any = None

    assert repr(Holder(value=value)) == f"Holder(value={value!r})"
