"""A user's first hour (issue 13), without a network: models refuse typos and raise SDK exceptions,
show their fields from the start and print readably; exceptions read well; the configuration
refuses a host without its scheme and prints debug lines once; the package carries its licence.
"""

import importlib
import inspect
import io
import logging
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Type

import pydantic
import pytest

import tachyon_sdk
import tachyon_sdk.models
from tachyon_sdk import Configuration
from tachyon_sdk._log import redact
from tachyon_sdk._model import BaseModel
from tachyon_sdk._servers import SERVERS
from tachyon_sdk.exceptions import (
    ApiTypeError,
    ApiValidationError,
    ApiValueError,
    OpenApiException,
    UnauthorizedException,
)
from tachyon_sdk.models.chat_completion_message import ChatCompletionMessage
from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest
from tachyon_sdk.models.chat_completion_response import ChatCompletionResponse
from tachyon_sdk.models.deployment_message import DeploymentMessage
from tachyon_sdk.models.deployment_message_role import DeploymentMessageRole
from tachyon_sdk.models.function_parameters import FunctionParameters

ROOT = Path(__file__).resolve().parents[2]


def model_classes() -> List[Type[BaseModel]]:
    found: List[Type[BaseModel]] = []
    for info in pkgutil.iter_modules(tachyon_sdk.models.__path__):
        module = importlib.import_module(f"tachyon_sdk.models.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found.append(value)
    return found


MODELS = model_classes()


# --- typos (point 2) -----------------------------------------------------------------------------------


def test_a_constructor_refuses_an_unknown_field_naming_the_closest_one() -> None:
    with pytest.raises(ApiValidationError) as caught:
        ChatCompletionRequest(messages=[], temprature=0.2)  # type: ignore[call-arg]

    assert str(caught.value).startswith(
        "ChatCompletionRequest: temprature: unknown field (did you mean `temperature`?); "
    )
    assert "_extra_body" in str(caught.value)
    assert caught.value.errors()[0]["loc"] == ("temprature",)
    assert caught.value.path_to_item == ("temprature",)


def test_a_typo_in_a_nested_dict_is_refused_too() -> None:
    with pytest.raises(ApiValidationError, match=r"messages\.1\.contnet: unknown field \(did you mean `content`\?\)"):
        ChatCompletionRequest(messages=[{"role": "system", "content": "x"}, {"role": "user", "contnet": "Hi"}])


def test_a_name_unlike_any_field_is_refused_without_a_suggestion() -> None:
    with pytest.raises(ApiValidationError) as caught:
        ChatCompletionMessage(role="user", zzzz=1)  # type: ignore[call-arg]

    assert "zzzz: unknown field; " in str(caught.value) and "did you mean" not in str(caught.value)


def test_a_schema_open_to_more_properties_keeps_them() -> None:
    parameters = FunctionParameters(type="object", properties={}, required=[], additionalProperties=False)

    assert parameters.to_dict()["additionalProperties"] is False
    assert "**extra: Any" in str(inspect.signature(FunctionParameters))


def test_reading_stays_lenient_unknown_fields_are_kept() -> None:
    wire = {"id": "c1", "object": "chat.completion", "model": "m", "choices": [], "brand_new": {"a": 1}}

    assert ChatCompletionResponse.from_dict(wire).to_dict() == wire
    assert ChatCompletionResponse.from_json(ChatCompletionResponse.from_dict(wire).to_json()).to_dict() == wire


# --- every failure an SDK exception (point 3) ---------------------------------------------------------


def test_invalid_values_raise_api_validation_error_keeping_pydantics_detail() -> None:
    with pytest.raises(ApiValidationError) as caught:
        ChatCompletionRequest(messages=[{"content": "no role"}], temperature=3, n=0)

    error = caught.value
    assert isinstance(error, ApiValueError) and isinstance(error, ValueError) and isinstance(error, OpenApiException)
    assert tachyon_sdk.ApiValidationError is ApiValidationError  # a top-level name, as every exception
    assert isinstance(error.__cause__, pydantic.ValidationError)
    assert {(e["loc"], e["type"]) for e in error.errors()} == {
        (("messages", 0, "role"), "missing"),
        (("temperature",), "less_than_equal"),
        (("n",), "greater_than_equal"),
    }
    assert str(error) == (
        "ChatCompletionRequest: messages.0.role: Field required; n: Input should be greater than or equal to 1; "
        "temperature: Input should be less than or equal to 2"
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: ChatCompletionRequest.from_dict({"messages": "not a list"}),
        lambda: ChatCompletionRequest.from_dict(["not", "a", "dict"]),  # type: ignore[arg-type]
        lambda: ChatCompletionRequest.from_json('{"messages": [}'),
        lambda: ChatCompletionRequest.from_json(b'{"messages": 1}'),
        lambda: DeploymentMessage(role=5, content="x"),  # type: ignore[arg-type]
    ],
)
def test_from_dict_from_json_and_constructors_raise_the_sdk_exception(build: Any) -> None:
    with pytest.raises(ApiValidationError) as caught:
        build()
    assert caught.value.errors() and "loc" in caught.value.errors()[0]


