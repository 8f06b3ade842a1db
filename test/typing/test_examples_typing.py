"""The README's and docs' examples, and a typical user script, pass ``mypy --strict`` with no plugin.

A new user runs mypy with their own settings, not the project's (which loads the pydantic plugin):
the check here uses an empty configuration. The README's python blocks are checked as one module,
in order (a later block uses names an earlier one defined), and so are each docs page's blocks;
``user_script.py`` is a typical script (dict and model bodies, enum values as strings, streaming,
``_with_http_info``, ``_extra_body``, error handling). A last check proves mypy does fail on the
mistakes the typing is there to catch.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[2]
USER_SCRIPT = Path(__file__).with_name("user_script.py")


def python_blocks(page: Path) -> List[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def mypy_without_plugin(tmp_path: Path, *files: Path) -> "subprocess.CompletedProcess[str]":
    """``mypy --strict`` with an empty configuration (no plugin), the SDK taken from this checkout."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("MYPY")}
    env["MYPYPATH"] = str(ROOT)
    args = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--no-incremental"]
    args += ["--cache-dir", str(tmp_path / "cache"), *(str(path) for path in files)]
    return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False)


def example_modules(tmp_path: Path) -> Dict[str, Path]:
    """The examples as modules to check.

    A hand-written page (the README, docs/testing.md) tells a story: its blocks are one module, in order,
    a block using what an earlier one defined (``allow-redefinition``, as they are separate snippets). Each
    example of a generated page stands alone: one module per block.
    """
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    modules: Dict[str, Path] = {}
    for page in pages:
        blocks = python_blocks(page)
        name = "example_" + re.sub(r"\W", "_", page.stem)
        generated = page.read_text(encoding="utf-8").startswith("<!-- Generated")
        if generated:
            for index, block in enumerate(blocks):
                module = tmp_path / f"{name}_{index}.py"
                module.write_text(block, encoding="utf-8")
                modules[f"{page.relative_to(ROOT).as_posix()}#{index}"] = module
        elif blocks:
            module = tmp_path / f"{name}.py"
            module.write_text("# mypy: allow-redefinition\n" + "\n\n".join(blocks), encoding="utf-8")
            modules[page.relative_to(ROOT).as_posix()] = module
    return modules


def test_readme_docs_and_a_user_script_pass_mypy_strict_without_a_plugin(tmp_path: Path) -> None:
    modules = example_modules(tmp_path)
    assert "README.md" in modules and "docs/testing.md" in modules
    assert {"docs/ChatApi.md#0", "docs/ChatApi.md#3", "docs/DeploymentsApi.md#3"} <= set(modules)
    assert "docs/ChatCompletionRequest.md#0" in modules
    assert len(modules) >= 48

    result = mypy_without_plugin(tmp_path, *modules.values(), USER_SCRIPT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"no issues found in {len(modules) + 1} source files" in result.stdout


def test_the_readme_getting_started_snippet_is_checked_whole(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Getting started\n", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    assert 'ChatCompletionRequest(messages=[{"role": "user", "content": "Hi"}])' in code
    assert "except OpenApiException" in code and "LocalServer()" in code
    module = tmp_path / "getting_started.py"
    module.write_text(code, encoding="utf-8")

    result = mypy_without_plugin(tmp_path, module)

    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_catches_the_mistakes_the_types_are_for(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong_usage.py"
    wrong.write_text(
        "import tachyon_sdk\n"
        "from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest\n"
        "from tachyon_sdk.models.deployment_message import DeploymentMessage\n"
        "def check(api: tachyon_sdk.ChatApi) -> None:\n"
        "    ChatCompletionRequest(messages=[], temprature=0.2)\n"
        "    DeploymentMessage(role=5, content='Hi')\n"
        "    answer = api.chat_completion('tn_1', 'Bearer x', {'messages': []})\n"
        "    answer.text\n"
        "    for chunk in api.chat_completion_stream('tn_1', 'Bearer x', {'messages': []}):\n"
        "        chunk.choices[0].message\n"
        "    api.chat_completion('tn_1', 'Bearer x', {'messages': []}, _extra_body=['stream'])\n",
        encoding="utf-8",
    )

    result = mypy_without_plugin(tmp_path, wrong)

    assert result.returncode == 1
    out = result.stdout
    assert 'wrong_usage.py:5: error: Unexpected keyword argument "temprature"' in out
    assert 'did you mean "temperature"?' in out
    assert 'wrong_usage.py:6: error: Argument "role" to "DeploymentMessage" has incompatible type "int"' in out
    assert 'wrong_usage.py:8: error: "ChatCompletionResponse" has no attribute "text"' in out
    assert 'wrong_usage.py:10: error: "ChatCompletionChunkChoice" has no attribute "message"' in out
    assert 'wrong_usage.py:11: error: Argument "_extra_body" to "chat_completion"' in out
    assert "Found 5 errors in 1 file" in out
