"""The committed generated tree is exactly what ``python -m codegen`` writes, and it passes the linters.

Drift detection: ``--check`` exits 0 on the repository, 1 naming every file that differs, is missing or
is stale, and changes nothing; regenerating is byte-for-byte deterministic (across hash seeds too).
"""

import ast
import re
from pathlib import Path
from typing import Callable, List

import pytest

from test.codegen._support import BANNER, ROOT, manifest_paths, run, snapshot

GENERATED_PARTS = (
    "tachyon_sdk/api",
    "tachyon_sdk/models",
    "tachyon_sdk/__init__.py",
    "tachyon_sdk/_servers.py",
    "tachyon_sdk/aio/api",
    "tachyon_sdk/aio/__init__.py",
    "docs",
)


def test_check_passes_on_the_repository() -> None:
    result = run(["-m", "codegen", "--check"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_every_generated_file_is_in_the_manifest_and_carries_the_banner() -> None:
    listed = manifest_paths(ROOT)
    assert listed == sorted(listed)
    on_disk = set(snapshot(ROOT, GENERATED_PARTS))
    assert on_disk == set(listed)
    for path in listed:
        first = (ROOT / path).read_text(encoding="utf-8").splitlines()[0]
        if path.endswith(".py"):
            assert first == BANNER, path
        else:
            assert first == f"<!-- {BANNER[2:]} -->", path


def test_regenerating_from_scratch_is_deterministic(tmp_path: Path, repo_copy_factory: Callable[[Path], Path]) -> None:
    outputs = []
    for seed in ("1", "2"):
        copy = repo_copy_factory(tmp_path / f"copy{seed}")
        for part in GENERATED_PARTS:
            target = copy / part
            if target.is_dir():
                for path in sorted(target.rglob("*"), reverse=True):
                    path.unlink() if path.is_file() else path.rmdir()
            elif target.exists():
                target.unlink()
        result = run(["-m", "codegen"], copy, {"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(copy, (*GENERATED_PARTS, "codegen/GENERATED", "README.md")))
    assert outputs[0] == outputs[1]
    committed = snapshot(ROOT, (*GENERATED_PARTS, "codegen/GENERATED", "README.md"))
    assert outputs[0] == committed


def test_regenerating_an_unchanged_tree_writes_nothing(repo_copy: Path) -> None:
    before = snapshot(repo_copy, (*GENERATED_PARTS, "codegen/GENERATED", "README.md"))
    mtimes = {path: (repo_copy / path).stat().st_mtime_ns for path in before}
    result = run(["-m", "codegen"], repo_copy)
    assert result.returncode == 0, result.stderr
    assert "0 written, 0 removed" in result.stdout
    assert snapshot(repo_copy, (*GENERATED_PARTS, "codegen/GENERATED", "README.md")) == before
    assert {path: (repo_copy / path).stat().st_mtime_ns for path in before} == mtimes


def test_check_names_a_modified_file_and_changes_nothing(repo_copy: Path) -> None:
    target = repo_copy / "tachyon_sdk" / "models" / "chat_completion_request.py"
    target.write_text(target.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    (repo_copy / "docs" / "ChatApi.md").unlink()
    before = snapshot(repo_copy, (*GENERATED_PARTS, "codegen/GENERATED", "README.md"))

    result = run(["-m", "codegen", "--check"], repo_copy)

    assert result.returncode == 1
    assert "differs: tachyon_sdk/models/chat_completion_request.py" in result.stdout.splitlines()
    assert "missing: docs/ChatApi.md" in result.stdout.splitlines()
    assert snapshot(repo_copy, (*GENERATED_PARTS, "codegen/GENERATED", "README.md")) == before
    assert run(["-m", "codegen"], repo_copy).returncode == 0
    assert run(["-m", "codegen", "--check"], repo_copy).returncode == 0


def test_check_notices_an_edited_readme_block_and_regenerate_restores_it(repo_copy: Path) -> None:
    readme = repo_copy / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "<!-- BEGIN GENERATED: api-and-model-index -->" in text
    readme.write_text(text.replace("[ChatCompletionRequest](docs/ChatCompletionRequest.md)", "[X](x.md)"), "utf-8")

    result = run(["-m", "codegen", "--check"], repo_copy)
    assert result.returncode == 1
    assert "differs: README.md (generated block)" in result.stdout

    assert run(["-m", "codegen"], repo_copy).returncode == 0
    assert readme.read_text(encoding="utf-8") == text


def test_stale_files_are_reported_and_removed(repo_copy: Path) -> None:
    spec = repo_copy / "openapi.yaml"
    original = spec.read_text(encoding="utf-8")
    extra_schema = "    ObsoleteThing:\n      type: object\n      properties:\n        name: {type: string}\n"
    spec.write_text(original.replace("  schemas:\n", "  schemas:\n" + extra_schema, 1), encoding="utf-8")
    assert run(["-m", "codegen"], repo_copy).returncode == 0
    assert (repo_copy / "tachyon_sdk/models/obsolete_thing.py").is_file()
    assert "tachyon_sdk/models/obsolete_thing.py" in manifest_paths(repo_copy)

    # the schema goes away: its files are stale (listed in the manifest, no longer generated)
    spec.write_text(original, encoding="utf-8")
    # and a generated-looking file nobody generates is stale too
    orphan = repo_copy / "tachyon_sdk/api/orphan_api.py"
    orphan.write_text(BANNER + '\n"""Left behind."""\n', encoding="utf-8")

    result = run(["-m", "codegen", "--check"], repo_copy)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "stale: tachyon_sdk/models/obsolete_thing.py" in lines
    assert "stale: docs/ObsoleteThing.md" in lines
    assert "stale: tachyon_sdk/api/orphan_api.py" in lines
    assert orphan.exists()

    result = run(["-m", "codegen"], repo_copy)
    assert result.returncode == 0
    assert not (repo_copy / "tachyon_sdk/models/obsolete_thing.py").exists()
    assert not (repo_copy / "docs/ObsoleteThing.md").exists()
    assert not orphan.exists()
    assert run(["-m", "codegen", "--check"], repo_copy).returncode == 0


def _generated_python() -> List[str]:
    return sorted(path for path in manifest_paths(ROOT) if path.endswith(".py"))


def test_generated_code_passes_ruff_check() -> None:
    result = run(["-m", "ruff", "check", "--no-cache", *_generated_python()], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_is_already_ruff_formatted() -> None:
    result = run(["-m", "ruff", "format", "--check", "--no-cache", *_generated_python()], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_passes_mypy_strict(tmp_path: Path) -> None:
    args = ["-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), *_generated_python()]
    result = run(args, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_loads_no_api_or_model_module() -> None:
    script = (
        "import sys, tachyon_sdk\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('tachyon_sdk.api', 'tachyon_sdk.models')))\n"
        "assert loaded == [], loaded\n"
        "assert tachyon_sdk.__version__\n"
        "assert 'ChatApi' in dir(tachyon_sdk) and 'ChatApi' in tachyon_sdk.__all__\n"
        "api = tachyon_sdk.ChatApi\n"
        "assert 'tachyon_sdk.api.chat_api' in sys.modules\n"
        "assert tachyon_sdk.ChatCompletionRequest.__module__ == 'tachyon_sdk.models.chat_completion_request'\n"
        "assert tachyon_sdk.ApiException.__module__ == 'tachyon_sdk.exceptions'\n"
        "assert tachyon_sdk.Configuration.__module__ == 'tachyon_sdk.configuration'\n"
        "try:\n"
        "    tachyon_sdk.NoSuchName\n"
        "except AttributeError as exc:\n"
        "    assert 'NoSuchName' in str(exc)\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n"
        "print('ok')\n"
    )
    result = run(["-W", "error", "-c", script], ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize("doc", ["ChatApi.md", "DeploymentsApi.md", "ChatCompletionRequest.md"])
def test_docs_examples_are_valid_python(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        ast.parse(block)


def test_chat_api_docs_show_the_stream_method_iterating_a_stream() -> None:
    text = (ROOT / "docs" / "ChatApi.md").read_text(encoding="utf-8")
    section = text.split("# **chat_completion_stream**", 1)[1].split("\n# **", 1)[0]
    assert "with tachyon_sdk.ApiClient(configuration) as api_client:" in section
    assert "api_instance.chat_completion_stream(x_operator_id, authorization, chat_completion_request)" in section
    assert "for chunk in stream:" in section
    assert "[**chat_completion_stream**](ChatApi.md#chat_completion_stream)" in text


def test_hand_written_pages_in_docs_are_neither_stale_nor_removed(repo_copy: Path) -> None:
    page = repo_copy / "docs" / "guide.md"
    page.write_text("# A hand-written guide\n", encoding="utf-8")
    check = run(["-m", "codegen", "--check"], repo_copy)
    assert check.returncode == 0, check.stdout + check.stderr
    result = run(["-m", "codegen"], repo_copy)
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8") == "# A hand-written guide\n"
