"""Fixtures for the tests of tachyon_sdk.testing: a LocalServer, a raw HTTP client, the spec's schemas."""

import http.client
import json
import os
import pathlib
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional

import jsonschema
import pytest
import yaml

from tachyon_sdk.testing import DEFAULT_OPERATOR_ID, LocalServer

# The plugin's hook and fixture, so that they exist here also when the pytest11 entry point is not installed.
from tachyon_sdk.testing.pytest_plugin import pytest_configure, tachyon_server  # noqa: F401

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


@dataclass
class Event:
    """One Server-Sent Event as parsed by the tests (independently of the SDK's decoder)."""

    event: Optional[str]
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


def parse_sse(raw: bytes) -> List[Event]:
    """Parse a text/event-stream body (``\\n`` line ends, as the local server writes them)."""
    events: List[Event] = []
    for block in raw.decode("utf-8").split("\n\n"):
        if not block.strip():
            continue
        name: Optional[str] = None
        data: List[str] = []
        for line in block.split("\n"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        events.append(Event(name, "\n".join(data)))
    return events


@dataclass
class Answer:
    """A response read to its end; ``complete`` is False when the body ended early (partial ``body``)."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes
    complete: bool = True

    def json(self) -> Any:
        return json.loads(self.body)

    def events(self) -> List[Event]:
        return parse_sse(self.body)


class RawClient:
    """Plain http.client requests to a LocalServer, with the headers an SDK would send."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server

    def headers(self, path: str, **overrides: Optional[str]) -> Dict[str, str]:
        """What the SDK sends: Chat ``x-operator-id`` and ``Authorization``; Deployments ``X-API-Key``."""
        headers = {"Content-Type": "application/json"}
        if "/projects/" in path:
            headers["X-API-Key"] = self.server.api_key
        else:
            headers["x-operator-id"] = DEFAULT_OPERATOR_ID
            headers["Authorization"] = "Bearer any-token"
        for name, value in overrides.items():
            wire = name.replace("_", "-")
            matches = [k for k in headers if k.lower() == wire.lower()]
            for key in matches:
                del headers[key]
            if value is not None:
                headers[matches[0] if matches else wire] = value
        return headers

    def request(
        self,
        path: str,
        body: Any = None,
        *,
        method: str = "POST",
        raw: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: float = 10.0,
    ) -> Answer:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=dict(headers if headers is not None else self.headers(path)))
            response = conn.getresponse()
            try:
                return Answer(response.status, response.headers, response.read())
            except http.client.IncompleteRead as exc:
                return Answer(response.status, response.headers, exc.partial, complete=False)
        finally:
            conn.close()

    def post(self, path: str, body: Any, **header_overrides: Optional[str]) -> Answer:
        return self.request(path, body, headers=self.headers(path, **header_overrides))


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        yield local


@pytest.fixture
def client(server: LocalServer) -> RawClient:
    return RawClient(server)


@pytest.fixture(scope="session")
def repo_root() -> pathlib.Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def spec() -> Dict[str, Any]:
    with open(REPO_ROOT / "openapi.yaml", encoding="utf-8") as f:
        loaded: Dict[str, Any] = yaml.safe_load(f)
    return loaded


class SpecChecker:
    """Validates JSON values against the spec's component schemas with jsonschema (an independent validator)."""

    def __init__(self, spec: Dict[str, Any]) -> None:
        self.spec = spec

    def errors(self, instance: Any, schema_name: str) -> List[str]:
        root = {"$ref": f"#/components/schemas/{schema_name}", "components": self.spec["components"]}
        validator = jsonschema.Draft202012Validator(root)
        return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]

    def check(self, instance: Any, schema_name: str) -> None:
        errors = self.errors(instance, schema_name)
        assert not errors, f"{schema_name}: {errors}"

    def response_schema(self, path: str, status: str, media_type: str = "application/json") -> str:
        """The component name of the schema of a response of the operation at ``path`` (template form)."""
        response = self.spec["paths"][path]["post"]["responses"][status]
        if "$ref" in response:
            response = self.spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        ref: str = response["content"][media_type]["schema"]["$ref"]
        return ref.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def checker(spec: Dict[str, Any]) -> SpecChecker:
    return SpecChecker(spec)


def subprocess_env(**extra: str) -> Dict[str, str]:
    """The environment for a child Python: no TACHYON_* variables, the repository importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TACHYON_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@pytest.fixture
def child_env() -> Any:
    """``child_env(**extra)``: the environment for a child Python (see :func:`subprocess_env`)."""
    return subprocess_env