def test_an_invalid_assignment_raises_the_sdk_exception_and_keeps_the_value() -> None:
    request = ChatCompletionRequest(messages=[], temperature=0.5)

    with pytest.raises(ApiValidationError, match=r"^ChatCompletionRequest: temperature: Input should be less"):
        request.temperature = 9

    assert request.temperature == 0.5
    request.tool_choice = "auto"  # type: ignore[assignment]  # enum values validate from their raw value
    assert request.to_dict()["tool_choice"] == "auto"


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_no_model_lets_a_pydantic_error_out(model: Type[BaseModel]) -> None:
    for attempt in (lambda: model.from_dict([]), lambda: model.from_json("{"), lambda: model(__bad__=1)):  # type: ignore[arg-type]
        with pytest.raises(ApiValidationError):
            attempt()


# --- signatures before first use, and str (points 7 and 9) ---------------------------------------------


def test_signature_and_help_show_the_fields_before_the_model_is_first_used() -> None:
    script = (
        "import inspect, pydoc\n"
        "from tachyon_sdk.models.chat_completion_request import ChatCompletionRequest as M\n"
        "assert not M.__pydantic_complete__\n"
        "print(inspect.signature(M))\n"
        "print([line for line in pydoc.render_doc(M, renderer=pydoc.plaintext).splitlines() if '(*' in line][0])\n"
        "M(messages=[])\n"
        "assert M.__pydantic_complete__\n"
        "print(inspect.signature(M))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)

    assert result.returncode == 0, result.stderr
    before, help_line, after = result.stdout.splitlines()
    assert before.startswith("(*, messages: List[tachyon_sdk.models.chat_completion_message.ChatCompletionMessage], ")
    assert "temperature: Optional[float] = None" in before and "**" not in before
    assert help_line.strip(" |").startswith("ChatCompletionRequest(*, messages: List[")
    assert after == before  # pydantic's own signature, once built, says the same


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_every_model_signature_lists_its_fields(model: Type[BaseModel]) -> None:
    parameters = inspect.signature(model).parameters

    assert [name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY] == list(model.model_fields)


def test_str_of_a_model_is_as_readable_as_its_repr() -> None:
    request = ChatCompletionRequest(messages=[{"role": "user", "content": "Hi"}], temperature=0.2)
    small = DeploymentMessage(role="user", content="Hi")

    assert str(request) == repr(request)
    assert str(request).startswith("ChatCompletionRequest(\n    messages=[\n        ChatCompletionMessage(")
    assert "    temperature=0.2,\n" in str(request)
    assert str(small) == "DeploymentMessage(role='user', content='Hi')"
    assert small.role is DeploymentMessageRole.USER


# --- exceptions read well (point 5) -------------------------------------------------------------------


def test_an_api_exception_starts_with_status_and_server_message_and_keeps_the_long_form() -> None:
    body = b'{"error": "Unauthorized: the token has expired"}'
    headers = {"WWW-Authenticate": 'Bearer realm="tachyon", error="invalid_token"', "Content-Type": "application/json"}
    error = UnauthorizedException(401, "Unauthorized", body=body, headers=headers)

    first, *rest = str(error).splitlines()
    assert first == "(401) Unauthorized: Unauthorized: the token has expired"
    assert error.server_message == "Unauthorized: the token has expired"
    assert error.status == 401 and error.headers == headers and error.body == body.decode()
    assert rest == [
        "Reason: Unauthorized",
        "HTTP response headers: {'WWW-Authenticate': 'Bearer realm=\"tachyon\", error=\"invalid_token\"', "
        "'Content-Type': 'application/json'}",
        f"HTTP response body: {body.decode()}",
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('Bearer realm="tachyon"', 'Bearer realm="tachyon"'),
        ('Basic realm="x", charset="UTF-8"', 'Basic realm="x", charset="UTF-8"'),
        ("Basic charset=UTF-8", "Basic charset=UTF-8"),
        ("Authorization: Bearer abc.DEF-123", "Authorization: Bearer ***"),
        ('{"auth": "Bearer c2VjcmV0LXRva2Vu=="}', '{"auth": "Bearer ***"}'),
        ("curl -H 'Authorization: Basic dXNlcjpwYXNz'", "curl -H 'Authorization: Basic ***'"),
    ],
)
def test_masking_hides_credentials_and_leaves_challenges_alone(text: str, shown: str) -> None:
    assert redact(text) == shown


