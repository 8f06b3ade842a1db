"""Schema features and awkward names, from ``specs/features.yaml`` (OpenAPI 3.0, ``nullable``).

The spec names schemas after Python things (``Model``, ``List``, ``type``, ``Any``, ``Optional``,
``Field``, ``BaseModel``, ``Union``), has keywords and model attributes as property names, a cycle
between two modules, a self-reference, ``oneOf``/``anyOf``/``allOf``, maps, enums with ``null``, and
names long enough to make every line split. The generated package ``zoo_sdk`` (on the repository's
runtime) must pass ruff and mypy --strict and behave.
"""

import json
import shutil
from pathlib import Path
from typing import Any, Dict

import pytest

from test.codegen._support import ROOT, SPECS, run


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zoo")
    shutil.copytree(ROOT / "tachyon_sdk", out / "tachyon_sdk", ignore=shutil.ignore_patterns("__pycache__"))
    (out / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml")
        .read_text(encoding="utf-8")
        .replace('"tachyon_sdk", "codegen"', '"tachyon_sdk", "zoo_sdk"'),
        encoding="utf-8",
    )
    args = ["-m", "codegen", "--spec", str(SPECS / "features.yaml"), "--output", str(out)]
    args += ["--package", "zoo_sdk", "--runtime-package", "tachyon_sdk", "--docs-dir", "zoo_docs"]
    result = run(args, ROOT)
    assert result.returncode == 0, result.stderr
    return out


# ruff and mypy --strict over the generated package: test_generated_clients.py (one run for every client)


def test_names_that_are_python_things_keep_working(zoo: Path) -> None:
    model = (zoo / "zoo_sdk/models/model.py").read_text(encoding="utf-8")
    assert "from typing import List as _List" in model
    assert "from zoo_sdk.models.list import List" in model
    assert "class Model(_BaseModel):" in model
    assert "    from_: Annotated[_Optional[str], NOT_NULL] = _Field(" in model
    assert (zoo / "zoo_sdk/models/type.py").is_file()
    assert (zoo / "zoo_docs/Model.md").is_file()


def _behave(zoo: Path, script: str) -> str:
    result = run(["-W", "error", "-c", script], zoo)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_models_validate_alias_and_round_trip(zoo: Path) -> None:
    script = """
import json
from zoo_sdk import Model, Type, Status, List
wire = {
    "id": 1, "type": "cat", "from": "x", "json": "j", "model_config": "m", "class": "c", "date": "2024-02-03",
    "fooBar": "a", "foo_bar": "b", "2fa": True, "_private": "p", "born": None, "weight": 2.5, "code": "AB12",
    "items": [{"values": ["a"], "next": {"values": ["b"]}}], "status": -1, "union": {"value": "v"},
    "mood": None, "priority": "high", "later": {"kept": True},
}
m = Model.from_dict(wire)
assert m.from_ == "x" and m.json_ == "j" and m.class_ == "c" and m.foo_bar == "a" and m.foo_bar_2 == "b"
assert m.field_2fa is True and m.private == "p" and str(m.date_) == "2024-02-03"
assert m.type is Type.CAT and m.status is Status.NUMBER_MINUS_1 and isinstance(m.items[0].next, List)
assert m.union.value == "v" and m.priority == "high"
assert m.to_dict() == wire, m.to_dict()
print(json.dumps([Type("sea-lion").name, Type("new-kind").is_known, Type("").name]))
"""
    assert json.loads(_behave(zoo, script)) == ["SEA_LION", False, "EMPTY"]


