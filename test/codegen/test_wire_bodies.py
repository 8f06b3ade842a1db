"""Request bodies on the wire (``specs/bodies.yaml``): JSON, optional JSON, form, multipart with files
given as bytes, a path or a file object, text and raw bytes; the exact bytes the server received."""

import datetime
import importlib
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

from tachyon_sdk.exceptions import ApiValueError
from test.codegen._clients import Generated
from test.conftest import ScriptedServer


@pytest.fixture
def client(generated: Generated, http_server: ScriptedServer) -> Iterator[ModuleType]:
    yield importlib.import_module(generated.package("bodies"))


def _api(module: ModuleType, http_server: ScriptedServer) -> object:
    return module.BodiesApi(module.ApiClient(module.Configuration(host=http_server.url)))


def test_json_body_from_a_model_or_a_dict(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.default_reply(200, json={"name": "n", "size": 2, "later": True})
    api = _api(client, http_server)

    stored = api.send_json(client.Thing(name="n", size=2))
    api.send_json({"name": "m", "tags": ["a"]})

    assert isinstance(stored, client.Thing) and stored.size == 2 and stored.model_extra == {"later": True}
    first, second = http_server.requests
    assert first.header("Content-Type") == "application/json"
    assert first.body == b'{"name":"n","size":2}'
    assert second.body == b'{"name":"m","tags":["a"]}'
    with pytest.raises(ApiValueError, match="thing.name"):
        api.send_json({"name": "x" * 21})
    assert len(http_server.requests) == 2


def test_optional_body_may_be_left_out(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.default_reply(204)
    api = _api(client, http_server)

    assert api.send_optional() is None
    api.send_optional(body=[1, 2])

    first, second = http_server.requests
    assert first.body == b"" and first.header("Content-Type") is None
    assert second.body == b"[1,2]" and second.header("Content-Type") == "application/json"


def test_form_urlencoded_body(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(204)
    api = _api(client, http_server)

    api.send_form(
        {
            "name": "a b&c",
            "count": 3,
            "tags": ["x", "y"],
            "codes": [1, 2],
            "when": datetime.datetime(2024, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
            "meta": {"k": "v"},
            "ok": True,
        }
    )

    [request] = http_server.requests
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert request.body == (
        b"name=a+b%26c&count=3&tags=x&tags=y&codes=1,2"
        b"&when=2024-02-03T04%3A05%3A06%2B00%3A00&meta=%7B%22k%22%3A%22v%22%7D&ok=true"
    )


def test_a_json_model_can_be_sent_as_a_form_when_the_spec_offers_it(
    client: ModuleType, http_server: ScriptedServer
) -> None:
    http_server.default_reply(201)
    api = _api(client, http_server)

    api.create_thing(client.Thing(name="n", tags=["a", "b"]))
    api.create_thing(client.Thing(name="n", tags=["a", "b"]), _content_type="application/x-www-form-urlencoded")

    first, second = http_server.requests
    assert first.body == b'{"name":"n","tags":["a","b"]}'
    assert second.header("Content-Type") == "application/x-www-form-urlencoded"
    assert second.body == b"name=n&tags=a&tags=b"
    with pytest.raises(ApiValueError, match="application/xml"):
        api.create_thing({"name": "n"}, _content_type="application/xml")


def _parts(content_type: str, body: bytes) -> list:  # type: ignore[type-arg]
    """(headers, data) of each part, checking the framing on the way."""
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    assert body.endswith(b"--" + boundary + b"--\r\n")
    chunks = body[: -len(b"--" + boundary + b"--\r\n")].split(b"--" + boundary + b"\r\n")
    assert chunks[0] == b""
    parts = []
    for chunk in chunks[1:]:
        head, _, data = chunk.partition(b"\r\n\r\n")
        assert data.endswith(b"\r\n")
        parts.append((head.decode().split("\r\n"), data[:-2]))
    return parts


def test_multipart_with_files_from_bytes_a_path_and_a_file_object(
    client: ModuleType, http_server: ScriptedServer, tmp_path: Path
) -> None:
    http_server.reply(201, json={"name": "stored"})
    api = _api(client, http_server)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")

    stored = api.upload(
        client.UploadRequest(
            file=b"\x89PNG\r\n",
            extra=[photo, io.BytesIO(b"log text"), ("notes.txt", b"hi", "text/x-notes")],
            description='caf\u00e9 "quoted"',
            count=2,
            meta=client.Thing(name="m"),
        )
    )

    assert isinstance(stored, client.Thing) and stored.name == "stored"
    [request] = http_server.requests
    assert _parts(request.header("Content-Type") or "", request.body) == [
        (['Content-Disposition: form-data; name="file"; filename="file"', "Content-Type: image/png"], b"\x89PNG\r\n"),
        (['Content-Disposition: form-data; name="extra"; filename="photo.jpg"', "Content-Type: image/jpeg"], b"\xff\xd8jpeg"),
        (['Content-Disposition: form-data; name="extra"; filename="extra"', "Content-Type: application/octet-stream"], b"log text"),
        (['Content-Disposition: form-data; name="extra"; filename="notes.txt"', "Content-Type: text/x-notes"], b"hi"),
        (['Content-Disposition: form-data; name="description"'], 'caf\u00e9 "quoted"'.encode()),
        (['Content-Disposition: form-data; name="count"'], b"2"),
        (['Content-Disposition: form-data; name="meta"', "Content-Type: application/json"], b'{"name":"m"}'),
    ]  # fmt: skip


def test_multipart_file_object_with_a_name_and_a_dict_body(
    client: ModuleType, http_server: ScriptedServer, tmp_path: Path
) -> None:
    http_server.reply(201, json={"name": "ok"})
    api = _api(client, http_server)
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n1,2\n")

    with report.open("rb") as handle:
        api.upload({"file": handle})

    [request] = http_server.requests
    [(head, data)] = _parts(request.header("Content-Type") or "", request.body)
    assert head == ['Content-Disposition: form-data; name="file"; filename="report.csv"', "Content-Type: image/png"]
    assert data == b"a,b\n1,2\n"
    with pytest.raises(ApiValueError, match="file"):
        api.upload({"description": "no file"})  # file is required
    with pytest.raises(ApiValueError, match="file"):
        api.upload({"file": 42})


def test_text_body_and_text_response(client: ModuleType, http_server: ScriptedServer) -> None:
    http_server.reply(
        200, body="R\u00c9SUM\u00c9".encode("latin-1"), headers={"Content-Type": "text/plain; charset=latin-1"}
    )
    api = _api(client, http_server)

    answer = api.put_text("r\u00e9sum\u00e9")

    assert answer == "R\u00c9SUM\u00c9"
    [request] = http_server.requests
    assert request.method == "PUT"
    assert request.header("Content-Type") == "text/plain"
    assert request.header("Accept") == "text/plain"
    assert request.body == "r\u00e9sum\u00e9".encode()


def test_raw_bytes_body_from_bytes_path_or_file_and_bytes_response(
    client: ModuleType, http_server: ScriptedServer, tmp_path: Path
) -> None:
    http_server.default_reply(200, body=b"\x00\x01\xff", headers={"Content-Type": "application/octet-stream"})
    api = _api(client, http_server)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"from a path")

    answers = [api.put_raw(b"\x00raw\xff"), api.put_raw(blob), api.put_raw(io.BytesIO(b"from a file"))]

    assert answers == [b"\x00\x01\xff"] * 3
    assert [request.body for request in http_server.requests] == [b"\x00raw\xff", b"from a path", b"from a file"]
    assert {request.header("Content-Type") for request in http_server.requests} == {"application/octet-stream"}
    info = api.put_raw_with_http_info(b"x")
    assert info.raw_data == info.data == b"\x00\x01\xff"


def test_docs_name_the_body_media_types(generated: Generated) -> None:
    docs = (generated.outputs["bodies"] / "docs" / "BodiesApi.md").read_text(encoding="utf-8")
    assert " - **Content-Type**: multipart/form-data" in docs
    assert " - **Content-Type**: application/json, application/x-www-form-urlencoded" in docs
    example = json.dumps({"name": "string"})
    assert example.replace('"', '"') in docs