# --- configuration (point 6) --------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost:8080", "api.n1.tachy.one", "ftp://127.0.0.1", "http://", "http://a b"])
def test_a_host_that_is_not_an_http_url_is_refused_when_set(host: str) -> None:
    with pytest.raises(ApiValueError, match="an http:// or https:// URL is expected"):
        Configuration(host=host)
    configuration = Configuration(host="http://127.0.0.1:8080")
    with pytest.raises(ApiValueError, match="Invalid host"):
        configuration.host = host
    assert configuration.host == "http://127.0.0.1:8080"


def test_a_host_without_its_scheme_gets_a_hint_and_a_non_str_a_type_error() -> None:
    with pytest.raises(ApiValueError, match=re.escape("(did you mean 'http://localhost:8080'?)")):
        Configuration(host="localhost:8080")
    with pytest.raises(ApiTypeError, match="host must be a str"):
        Configuration(host=8080)  # type: ignore[arg-type]
    assert Configuration(host="https://api.n1.tachy.one/").host == "https://api.n1.tachy.one/"


@pytest.fixture
def root_handler() -> Iterator[List[logging.Handler]]:
    added: List[logging.Handler] = []
    yield added
    for handler in added:
        logging.root.removeHandler(handler)


def _debug_line(configuration: Configuration) -> None:
    configuration.debug = True
    logging.getLogger("tachyon_sdk").debug("request POST http://h/v1/x")
    configuration.debug = False


def test_debug_prints_each_line_once_when_the_application_logs_to_the_console(
    capsys: pytest.CaptureFixture[str], root_handler: List[logging.Handler]
) -> None:
    _debug_line(Configuration())
    alone = capsys.readouterr().err
    console = logging.StreamHandler(sys.stderr)  # what logging.basicConfig() adds
    console.setFormatter(logging.Formatter("app: %(message)s"))
    logging.root.addHandler(console)
    root_handler.append(console)

    _debug_line(Configuration())
    with_console = capsys.readouterr().err

    assert alone.count("request POST http://h/v1/x") == 1
    assert with_console.count("request POST http://h/v1/x") == 1
    assert with_console.startswith("app: request POST")  # the application's format


def test_debug_still_prints_when_the_application_logs_elsewhere_only(
    capsys: pytest.CaptureFixture[str], root_handler: List[logging.Handler]
) -> None:
    elsewhere = logging.StreamHandler(io.StringIO())
    quiet_console = logging.StreamHandler(sys.stderr)
    quiet_console.setLevel(logging.WARNING)  # does not print DEBUG records
    for handler in (elsewhere, quiet_console):
        logging.root.addHandler(handler)
        root_handler.append(handler)

    _debug_line(Configuration())

    assert capsys.readouterr().err.count("request POST http://h/v1/x") == 1
    assert isinstance(elsewhere.stream, io.StringIO) and "request POST" in elsewhere.stream.getvalue()


# --- what a user looks for in a package (point 9) -----------------------------------------------------


def test_the_package_has_its_license_and_project_urls(tmp_path: Path) -> None:
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in license_text

    result = subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [info] = tmp_path.glob("*.egg-info/PKG-INFO")
    metadata = info.read_text(encoding="utf-8")
    assert "License-File: LICENSE" in metadata
    urls = dict(re.findall(r"^Project-URL: ([^,]+), (\S+)$", metadata, re.M))
    assert urls == {"Tachyon API": "https://api.n1.tachy.one", "Emissary API": "https://api.withemissary.com"}
    assert set(urls.values()) <= {server.url for server in SERVERS}  # the spec's own servers, nothing invented


# --- the docs name methods that exist (point 8) -------------------------------------------------------


def test_every_with_http_info_method_the_docs_name_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    named = set(re.findall(r"\b([a-z][a-z0-9_]*_with_http_info)\b", text))
    methods = {name for api in (tachyon_sdk.ChatApi, tachyon_sdk.DeploymentsApi) for name in vars(api)}

    assert "chat_completion_stream_with_http_info" in named
    assert named <= methods, named - methods
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert (
        "`<operation>_stream_with_http_info` gives the status\ncode and headers with the `Stream` as `data`" in readme
    )
    for name in [name for name in methods if name.endswith("_stream")]:
        assert f"{name}_with_http_info" in methods
