"""The generator as a user outside this repository meets it.

- ``--spec X --package P --output DIR`` (no other flag) writes a self-contained package: the runtime
  copied in with its imports renamed, a ``pyproject.toml``; ``pip install DIR`` installs it, it imports
  without ``tachyon_sdk``, passes ``mypy --strict`` and talks to a server;
- the manifest sits next to ``pyproject.toml``, outside the package;
- a package name that is not an import name, or a missing generator dependency, is one clear line;
- the project's wheel carries the generator, its ``[codegen]`` extra and the ``tachyon-codegen`` command.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import List

import pytest

from codegen import package as packaging
from test.codegen._support import ROOT, SPECS, env, run
from test.conftest import ScriptedServer

TIMEOUT = 300  # seconds; pip and mypy end long before


def _pip(*args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]
    return subprocess.run(
        command, cwd=str(cwd), env=env(), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _install(source: Path, target: Path) -> None:
    """``pip install`` with nothing from an index: the build backend and the dependencies are this
    environment's own."""
    result = _pip(
        "install",
        "--no-index",
        "--no-build-isolation",
        "--no-deps",
        "--target",
        str(target),
        str(source),
        cwd=target.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``sse.yaml`` generated with nothing but --spec, --package and --output."""
    out = tmp_path_factory.mktemp("standalone") / "out"
    result = run(
        ["-m", "codegen", "--spec", str(SPECS / "sse.yaml"), "--package", "sse_client", "--output", str(out)], ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


def test_the_default_output_is_a_package_with_the_runtime_and_pyproject(standalone: Path) -> None:
    package = standalone / "sse_client"
    manifest = (standalone / packaging.MANIFEST).read_text(encoding="utf-8").splitlines()

    assert (standalone / "pyproject.toml").is_file() and (package / "py.typed").is_file()
    for module in ("_operation.py", "api_client.py", "streaming.py", "configuration.py", "rest.py"):
        text = (package / module).read_text(encoding="utf-8")
        assert text.startswith("# Generated from sse.yaml by codegen: the tachyon-sdk ")
        assert "tachyon_sdk" not in text
    assert not (package / "helpers.py").exists()  # the Tachyon-only helpers are not copied
    assert 'name = "sse-client"' in (standalone / "pyproject.toml").read_text(encoding="utf-8")
    assert "pyproject.toml" in manifest and "sse_client/streaming.py" in manifest
    assert not (standalone / "codegen").exists()  # no manifest in a folder named like the generator
    assert not list(package.rglob("*GENERATED*")) and not list(package.rglob(".codegen*"))

    check = run(
        [
            "-m",
            "codegen",
            "--spec",
            str(SPECS / "sse.yaml"),
            "--package",
            "sse_client",
            "--output",
            str(standalone),
            "--check",
        ],
        ROOT,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_pip_installs_it_and_it_works_without_tachyon_sdk(
    standalone: Path, tmp_path: Path, http_server: ScriptedServer
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    _install(standalone, target)
    http_server.reply(200, json={"id": "w", "text": "whole"})
    http_server.reply(
        200,
        body=[b'data: {"id": "c", "text": "a"}\n\ndata: {"id": "c", "text": "b"}\n\ndata: [DONE]\n\n'],
        headers={"Content-Type": "text/event-stream"},
    )
    http_server.reply(200, json={"id": "w", "text": "awaited"})
    http_server.reply(
        200,
        body=[b'data: {"id": "c", "text": "x"}\n\ndata: [DONE]\n\n'],
        headers={"Content-Type": "text/event-stream"},
    )
    script = f"""
import asyncio
import sys
sys.modules["tachyon_sdk"] = None  # importing it would fail: the package must not need it
import sse_client
api = sse_client.CompleteApi(sse_client.ApiClient(sse_client.Configuration(host={http_server.url!r}, retries=0)))
whole = api.complete(sse_client.CompleteRequest(prompt="hi"))
with api.complete_stream({{"prompt": "hi", "stream": True}}) as stream:
    texts = [chunk.text for chunk in stream]
print(type(whole).__module__, whole.text, texts, sse_client.__file__.startswith({str(target)!r}))

async def main():  # the copied asyncio runtime, under the package's name
    configuration = sse_client.Configuration(host={http_server.url!r}, retries=0)
    async with sse_client.aio.ApiClient(configuration) as client:
        aio_api = sse_client.aio.CompleteApi(client)
        answer = await aio_api.complete({{"prompt": "hi"}})
        # complete_stream is an operation that only streams: its plain method is awaited for the stream
        async with await aio_api.complete_stream({{"prompt": "hi", "stream": True}}) as stream:
            return answer.text, [chunk.text async for chunk in stream], type(client).__module__

print(*asyncio.run(main()))
"""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=str(tmp_path),
        env=env(PYTHONPATH=str(target)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "sse_client.models.chunk", "whole", "['a',", "'b']", "True", "awaited", "['x']", "sse_client.aio.api_client"
    ]  # fmt: skip
    installed = sorted(path.name for path in (target / "sse_client").iterdir())
    assert "py.typed" in installed and "_operation.py" in installed
    assert not list(target.rglob(packaging.MANIFEST))

    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "sse_client"],
        cwd=str(tmp_path),
        env=env(MYPYPATH=str(target)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


@pytest.mark.parametrize("name", ["museum-client", "2fast", "class", "museum client", "a..b"])
def test_a_package_name_that_cannot_be_imported_is_refused(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    result = run(["-m", "codegen", "--spec", str(SPECS / "sse.yaml"), "--package", name, "--output", str(out)], ROOT)

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and f"--package {name!r} is not a Python import name" in lines[0], result.stderr
    assert not out.exists()  # nothing written


def test_the_refusal_suggests_a_name() -> None:
    problem = packaging.package_name_problem("museum-client")
    assert problem is not None and "did you mean museum_client?" in problem
    assert packaging.package_name_problem("museum_client") is None
    assert packaging.package_name_problem("acme.museum_client") is None


@pytest.mark.parametrize("module", ["jinja2", "yaml"])
def test_a_missing_generator_dependency_is_one_line(tmp_path: Path, module: str) -> None:
    script = (
        f"import sys; sys.modules[{module!r}] = None\n"  # as if it were not installed
        "from codegen.__main__ import _run\n"
        "sys.exit(_run())\n"
    )
    args = ["-c", script, "--spec", str(SPECS / "sse.yaml"), "--package", "p", "--output", str(tmp_path / "out")]
    result = run(args, ROOT)

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    name = "pyyaml" if module == "yaml" else module
    assert len(lines) == 1 and f"the generator needs {name}" in lines[0], result.stderr
    assert 'pip install "tachyon-sdk[codegen]"' in lines[0]
    assert not (tmp_path / "out").exists()


def test_the_copied_runtime_declares_the_runtime_requirements() -> None:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    declared = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert list(packaging.RUNTIME_REQUIREMENTS) == declared
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert f"ASYNC_REQUIRES = {list(packaging.RUNTIME_ASYNC_REQUIREMENTS)!r}".replace("'", '"') in setup


def test_the_copied_runtime_includes_the_asyncio_client(standalone: Path) -> None:
    package = standalone / "sse_client"
    for module in ("aio/api_client.py", "aio/rest.py", "aio/streaming.py", "aio/__init__.py", "aio/api/__init__.py"):
        text = (package / module).read_text(encoding="utf-8")
        assert "tachyon_sdk" not in text, module
    pyproject = (standalone / "pyproject.toml").read_text(encoding="utf-8")
    assert '"sse_client.aio",' in pyproject and '"sse_client.aio.api",' in pyproject
    assert "[project.optional-dependencies]\nasync = [\n" in pyproject
    assert all(f'"{requirement}",' in pyproject for requirement in packaging.RUNTIME_ASYNC_REQUIREMENTS)


def _wheel(tmp_path: Path) -> Path:
    """The project's wheel, built from a copy (a build in the checkout would leave build/ and egg-info)."""
    source = tmp_path / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache")
    for name in ("setup.py", "pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("tachyon_sdk", "codegen"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    dist = tmp_path / "dist"
    result = _pip(
        "wheel", "--no-index", "--no-build-isolation", "--no-deps", "-w", str(dist), str(source), cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_the_generator_installs_with_its_extra_and_runs_from_anywhere(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    requires: List[str] = [
        line for line in metadata.splitlines() if line.startswith(("Provides-Extra", "Requires-Dist"))
    ]

    assert "codegen/__main__.py" in names and "codegen/templates/api.py.j2" in names
    assert "codegen/templates/docs/model.md.j2" in names
    assert "Provides-Extra: codegen" in requires
    assert any(line.startswith("Requires-Dist: jinja2") and 'extra == "codegen"' in line for line in requires)
    assert any(line.startswith("Requires-Dist: pyyaml") and 'extra == "codegen"' in line for line in requires)
    assert "tachyon-codegen = codegen.__main__:_run" in entry_points

    site = tmp_path / "site"
    site.mkdir()
    _install(wheel, site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(SPECS / "sse.yaml", elsewhere / "museum.yaml")
    command = site / "bin" / "tachyon-codegen"
    result = subprocess.run(
        [sys.executable, str(command), "--spec", "museum.yaml", "--package", "museum_client", "--output", "client"],
        cwd=str(elsewhere),
        env=env(PYTHONPATH=str(site)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pyproject = (elsewhere / "client" / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "museum-client"' in pyproject and 'version = "2.1.0"' in pyproject
    assert pyproject.count("urllib3") == 1  # the copied runtime's requirements are declared
    assert (elsewhere / "client" / "museum_client" / "streaming.py").is_file()


def test_the_generator_page_documents_all_of_it() -> None:
    page = (ROOT / "docs" / "generator.md").read_text(encoding="utf-8")
    for needle in (
        'pip install "tachyon-sdk[codegen]"',
        "tachyon-codegen --spec",
        "Why a copy of the runtime",
        f"`{packaging.MANIFEST}`",
        "`--package museum-client`",
        "`data`, `event`, `id`, `retry`",  # envelope schemas
        "`/v1/chat/completions#stream`",  # fragments
        "`x-speakeasy-sse-sentinel`",
        "answer nothing but a stream",
        "boolean body property `stream` or `streaming`",
        "| the whole Tachyon API (`tachyon/openapi.json` of the real documents) |",
        "## The real documents (`tox -e real`)",
    ):
        assert needle in page, needle


def test_without_package_outside_this_repository_it_asks_for_one(tmp_path: Path) -> None:
    result = run(["-m", "codegen", "--spec", str(SPECS / "sse.yaml"), "--output", str(tmp_path / "out")], ROOT)

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "name the package to generate with --package" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_dependent_package_pins_the_runtime_it_was_generated_against(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["-m", "codegen", "--spec", str(SPECS / "sse.yaml"), "--package", "dep_client", "--output", str(out)]
    result = run([*args, "--runtime-package", "tachyon_sdk"], ROOT)

    assert result.returncode == 0, result.stderr
    pyproject = (out / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"tachyon-sdk == {packaging.runtime_version()}",' in pyproject
    assert not (out / "dep_client" / "streaming.py").exists() and (out / "dep_client" / "py.typed").is_file()
