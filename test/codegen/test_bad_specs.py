"""What the generator cannot handle, and malformed documents, give diagnostics with a JSON pointer and
exit 2: never a traceback, never a partial output."""

import copy
import json
from pathlib import Path
from typing import Any, List, Tuple

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import generate
from codegen.diagnostics import Diagnostics
from codegen.files import Options, build_files
from codegen.load import load_text
from codegen.parse import parse
from codegen.render import plan
from test.codegen._support import ROOT, SPECS, run

_HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def _errors(tmp_path: Path, text: str) -> List[str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    plan, diagnostics = generate(spec)
    errors = [str(item) for item in diagnostics if item.level == "error"]
    assert (plan is None) == bool(errors)
    return errors


def test_unsupported_and_unknown_security_schemes(tmp_path: Path) -> None:
    text = _HEAD + (
        "security: [{digest: []}, {custom: []}]\n"
        "paths:\n  /a:\n    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n"
        "components:\n  securitySchemes:\n    digest: {type: http, scheme: digest}\n    custom: {type: magic}\n"
    )
    assert _errors(tmp_path, text) == [
        "error: #/components/securitySchemes/digest/scheme: http scheme 'digest' is not supported (bearer, basic); "
        "send the header with _headers instead",
        "error: #/components/securitySchemes/custom/type: unknown security scheme type 'magic'",
    ]


def test_path_template_and_path_parameters_must_match(tmp_path: Path) -> None:
    text = _HEAD + (
        "paths:\n  /a/{id}:\n    get:\n      operationId: a\n"
        "      parameters: [{name: other, in: path, required: true, schema: {type: string}}]\n"
        "      responses: {'204': {description: ok}}\n"
    )
    assert _errors(tmp_path, text) == [
        "error: #/paths/~1a~1{id}/get: path template variable {id} has no path parameter",
        "error: #/paths/~1a~1{id}/get: path parameter 'other' is not in the path '/a/{id}'",
    ]


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        (
            "{name: h, in: header, style: form, schema: {type: string}}",
            "style 'form' is not allowed in header (simple)",
        ),
        ("{name: q, in: query, style: matrix, schema: {type: string}}", "style 'matrix' is not allowed in query"),
        ("{name: q, in: query, style: deepObject, explode: false, schema: {type: object}}", "deepObject needs explode"),
        ("{name: q, in: query, explode: sometimes, schema: {type: string}}", "explode must be true or false"),
        ("{name: q, in: body, schema: {type: string}}", "unknown parameter location 'body'"),
    ],
)
def test_parameter_styles_must_suit_the_location(tmp_path: Path, parameter: str, message: str) -> None:
    text = _HEAD + (
        f"paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{parameter}]\n"
        "      responses: {'204': {description: ok}}\n"
    )
    [error] = _errors(tmp_path, text)
    assert error.startswith("error: #/paths/~1a/get/parameters/0/")
    assert message in error


def test_discriminator_without_property_name(tmp_path: Path) -> None:
    text = _HEAD + (
        "paths: {}\ncomponents:\n  schemas:\n"
        "    A: {type: object, properties: {k: {type: string}}}\n"
        "    B: {type: object, properties: {k: {type: string}}}\n"
        "    U: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}], discriminator: {}}\n"
    )
    assert _errors(tmp_path, text) == [
        "error: #/components/schemas/U/discriminator: discriminator needs a propertyName"
    ]


def test_a_discriminator_that_cannot_apply_is_reported_and_the_union_stays_plain(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        _HEAD + "paths: {}\ncomponents:\n  schemas:\n"
        "    A: {type: object, properties: {k: {type: string}}}\n"
        "    U: {oneOf: [{$ref: '#/components/schemas/A'}, {type: string}], discriminator: {propertyName: k}}\n",
        encoding="utf-8",
    )
    plan, diagnostics = generate(spec)
    assert plan is not None
    assert [str(item) for item in diagnostics] == [
        "warning: #/components/schemas/U/discriminator: discriminator ignored: every member must be a $ref to a schema"
    ]
    assert "U: TypeAlias = Union[A, str]" in plan.files["tachyon_sdk/models/u.py"].decode()


def test_not_an_openapi_3_document(tmp_path: Path) -> None:
    assert _errors(tmp_path, 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n') == [
        "error: #/openapi: expected an OpenAPI 3.x document, got openapi: None"
    ]
    assert _errors(tmp_path, "- just\n- a list\n") == ["error: #: the document must be a mapping (an OpenAPI object)"]


