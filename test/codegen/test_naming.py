"""Names (snake/pascal case, keywords, collisions) and spec errors reported as diagnostics."""

from pathlib import Path

import pytest

from codegen import generate, naming
from codegen.diagnostics import Diagnostics, pointer
from codegen.load import load_text
from test.codegen._support import ROOT, run


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("getChatCompletionsFromDeployment", "get_chat_completions_from_deployment"),
        ("ChatCompletionRequest", "chat_completion_request"),
        ("APIErrorInvalidInput", "api_error_invalid_input"),
        ("HTTPValidationError", "http_validation_error"),
        ("x-operator-id", "x_operator_id"),
        ("Authorization", "authorization"),
        ("chat_completion", "chat_completion"),
        ("Model200Response", "model200_response"),
        ("some.dotted name", "some_dotted_name"),
    ],
)
def test_snake_case(name: str, snake: str) -> None:
    assert naming.snake_case(name) == snake


@pytest.mark.parametrize(
    ("name", "pascal"),
    [
        ("Chat", "Chat"),
        ("APIError", "APIError"),
        ("type", "Type"),
        ("my-model_name", "MyModelName"),
        ("chat completion", "ChatCompletion"),
        ("200Response", "Model200Response"),
        ("", "Model"),
    ],
)
def test_pascal_case(name: str, pascal: str) -> None:
    assert naming.pascal_case(name) == pascal


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("from", "from_"),
        ("json", "json_"),
        ("schema", "schema_"),
        ("model_config", "model_config_"),
        ("copy", "copy_"),
        ("to_dict", "to_dict_"),
        ("class", "class_"),
        ("date", "date_"),
        ("maxTokens", "max_tokens"),
        ("2fa", "field_2fa"),
        ("_private", "private"),
        ("type", "type"),
        ("name", "name"),
    ],
)
def test_field_names_avoid_keywords_and_model_attributes(wire: str, python: str) -> None:
    assert naming.field_name(wire) == python


def test_param_names_avoid_keywords_and_method_locals() -> None:
    assert naming.param_name("x-operator-id") == "x_operator_id"
    assert naming.param_name("import") == "import_"
    assert naming.param_name("self") == "self_"
    assert naming.param_name("request") == "request_"


@pytest.mark.parametrize(
    ("value", "member"),
    [("system", "SYSTEM"), ("tool_calls", "TOOL_CALLS"), ("gpt-4o", "GPT_4O"), ("1st", "VALUE_1ST"), ("", "EMPTY")]
    + [(1, "NUMBER_1"), (-1, "NUMBER_MINUS_1"), ("a b", "A_B")],
)
def test_enum_member_names(value: object, member: str) -> None:
    assert naming.enum_member_name(value) == member


def test_module_names_of_keywords_get_an_underscore() -> None:
    assert naming.module_name("Class") == "class_"
    assert naming.module_name("List") == "list"


def test_collisions_are_resolved_in_order_of_arrival() -> None:
    names = naming.NameAllocator(["taken"])
    assert [names.allocate(n) for n in ("foo_bar", "foo_bar", "taken", "foo_bar")] == [
        "foo_bar",
        "foo_bar_2",
        "taken_2",
        "foo_bar_3",
    ]
    classes = naming.NameAllocator(separator="", casefold=True)
    assert [classes.allocate(n) for n in ("ApiError", "APIError")] == ["ApiError", "APIError2"]


def test_pointer_escapes_slashes_and_tildes() -> None:
    assert pointer("paths", "/v1/a~b", "post") == "#/paths/~1v1~1a~0b/post"


def _spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


_HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'


def test_bad_yaml_is_one_line_error_exit_2_and_no_traceback(tmp_path: Path) -> None:
    spec = _spec(tmp_path, _HEAD + "paths: [\n  a: b\n")
    result = run(["-m", "codegen", "--spec", str(spec), "--output", str(tmp_path / "out")], ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "spec.yaml: error: #: invalid YAML at line 5 column 1: expected ',' or ']', but got '<stream end>'"
    ]
    assert not (tmp_path / "out").exists()


def test_dangling_ref_points_at_the_ref(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _HEAD
        + "paths:\n  /a/{id}:\n    get:\n      operationId: a\n      responses:\n        '200':\n"
        + "          description: ok\n          content:\n            application/json:\n"
        + "              schema: {$ref: '#/components/schemas/Nope'}\n",
    )
    result = run(["-m", "codegen", "--spec", str(spec), "--output", str(tmp_path / "out")], ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "spec.yaml: error: #/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/$ref: "
        "dangling $ref '#/components/schemas/Nope': nothing at that pointer"
    )


def test_duplicate_operation_id_points_at_the_second(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _HEAD
        + "paths:\n"
        + "  /a:\n    get:\n      operationId: same\n      responses: {'204': {description: ok}}\n"
        + "  /b:\n    post:\n      operationId: same\n      responses: {'204': {description: ok}}\n",
        name="dup.json.yaml",
    )
    result = run(["-m", "codegen", "--check", "--spec", str(spec), "--output", str(tmp_path)], ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "dup.json.yaml: error: #/paths/~1b/post/operationId: "
        "duplicate operationId 'same' (first at #/paths/~1a/get/operationId)"
    )


def test_circular_ref_chain_and_remote_ref_are_errors() -> None:
    diagnostics = Diagnostics()
    text = (
        _HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/A'}\n    C: {$ref: 'other.yaml#/X'}\n"
    )
    assert load_text(text, "s.yaml", diagnostics) is None
    messages = [str(item) for item in diagnostics.items]
    assert any(m.startswith("error: #/components/schemas/A/$ref: circular $ref chain") for m in messages)
    assert "error: #/components/schemas/C/$ref: only local references are supported, not 'other.yaml#/X'" in messages


def test_json_specs_load_and_recursive_schemas_are_fine(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": '
        '{"Tree": {"type": "object", "nullable": true, "properties": {"kids": {"type": "array", "items": '
        '{"$ref": "#/components/schemas/Tree"}}}}}}}',
        name="spec.json",
    )
    plan, diagnostics = generate(spec)
    assert plan is not None and not diagnostics
    tree = plan.files["tachyon_sdk/models/tree.py"].decode()
    assert 'kids: Annotated[Optional[List["Tree"]], NOT_NULL] = None' in tree


def test_unknown_security_scheme_and_missing_stream_flag_property(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _HEAD
        + "paths:\n  /s:\n    post:\n      operationId: s\n      x-stream-flag: nope\n"
        + "      security: [{missing: []}]\n"
        + "      requestBody:\n        content:\n          application/json:\n"
        + "            schema: {type: object, properties: {stream: {type: boolean}}}\n"
        + "      responses:\n        '200':\n          description: ok\n          content:\n"
        + "            text/event-stream:\n              schema: {type: object, properties: {a: {type: string}}}\n",
    )
    plan, diagnostics = generate(spec)
    assert plan is None
    assert [str(item) for item in diagnostics if item.level == "error"] == [
        "error: #/paths/~1s/post/x-stream-flag: the body has no property 'nope'",
        "error: #/paths/~1s/post/security/0/missing: unknown security scheme 'missing'",
    ]
