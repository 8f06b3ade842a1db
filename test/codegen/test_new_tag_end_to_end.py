"""An operation under a new tag, with new schemas, becomes a working method after one regeneration.

On a copy of the repository the spec gains tag ``Inventory`` with ``addInventoryItem`` and schemas named
``Model``, ``List`` and ``type``; ``python -m codegen`` runs once; then a fresh interpreter with the copy
first on ``sys.path`` calls ``tachyon_sdk.InventoryApi(api_client).add_inventory_item(...)`` against a
real HTTP server on 127.0.0.1 (a thread of this test), and imports the new models.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml

from test.codegen._support import run

_NEW_PATH = {
    "post": {
        "tags": ["Inventory"],
        "operationId": "addInventoryItem",
        "summary": "Add an item to a shelf",
        "security": [{"api_key": []}],
        "parameters": [
            {"$ref": "#/components/parameters/XOperatorId"},
            {"name": "shelf_id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}},
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Model"}}},
        },
        "responses": {
            "200": {
                "description": "The stored item",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}},
            },
            "4XX": {
                "description": "Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
            },
        },
    }
}
_NEW_SCHEMAS = {
    "Model": {
        "type": "object",
        "required": ["name", "type"],
        "properties": {
            "name": {"type": "string", "maxLength": 20},
            "type": {"$ref": "#/components/schemas/type"},
            "from": {"type": "string"},
        },
    },
    "List": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Model"}},
            "total": {"type": "integer"},
        },
    },
    "type": {"type": "string", "enum": ["tool", "part"]},
}

_CLIENT = """
import json, sys
import tachyon_sdk
assert tachyon_sdk.__file__.startswith(sys.argv[2]), tachyon_sdk.__file__
from tachyon_sdk.models.model import Model
from tachyon_sdk.models.list import List
from tachyon_sdk.models.type import Type
assert tachyon_sdk.Model is Model and tachyon_sdk.List is List and tachyon_sdk.Type is Type
assert tachyon_sdk.models.Model is Model and tachyon_sdk.api.InventoryApi is tachyon_sdk.InventoryApi

configuration = tachyon_sdk.Configuration(host=sys.argv[1])
configuration.api_key["api_key"] = "secret-key"
with tachyon_sdk.ApiClient(configuration) as api_client:
    api = tachyon_sdk.InventoryApi(api_client)
    result = api.add_inventory_item("shelf 7", "tn_1", {"name": "hammer", "type": "tool", "from": "store"}, dry_run=True)
    assert isinstance(result, List), type(result)
    assert isinstance(result.items[0], Model) and result.items[0].type is Type.TOOL
    info = api.add_inventory_item_with_http_info("s", "tn_1", Model(name="saw", type=Type.PART))
    try:
        api.add_inventory_item("s", "tn_1", {"name": "x" * 21, "type": "tool"})
    except tachyon_sdk.ApiValueError as exc:
        invalid = str(exc)
    else:
        raise AssertionError("a too long name was sent")
    print(json.dumps({
        "total": result.total,
        "later_type": result.items[1].type.value,
        "later_known": result.items[1].type.is_known,
        "status": info.status_code,
        "invalid": invalid,
    }))
"""


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST with a ``List`` as JSON and records the request."""

    records: List[Dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.records.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        payload = json.dumps(
            {"items": [{"name": "hammer", "type": "tool"}, {"name": "nail", "type": "fastener"}], "total": 2}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    _Recorder.records = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_new_tag_operation_and_schemas_work_after_one_regeneration(
    repo_copy: Path, server: ThreadingHTTPServer
) -> None:
    spec_path = repo_copy / "openapi.yaml"
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    spec["paths"]["/v1/inventory/{shelf_id}/items"] = _NEW_PATH
    spec["components"]["schemas"].update(_NEW_SCHEMAS)
    spec.setdefault("tags", []).append({"name": "Inventory", "description": "Shelves and items."})
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")

    generated = run(["-m", "codegen"], repo_copy)
    assert generated.returncode == 0, generated.stderr
    assert (repo_copy / "tachyon_sdk/api/inventory_api.py").is_file()
    assert (repo_copy / "docs/InventoryApi.md").is_file()
    for name in ("Model", "List", "Type"):
        assert (repo_copy / f"docs/{name}.md").is_file()
    readme = (repo_copy / "README.md").read_text(encoding="utf-8")
    assert "[**add_inventory_item**](docs/InventoryApi.md#add_inventory_item)" in readme

    host = f"http://127.0.0.1:{server.server_address[1]}"
    script = "import sys; sys.path.insert(0, sys.argv[2])\n" + _CLIENT
    result = run(["-W", "error", "-c", script, host, str(repo_copy)], repo_copy.parent)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["total"] == 2
    assert output["later_type"] == "fastener" and output["later_known"] is False
    assert output["status"] == 200
    assert "name" in output["invalid"]

    assert len(_Recorder.records) == 2  # the invalid call sent nothing
    first = _Recorder.records[0]
    assert first["path"] == "/v1/inventory/shelf%207/items?dry_run=true"
    headers = {key.lower(): value for key, value in first["headers"].items()}
    assert headers["x-operator-id"] == "tn_1"
    assert headers["x-api-key"] == "secret-key"  # the spec's api_key scheme
    assert "authorization" not in headers
    assert headers["content-type"].startswith("application/json")
    assert first["body"] == {"name": "hammer", "type": "tool", "from": "store"}
    assert _Recorder.records[1]["body"] == {"name": "saw", "type": "part"}
