"""The repository keeps its promises to a new user: a valid spec, the README's commands, CI in step with them."""

import re
from pathlib import Path

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _fenced_blocks(text: str) -> list:
    return re.findall(r"```(?:sh|bash)\n(.*?)```", text, re.S)


def test_openapi_yaml_is_a_valid_openapi_document() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert "jsonSchemaDialect" not in spec


def test_spec_declares_the_contract_operations() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    found = {
        op["operationId"]: (method.upper(), path, op["tags"][0])
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }
    assert found == {
        "chat_completion": ("POST", "/v1/llms/chat/completions", "Chat"),
        "chat_completion_on_chatroom": ("POST", "/v1/llms/chatrooms/{chatroom_id}/chat/completions", "Chat"),
        "getChatCompletionsFromDeployment": (
            "POST",
            "/v1/projects/{project_id}/deployments/{deployment_id}/chat/completions",
            "Deployments",
        ),
        "getCompletionsFromDeployment": (
            "POST",
            "/v1/projects/{project_id}/deployments/{deployment_id}/completions",
            "Deployments",
        ),
    }
    for item in spec["paths"].values():
        for op in item.values():
            ok = op["responses"]["200"]["content"]
            assert set(ok) == {"application/json", "text/event-stream"}
            assert op["x-stream-flag"] in ("stream", "streaming")


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = _readme().split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in _fenced_blocks(setup)]
    assert len(commands) == 2
    main_job, test_suite = commands
    assert "examples/chat_stream.py" in main_job
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_suite in ci.splitlines()


def test_readme_documents_regenerating() -> None:
    section = _readme().split("## Regenerating", 1)[1].split("\n## ", 1)[0]
    assert "regenerate" in section
    assert any("python3 -m codegen --check" in block for block in _fenced_blocks(section))


def test_lowest_tested_versions_are_the_lower_bounds_of_requirements() -> None:
    bounds = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"([\w-]+)\s*>=\s*([\w.]+)", line)
        if m:
            bounds[m.group(1).lower()] = m.group(2)
    pinned = {}
    for line in (ROOT / "constraints-min.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"([\w-]+)\s*==\s*([\w.]+)", line)
        if m:
            pinned[m.group(1).lower()] = m.group(2)
    assert bounds == {k: v for k, v in pinned.items()}
    assert set(bounds) == {"urllib3", "pydantic", "python-dateutil", "typing-extensions"}
