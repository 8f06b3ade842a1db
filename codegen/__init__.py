"""The generator of the SDK's API classes, models, package ``__init__`` and docs from an OpenAPI document.

``python -m codegen`` regenerates; ``python -m codegen --check`` only compares (exit 1 on drift). The
pipeline is load (:mod:`codegen.load`) -> semantic IR (:mod:`codegen.parse`, :mod:`codegen.schemas`) ->
file IR (:mod:`codegen.files`) -> Jinja templates (:mod:`codegen.render`).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from codegen import package as packaging
from codegen.diagnostics import Diagnostic, Diagnostics

if TYPE_CHECKING:
    from codegen.render import Plan

__all__ = ["generate"]


def generate(
    spec_path: Path,
    package: str = "tachyon_sdk",
    runtime: Optional[str] = None,
    docs_dir: str = "docs",
    readme: str = "README.md",
    layout: Optional[str] = None,
) -> Tuple[Optional["Plan"], List[Diagnostic]]:
    """Everything generated from the spec at ``spec_path``, or ``None`` and the errors.

    ``layout`` is one of :mod:`codegen.package`'s layouts; by default ``dependent`` when another
    ``runtime`` is named, else ``in-place`` (the package is its own runtime).
    """
    # imported here: ``import codegen`` (and the command line's first step) needs neither jinja2 nor pyyaml
    from codegen.files import Options, build_files
    from codegen.load import load
    from codegen.parse import parse
    from codegen.render import plan

    diagnostics = Diagnostics()
    problem = packaging.package_name_problem(package)
    if problem is None and runtime is not None:
        problem = packaging.package_name_problem(runtime)
        problem = problem.replace("--package", "--runtime-package", 1) if problem else None
    if problem is not None:
        diagnostics.error("#", problem)
        return None, diagnostics.items
    if layout is None:
        layout = packaging.DEPENDENT if runtime is not None and runtime != package else packaging.IN_PLACE
    spec = load(spec_path, diagnostics)
    if spec is None:
        return None, diagnostics.items
    document = parse(spec, diagnostics)
    if diagnostics.has_errors:
        return None, diagnostics.items
    options = Options(
        package=package,
        runtime=runtime if layout == packaging.DEPENDENT and runtime else package,
        spec_name=spec.name,
        docs_dir=docs_dir.strip("/") or ".",
        readme=readme,
    )
    extra: Dict[str, bytes] = {}
    dependencies: Tuple[str, ...] = ()
    async_dependencies: Tuple[str, ...] = ()
    manifest = packaging.IN_PLACE_MANIFEST
    if layout != packaging.IN_PLACE:
        manifest = packaging.MANIFEST
        if layout == packaging.VENDORED:
            extra.update(packaging.vendored_runtime(package, spec.name, document.version))
            dependencies = packaging.RUNTIME_REQUIREMENTS
            async_dependencies = packaging.RUNTIME_ASYNC_REQUIREMENTS
        else:
            name = runtime or packaging.RUNTIME_PACKAGE
            # the generated modules use the runtime's internal modules: exactly the version generated against
            pin = f" == {packaging.runtime_version()}" if name == packaging.RUNTIME_PACKAGE else ""
            dependencies = (packaging.distribution_name(name) + pin,)
            async_dependencies = (packaging.distribution_name(name) + "[async]" + pin,)
            extra[package.replace(".", "/") + "/py.typed"] = b""
        title = document.title or package
        extra["pyproject.toml"] = packaging.pyproject(
            options.banner,
            package,
            document.version,
            f"Python client of {title} (API version {document.version}), generated from {spec.name}",
            dependencies,
            ("aio", "aio.api", "api", "models"),
            async_dependencies,
        )
    return plan(build_files(document, options), options, spec.sha256, extra, manifest), diagnostics.items