_MALFORMED = [
    "paths: {/a: {get: {operationId: a, parameters: 7, responses: {'204': {description: ok}}}}}",
    "paths: {/a: {get: {operationId: a, parameters: [7], responses: {'204': {description: ok}}}}}",
    "paths: {/a: {get: {operationId: a, responses: [1, 2]}}}",
    "paths: {/a: {get: {operationId: a, responses: {'200': 5}}}}",
    "paths: {/a: {get: {operationId: a, responses: {'200': {content: {application/json: 3}}}}}}",
    "paths: {/a: {post: {operationId: a, requestBody: {content: {application/json: {schema: 4}}}, responses: {}}}}",
    "paths: {/a: {post: {operationId: a, requestBody: 5, responses: {}}}}",
    "paths: {/a: {get: {operationId: 12, tags: [1, null], responses: {}}}}",
    "paths: {/a: 5}",
    "paths: {/a: {get: 5}}",
    "paths: {/a: {get: {operationId: a, security: [5, {x: []}], responses: {}}}}",
    "paths: {}\nservers: [5, {url: 3}, {url: 'http://{x}', variables: {x: 5}}]",
    "paths: {}\ncomponents: {schemas: {A: {type: [5]}, B: {enum: [[1], {a: 1}]}, C: {allOf: [5, {type: string}]}}}",
    "paths: {}\ncomponents: {schemas: {A: {properties: {a: 5, b: {items: 3}}, required: a}}}",
    "paths: {}\ncomponents: {schemas: {A: {oneOf: [], anyOf: 5, discriminator: 7}}}",
    "paths: {}\ncomponents: {schemas: {A: {type: object, additionalProperties: {$ref: '#/components/schemas/A'}}}}",
    "paths: {}\ncomponents: {schemas: 5}",
    "paths: {}\ncomponents: {securitySchemes: {a: 5}}",
    "paths: {/a: {get: {operationId: a, parameters: [{name: q, in: query, content: {application/json: 7}}], responses: {}}}}",
    "paths: {/a: {post: {operationId: a, requestBody: {content: {multipart/form-data: {encoding: 5}}}, responses: {}}}}",
    "paths: {/a: {post: {operationId: a, requestBody: {content: {multipart/form-data: {schema: {type: string}}}}, responses: {}}}}",
    "webhooks: {hook: {post: {requestBody: {content: {application/json: {schema: {type: string}}}}}}}\npaths: {}",
]  # fmt: skip


@pytest.mark.parametrize("body", _MALFORMED)
def test_malformed_documents_never_crash_the_generator(tmp_path: Path, body: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_HEAD + body + "\n", encoding="utf-8")
    yaml.safe_load(spec.read_text(encoding="utf-8"))  # the test input itself is valid YAML
    plan, diagnostics = generate(spec)
    assert plan is not None or any(item.level == "error" for item in diagnostics)
    for item in diagnostics:
        assert item.pointer.startswith("#"), item


def test_command_line_reports_every_error_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        _HEAD
        + "paths:\n  /a/{id}:\n    get:\n      operationId: a\n      security: [{digest: []}]\n"
        + "      responses: {'204': {description: ok}}\n"
        + "components:\n  securitySchemes:\n    digest: {type: http, scheme: digest}\n",
        encoding="utf-8",
    )
    result = run(["-m", "codegen", "--spec", str(spec), "--output", str(tmp_path / "out")], ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "bad.yaml: error: #/paths/~1a~1{id}/get: path template variable {id} has no path parameter",
        "bad.yaml: error: #/components/securitySchemes/digest/scheme: http scheme 'digest' is not supported "
        "(bearer, basic); send the header with _headers instead",
    ]
    assert not (tmp_path / "out").exists()


_FUZZ_SPECS = ["params.yaml", "bodies.yaml", "responses.yaml", "schemas.yaml", "names.yaml", "servers_security.yaml"]
_FUZZ_VALUES = [5, [1], {"a": 1}, None, "x", True]


def _node_paths(node: Any, path: Tuple[Any, ...] = ()) -> List[Tuple[Any, ...]]:
    found = [path] if path else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        found.extend(_node_paths(child, (*path, key)))
    return found


@settings(max_examples=150, derandomize=True, deadline=None)
@given(spec=st.sampled_from(_FUZZ_SPECS), pick=st.integers(min_value=0), value=st.sampled_from(_FUZZ_VALUES))
def test_a_spec_with_any_node_replaced_never_crashes_the_generator(spec: str, pick: int, value: Any) -> None:
    document = yaml.safe_load((SPECS / spec).read_text(encoding="utf-8"))
    paths = _node_paths(document)
    target = paths[pick % len(paths)]
    parent = document
    for key in target[:-1]:
        parent = parent[key]
    parent[target[-1]] = copy.deepcopy(value)
    diagnostics = Diagnostics()
    loaded = load_text(json.dumps(document, default=str), "fuzz.json", diagnostics)
    if loaded is None:
        assert diagnostics.has_errors
        return
    document_ir = parse(loaded, diagnostics)
    if not diagnostics.has_errors:
        options = Options(package="fuzz", runtime="tachyon_sdk", spec_name="fuzz.json", docs_dir="docs", readme="R.md")
        plan(build_files(document_ir, options), options, loaded.sha256)


def test_accept_and_content_type_header_parameters_are_ignored_as_openapi_says(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        _HEAD + "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n"
        "        - {name: Accept, in: header, schema: {type: string}}\n"
        "        - {name: X-Kept, in: header, schema: {type: string}}\n"
        "      responses: {'204': {description: ok}}\n",
        encoding="utf-8",
    )
    plan, diagnostics = generate(spec)
    assert plan is not None
    assert [str(item) for item in diagnostics] == [
        "warning: #/paths/~1a/get/parameters/0: header parameter 'Accept' is ignored (OpenAPI); use _headers"
    ]
    api = plan.files["tachyon_sdk/api/default_api.py"].decode()
    assert 'name="X-Kept"' in api and 'name="Accept"' not in api