@pytest.mark.parametrize(
    "wire",
    [
        {"id": 1, "type": "cat", "weight": 0},  # exclusiveMinimum: true (3.0 form)
        {"id": 1, "type": "cat", "weight": 1000.5},
        {"id": 1, "type": "cat", "code": "ab12"},  # pattern
        {"id": 1, "type": "cat", "code": "AB"},  # minLength
        {"id": 1},  # required "type"
        {"id": 1, "type": "cat", "items": [{"values": []}]},  # minItems on a model in a list
        {"id": 1, "type": "cat", "items": [{"values": ["a", "b", "c", "d"]}]},  # maxItems
    ],
)
def test_constraints_are_enforced(zoo: Path, wire: Dict[str, Any]) -> None:
    script = f"""
from tachyon_sdk.exceptions import ApiValidationError
from zoo_sdk import Model
try:
    Model.from_dict({wire!r})
except ApiValidationError:
    print("rejected")
"""
    assert _behave(zoo, script).strip() == "rejected"


@pytest.mark.parametrize("first", ["node", "edge"])
def test_models_in_an_import_cycle_import_in_either_order(zoo: Path, first: str) -> None:
    script = f"""
from zoo_sdk.models.{first} import *  # noqa
from zoo_sdk.models.node import Node
from zoo_sdk.models.edge import Edge
n = Node.from_dict({{"children": [{{"edge": {{"target": {{}}, "weight": 1}}}}], "edge": {{"target": {{"children": []}}}}}})
assert isinstance(n.children[0].edge, Edge) and isinstance(n.edge.target, Node)
print(n.to_json())
"""
    assert "weight" in _behave(zoo, script)


def test_allof_merges_and_nullable_becomes_optional(zoo: Path) -> None:
    script = """
import typing
from zoo_sdk import Error, Model
assert Error.model_fields["code"].is_required() and Error.model_fields["message"].is_required()
assert Model.from_dict({"id": 1, "type": "dog", "born": None, "nickname": None}).born is None
hints = typing.get_type_hints(Model)
print(hints["born"])
"""
    assert "Optional[datetime.datetime]" in _behave(zoo, script)


def test_api_module_shape(zoo: Path) -> None:
    script = """
import inspect
from zoo_sdk import ZooApi, ClassApi, DefaultApi
from zoo_sdk.api import zoo_api
op = zoo_api._LIST_ANIMALS
import json
print(json.dumps([[p.name, p.location, p.python_name, p.required] for p in op.params]))
sig = inspect.signature(ZooApi.list_animals)
print([(n, str(p.kind)) for n, p in sig.parameters.items()][:8])
print(zoo_api._WATCH_ZOO.stream.flag, [a.name for a in zoo_api._ADD_ANIMAL.auth], [a.key for a in op.auth])
print(hasattr(ZooApi, "watch_zoo_stream"), hasattr(ZooApi, "list_animals_stream"), hasattr(ClassApi, "import_"))
print(DefaultApi.ping.__doc__.splitlines()[0])
"""
    lines = _behave(zoo, script).splitlines()
    assert json.loads(lines[0]) == [
        ["zoo_id", "path", "zoo_id", True],
        ["kind", "query", "kind", True],
        ["limit", "query", "limit", False],
        ["tags", "query", "tags", False],
        ["from", "query", "from_", False],
        ["X-Request-Id", "header", "x_request_id", False],
        ["session", "cookie", "session", False],
    ]
    assert "('zoo_id', 'POSITIONAL_OR_KEYWORD')" in lines[1]
    assert "('kind', 'POSITIONAL_OR_KEYWORD')" in lines[1]
    assert "('limit', 'KEYWORD_ONLY')" in lines[1]
    assert lines[2] == "follow ['basicAuth', 'bearer'] ['X-API-Key']"
    assert lines[3] == "True False True"
    assert lines[4] == "GET /ping"


def test_servers_and_version(zoo: Path) -> None:
    servers = (zoo / "zoo_sdk/_servers.py").read_text(encoding="utf-8")
    assert 'url="http://{host}:{port}/v2"' in servers
    assert 'enum=("8080", "9090")' in servers
    init = (zoo / "zoo_sdk/__init__.py").read_text(encoding="utf-8")
    assert '__version__ = "2.5"' in init
