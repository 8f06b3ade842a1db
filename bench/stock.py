"""Generates the stock OpenAPI Generator ``python`` client from ``openapi.yaml`` at bench time.

The generator is the ``openapi-generator-cli`` package (pinned in ``bench/requirements.txt``),
which bundles the generator jar and runs it with the ``java`` on ``PATH``. The client is
written to ``<work dir>/stock-<hash of spec and generator version>/stock_client`` and reused
while neither changes; it is never committed. The spec is passed unchanged: the generator
accepts our OpenAPI 3.1 document (it warns that its 3.1 support is in beta) and every warning
it prints is copied into the report.
"""

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

PACKAGE = "stock_client"
_DIST = "openapi-generator-cli"
_MARKER = ".bench-complete"
_TIMEOUT = 300.0


@dataclass
class StockClient:
    """Where the stock client is (``path`` goes on ``PYTHONPATH``), or why it is not available."""

    path: Optional[str] = None
    reason: str = ""
    generator_version: str = ""
    command: str = ""
    warnings: List[str] = field(default_factory=list)
    generated_now: bool = False
    seconds: float = 0.0


def _jar() -> Optional[Path]:
    spec = importlib.util.find_spec("openapi_generator_cli")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(next(iter(spec.submodule_search_locations))) / "openapi-generator.jar"
    return jar if jar.is_file() else None


def prepare(spec_path: Path, work_dir: Path, allow_generate: bool = True) -> StockClient:
    """Return the generated client, generating it first when it is not cached."""
    jar = _jar()
    if jar is None:
        return StockClient(reason=f"not installed ({_DIST} cannot be imported)")
    version = importlib.metadata.version(_DIST)
    java = shutil.which("java")
    if java is None:
        return StockClient(
            reason="Java not found (the bundled generator jar needs a Java runtime)", generator_version=version
        )
    spec_bytes = spec_path.read_bytes()
    key = hashlib.sha256(spec_bytes + version.encode()).hexdigest()[:12]
    target = work_dir / f"stock-{key}"
    options = f"packageName={PACKAGE},projectName=stock-client"
    shown = f"openapi-generator-cli {version} generate -g python -i openapi.yaml --additional-properties={options}"
    result = StockClient(path=str(target), generator_version=version, command=shown)
    log = target / "generator.log"
    if (target / _MARKER).is_file():
        result.warnings = _warnings(log.read_text(encoding="utf-8") if log.is_file() else "")
        return result
    if not allow_generate:
        return StockClient(reason="not generated yet (run the full bench once)", generator_version=version)
    work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="stock-", dir=work_dir))
    command = [
        java, "-jar", str(jar), "generate", "-g", "python", "-i", str(spec_path), "-o", str(scratch),
        f"--additional-properties={options}",
        "--global-property=apiTests=false,modelTests=false,apiDocs=false,modelDocs=false",
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        return StockClient(reason=f"generation failed ({type(exc).__name__})", generator_version=version)
    output = done.stdout + done.stderr
    if done.returncode != 0 or not (scratch / PACKAGE / "__init__.py").is_file():
        shutil.rmtree(scratch, ignore_errors=True)
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
        return StockClient(reason=f"generation failed: {last[:200]}", generator_version=version)
    (scratch / "generator.log").write_text(output, encoding="utf-8")
    (scratch / _MARKER).write_text(shown + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(scratch, target)
    for stale in work_dir.glob("stock-*"):  # clients of an older spec or generator
        if stale != target and (stale / _MARKER).is_file():
            shutil.rmtree(stale, ignore_errors=True)
    result.warnings = _warnings(output)
    result.generated_now = True
    result.seconds = time.perf_counter() - started
    return result


def _warnings(output: str) -> List[str]:
    """The generator's WARN lines without their logger prefix, each once."""
    seen: List[str] = []
    for line in output.splitlines():
        if " WARN " in line:
            text = line.split(" - ", 1)[-1].strip()
            if text not in seen:
                seen.append(text)
    return seen
