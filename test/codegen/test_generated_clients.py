"""Every client generated from a test spec is generated cleanly, passes ``mypy --strict`` and ``ruff``
(check and format), and imports with every public name under ``-W error``.

The wire behaviour of each is in ``test_wire_<group>.py`` and ``test_public_specs.py``.
"""

import importlib
import subprocess
import warnings
from pathlib import Path
from typing import Dict

import pytest

from test.codegen._clients import ALL_SPECS, Generated
from test.codegen._support import ROOT, SPECS, run

KEYS = sorted(ALL_SPECS)

# warnings the generator gives on purpose (everything else it says about these specs is a failure)
EXPECTED_WARNINGS = {
    "names": [
        "#/components/schemas/ApiResponse: class name ApiResponse is taken; using ApiResponse2",
        "#/components/schemas/my-schema: class name MySchema is taken; using MySchema2",
        "#/paths/~1pets~1{pet-id}/get: operation has no operationId; named get_pets_pet_id",
        "#/paths/~1pets/post: method name list_pets is taken in PetsApi; using list_pets_2",
    ],
    "bodies": [
        "#/paths/~1things/post/requestBody/content/application~1xml: "
        "application/xml is not offered: the body is encoded as application/json",
    ],
    "swagger_petstore": [
        "#/components/schemas/ApiResponse: class name ApiResponse is taken; using ApiResponse2",
    ]
    + [
        f"#/paths/{path}/requestBody/content/application~1xml: "
        "application/xml is not offered: the body is encoded as application/json"
        for path in ("~1pet/put", "~1pet/post", "~1store~1order/post", "~1user/post", "~1user~1{username}/put")
    ],
}


@pytest.mark.parametrize("key", KEYS)
def test_generates_with_only_the_expected_warnings(generated: Generated, key: str) -> None:
    assert generated.exit_codes[key] == 0, generated.stderr[key]
    assert "Traceback" not in generated.stderr[key]
    spec = ALL_SPECS[key][0].rsplit("/", 1)[-1]
    lines = sorted(line.removeprefix(f"{spec}: warning: ") for line in generated.stderr[key].splitlines())
    assert lines == sorted(EXPECTED_WARNINGS.get(key, []))


def test_mypy_strict_passes_on_every_client(lint_results: Dict[str, "subprocess.CompletedProcess[str]"]) -> None:
    result = lint_results["mypy"]
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("tool", ["ruff check", "ruff format"])
def test_ruff_passes_on_every_client(lint_results: Dict[str, "subprocess.CompletedProcess[str]"], tool: str) -> None:
    result = lint_results[tool]
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", KEYS)
def test_no_lint_finding_names_the_client(
    generated: Generated, lint_results: Dict[str, "subprocess.CompletedProcess[str]"], key: str
) -> None:
    package = generated.package(key)
    for tool, result in lint_results.items():
        findings = [line for line in (result.stdout + result.stderr).splitlines() if package in line]
        assert findings == [], tool


@pytest.mark.parametrize("key", KEYS)
def test_imports_every_public_name_without_warnings(generated: Generated, key: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module = importlib.import_module(generated.package(key))
        names = list(module.__all__)
        loaded = {name: getattr(module, name) for name in names}
    assert loaded["Configuration"].servers_module == f"{generated.package(key)}._servers"
    api_classes = [name for name in names if name.endswith("Api") and name != "ApiClient"]
    assert api_classes, names
    for name in api_classes:
        assert loaded[name].__module__.startswith(f"{generated.package(key)}.api.")


def test_the_largest_test_spec_generates_from_the_command_line_and_its_time_is_documented(tmp_path: Path) -> None:
    specs = [SPECS / spec for spec, _ in ALL_SPECS.values()]
    largest = max(specs, key=lambda path: path.stat().st_size)
    args = ["-m", "codegen", "--spec", str(largest), "--output", str(tmp_path), "--package", "largest_client"]
    result = run([*args, "--runtime-package", "tachyon_sdk"], ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "largest_client" / "api").is_dir()
    page = (ROOT / "docs" / "generator.md").read_text(encoding="utf-8")
    timings = page.split("## Generation times", 1)[1].split("\n## ", 1)[0]
    assert f"`test/codegen/specs/{largest.relative_to(SPECS).as_posix()}` (largest test spec)" in timings
    assert "`openapi.yaml` (ours)" in timings
