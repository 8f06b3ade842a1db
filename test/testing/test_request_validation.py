"""The server's request schemas and validator, without sockets: the same as openapi.yaml, and as jsonschema."""

from typing import Any, Dict, List

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from tachyon_sdk.testing._replies import generate, split_words
from tachyon_sdk.testing._schemas import DOCUMENTATION_KEYWORDS, SCHEMAS
from tachyon_sdk.testing._validate import Problem, validate


def strip_documentation(schema: Any) -> Any:
    """A schema without its documentation keywords (property names are kept, even "description")."""
    if isinstance(schema, list):
        return [strip_documentation(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: Dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: strip_documentation(sub) for name, sub in value.items()}
        elif key not in DOCUMENTATION_KEYWORDS:
            out[key] = strip_documentation(value)
    return out


def referenced(spec_schemas: Dict[str, Any], roots: List[str]) -> List[str]:
    """Every schema name reachable from ``roots`` by $ref."""
    seen: List[str] = []
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    todo.append(ref.rsplit("/", 1)[1])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(spec_schemas[name])
    return sorted(seen)


def test_request_schemas_match_openapi_yaml(spec: Dict[str, Any]) -> None:
    components = spec["components"]["schemas"]
    bodies = [
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for path in spec["paths"].values()
        for op in path.values()
    ]
    assert sorted(SCHEMAS) == referenced(components, bodies)
    for name, schema in SCHEMAS.items():
        assert schema == strip_documentation(components[name]), name


def check(body: Any, schema: str = "ChatCompletionRequest") -> List[Problem]:
    return validate(body, SCHEMAS[schema], SCHEMAS)


def test_validator_words_problems_as_serde_does() -> None:
    assert check({"messages": [{"role": "user", "content": "hi"}]}) == []
    assert check({"messages": [{"role": "user", "content": None}], "stop": None, "temperature": None}) == []
    assert check({"messages": [{"role": "user"}], "unknown_field": 1}) == []  # extra fields are allowed
    assert check({"messages": []}) == []  # no minItems: the real server takes an empty list
    assert check({"messages": [{"role": "user", "content": [{"text": "x"}]}]}) == [
        Problem(("messages", 0, "content", 0), "missing field `type`", "missing")
    ]
    assert check({"messages": [{"role": "user"}], "stream_options": {"include_usage": "yes"}}) == [
        Problem(("stream_options", "include_usage"), 'invalid type: string "yes", expected a boolean', "invalid_type")
    ]
    [problem] = check({"messages": [{"role": "user"}], "tool_choice": "none"})
    assert problem.to_text() == "tool_choice: unknown variant `none`, expected `auto` or `any`"
    assert check({"prompt": 3, "temperature": True}, "GetCompletionsFromDeploymentRequestBody") == [
        Problem(("prompt",), "invalid type: integer `3`, expected a string", "invalid_type"),
        Problem(("temperature",), "invalid type: boolean `true`, expected f64", "invalid_type"),
    ]
    [problem] = check({}, "GetCompletionsFromDeploymentRequestBody")
    assert (problem.path, problem.to_text()) == (".", "missing field `prompt`")


def test_problems_come_in_body_order_then_missing_fields() -> None:
    problems = check({"n": 0, "messages": [{"content": 1}], "top_p": 2})
    assert [p.to_text() for p in problems] == [
        "n: invalid value: integer `0`, expected a value between 1 and 10",
        "messages[0].content: data did not match any variant of untagged enum",
        "messages[0]: missing field `role`",
        "top_p: invalid value: integer `2`, expected a value between 0 and 1",
    ]


def json_values() -> Any:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-300, 300),
        st.floats(-300, 300, allow_nan=False),
        st.sampled_from(["", "user", "auto", "text", "function", "a b", "bad name!", "x" * 70]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=6),
            st.dictionaries(
                st.sampled_from(["role", "content", "name", "type", "text", "url", "include_usage"]), inner, max_size=3
            ),
        ),
        max_leaves=8,
    )


CHAT_FIELDS = sorted(SCHEMAS["ChatCompletionRequest"]["properties"])
MESSAGE_FIELDS = sorted(SCHEMAS["ChatCompletionMessage"]["properties"])


def agrees_with_jsonschema(body: Any, schema_name: str) -> None:
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": {"schemas": SCHEMAS}}
    reference_valid = jsonschema.Draft202012Validator(root).is_valid(body)
    problems = check(body, schema_name)
    assert (problems == []) == reference_valid, (body, problems)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(CHAT_FIELDS),
    value=json_values(),
    message_field=st.sampled_from(MESSAGE_FIELDS),
    message_value=json_values(),
)
def test_validator_agrees_with_jsonschema_on_chat_requests(
    field: str, value: Any, message_field: str, message_value: Any
) -> None:
    agrees_with_jsonschema({"messages": [{"role": "user", "content": "hi"}], field: value}, "ChatCompletionRequest")
    message = {"role": "assistant", message_field: message_value}
    agrees_with_jsonschema({"messages": [message]}, "ChatCompletionRequest")


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(sorted(SCHEMAS["GetCompletionsFromDeploymentRequestBody"]["properties"])), value=json_values()
)
def test_validator_agrees_with_jsonschema_on_deployment_requests(field: str, value: Any) -> None:
    agrees_with_jsonschema({"prompt": "p", field: value}, "GetCompletionsFromDeploymentRequestBody")
    agrees_with_jsonschema(
        {"messages": [{"role": "user", "content": "c"}], field: value}, "GetChatCompletionsFromDeploymentRequestBody"
    )


@given(st.text(alphabet=st.sampled_from("ab \n\t."), max_size=30))
def test_words_join_back_to_the_text(text: str) -> None:
    assert "".join(split_words(text)) == text
    assert all(piece.strip() for piece in split_words(text)[1:])


def test_generate_honours_max_tokens() -> None:
    assert generate("a b c", 1).tokens == ("a ", "b ", "c")
    assert generate("a b c", 1).finish_reason == "stop"
    gen = generate("a b c d", 4, max_tokens=2)
    assert (gen.text, gen.finish_reason) == ("a b ", "length")
    assert gen.usage() == {"prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6}
    assert generate("a b", 1, max_tokens=2).finish_reason == "stop"
