"""The generator of the SDK's API classes, models, package ``__init__`` and docs from an OpenAPI document.

``python -m codegen`` regenerates; ``python -m codegen --check`` only compares (exit 1 on drift). The
pipeline is load (:mod:`codegen.load`) -> semantic IR (:mod:`codegen.parse`, :mod:`codegen.schemas`) ->
file IR (:mod:`codegen.files`) -> Jinja templates (:mod:`codegen.render`).
"""

from pathlib import Path
from typing import List, Optional, Tuple

from codegen.diagnostics import Diagnostic, Diagnostics
from codegen.files import Options, build_files
from codegen.load import load
from codegen.parse import parse
from codegen.render import Plan, plan

__all__ = ["generate"]


def generate(
    spec_path: Path,
    package: str = "tachyon_sdk",
    runtime: Optional[str] = None,
    docs_dir: str = "docs",
    readme: str = "README.md",
) -> Tuple[Optional[Plan], List[Diagnostic]]:
    """Everything generated from the spec at ``spec_path``, or ``None`` and the errors."""
    diagnostics = Diagnostics()
    spec = load(spec_path, diagnostics)
    if spec is None:
        return None, diagnostics.items
    document = parse(spec, diagnostics)
    if diagnostics.has_errors:
        return None, diagnostics.items
    options = Options(
        package=package,
        runtime=runtime or package,
        spec_name=spec.name,
        docs_dir=docs_dir.strip("/") or ".",
        readme=readme,
    )
    return plan(build_files(document, options), options, spec.sha256), diagnostics.items
