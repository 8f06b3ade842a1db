"""Generated code is already in ``ruff format``'s layout, whatever the lengths of the names.

The generator lays code out itself (:mod:`codegen.pyfmt`); these tests generate lines right around the
120-column limit (long operation ids, class, property and parameter names, unions, constraints) and check
that ``ruff format --check`` and ``ruff check`` accept them unchanged.
"""

import random
import shutil
from pathlib import Path
from typing import Any, Dict, List

import yaml

from codegen import pyfmt
from codegen.pyfmt import Atom, Keyword, annotated_assignment, assignment, call, docstring, lay_out, py_str, subscript
from test.codegen._support import ROOT, run


def _stress_spec() -> Dict[str, Any]:
    schemas: Dict[str, Any] = {}
    paths: Dict[str, Any] = {}
    for n in range(1, 100, 6):
        target = "Target" + "y" * (n % 40)
        schemas[target] = {"type": "object", "properties": {"v": {"type": "string"}}}
        props: Dict[str, Any] = {}
        for k in range(30, 118, 4):
            name = "p" * k
            props[name + "_a"] = {"type": "string", "description": "d" * (n % 50)}
            props[name + "_b"] = {"type": "number", "minimum": 0, "maximum": 10}
            props[name + "_c"] = {
                "oneOf": [{"$ref": f"#/components/schemas/{target}"}, {"type": "array", "items": {"type": "string"}}]
            }
            props[name + "_d"] = {"type": "array", "items": {"$ref": f"#/components/schemas/{target}"}, "maxItems": 5}
        model = "M" + "x" * n
        schemas[model] = {"type": "object", "required": [p for p in props if p.endswith("_a")], "properties": props}
        path_param = "q" * (n % 60 + 1)
        paths[f"/p{n}/{{{path_param}}}"] = {
            "post": {
                "operationId": "op" + "z" * n,
                "tags": ["T" + "t" * (n % 30)],
                "x-stream-flag": "s",
                "parameters": [
                    {"name": path_param, "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "h" * (n % 70 + 1),
                        "in": "header",
                        "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{target}"}},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"s": {"type": "boolean"}}}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}},
                            "text/event-stream": {"schema": {"$ref": f"#/components/schemas/{target}"}},
                        },
                    },
                    "default": {
                        "description": "e",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{model}"}}
                            }
                        },
                    },
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "s", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_long_names_are_laid_out_as_ruff_format_keeps_them(tmp_path: Path) -> None:
    spec = tmp_path / "stress.yaml"
    spec.write_text(yaml.safe_dump(_stress_spec()), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = ["-m", "codegen", "--spec", str(spec), "--output", str(out), "--package", "st_sdk"]
    result = run([*args, "--runtime-package", "tachyon_sdk"], ROOT)
    assert result.returncode == 0, result.stderr
    shutil.copy2(ROOT / "pyproject.toml", out / "pyproject.toml")  # over the generated one: the lint settings
    fmt = run(["-m", "ruff", "format", "--check", "--no-cache", "st_sdk"], out)
    assert fmt.returncode == 0, fmt.stdout
    check = run(["-m", "ruff", "check", "--no-cache", "st_sdk"], out)
    assert check.returncode == 0, check.stdout


_ALPHABET = "ab_" * 8 + "\"'\\ é\t\n"


def _random_statements(rng: random.Random) -> List[str]:
    lines: List[str] = []
    for index in range(300):
        name = "n" * rng.randint(1, 90) + str(index)
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 110)))
        members = [Atom("C" * rng.randint(1, 50)) for _ in range(rng.randint(1, 4))]
        annotation = subscript("Optional", subscript("Union", *members) if len(members) > 1 else members[0])
        value = call("Field", Keyword("default=", Atom("None")), Keyword("description=", Atom(py_str(text))))
        kind = index % 3
        if kind == 0:
            lines.extend(annotated_assignment("    ", name, annotation, value))
        elif kind == 1:
            lines.extend(annotated_assignment("    ", name, annotation, Atom("None")))
        else:
            target = f"{name} = "
            lines.extend(assignment("    ", target, call("f" * rng.randint(1, 100), *members)))
    return lines


def test_random_statements_are_stable_under_ruff_format(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    body = _random_statements(rng)
    doc = docstring(['Summary with a trailing quote"', "  indented\n    more\n\tand a tab", ":param x: y"], "    ")
    source = "\n".join(["class K:", *doc, "", *body]) + "\n"
    (tmp_path / "sample.py").write_text(source, encoding="utf-8")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = run(["-m", "ruff", "format", "--diff", "--no-cache", "sample.py"], tmp_path)
    assert result.returncode == 0, result.stdout[:4000]


def test_py_str_prefers_double_quotes_and_escapes() -> None:
    assert py_str("plain") == '"plain"'
    assert py_str('say "hi"') == "'say \"hi\"'"
    assert py_str('it\'s "x"') == "'it\\'s \"x\"'"
    assert py_str("a\\b\n\x00") == '"a\\\\b\\n\\x00"'


def test_lay_out_splits_the_outer_bracket_with_magic_trailing_commas() -> None:
    node = call("f", *(Atom("a" * 50) for _ in range(3)))
    assert lay_out(node, "", "x = ") == [
        "x = f(",
        "    " + "a" * 50 + ",",
        "    " + "a" * 50 + ",",
        "    " + "a" * 50 + ",",
        ")",
    ]
    single = subscript("Optional", Atom("b" * 130))
    assert lay_out(single) == ["Optional[", "    " + "b" * 130, "]"]  # no comma: X[a,] would be a tuple
    assert pyfmt.flat(pyfmt.tuple_of(Atom("a"))) == "(a,)"
