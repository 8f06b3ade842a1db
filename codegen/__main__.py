"""``python -m codegen [--check]`` (installed: ``tachyon-codegen``): regenerate the SDK from the spec, or report drift.

Exit codes: 0 done / up to date; 1 ``--check`` found a file that differs, is missing or is stale;
2 the spec has errors (one line each, with a JSON pointer into the spec), the arguments are wrong or a
dependency of the generator (jinja2, pyyaml) is missing.

``--spec api.yaml --package museum_client --output DIR`` writes an installable package (``pip install
DIR``): ``DIR/museum_client`` with a copy of the runtime, and ``DIR/pyproject.toml``. Without flags it
regenerates this repository's own ``tachyon_sdk`` from ``openapi.yaml`` in place.
"""

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from codegen import generate
from codegen import package as packaging
from codegen.diagnostics import ERROR

__all__ = ["main"]

_GENERATOR_DEPENDENCIES = ("jinja2", "yaml")


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any output would change")
    parser.add_argument("--spec", default="openapi.yaml", help="the OpenAPI document (YAML or JSON)")
    parser.add_argument("--package", default="tachyon_sdk", help="import name of the generated package")
    parser.add_argument(
        "--runtime-package",
        default=None,
        help="import name of an installed runtime the package depends on, instead of a copy of it in the package",
    )
    parser.add_argument("--output", default=".", help="root directory of the generated tree (default: cwd)")
    parser.add_argument("--docs-dir", default="docs", help="Markdown docs directory, relative to --output")
    parser.add_argument("--readme", default="README.md", help="README with the generated index block")
    return parser.parse_args(argv)


def _missing_dependency() -> Optional[str]:
    """One line naming the generator's missing dependency, or ``None`` when all are importable."""
    for module in _GENERATOR_DEPENDENCIES:
        try:
            __import__(module)
        except ImportError as exc:
            name = "pyyaml" if module == "yaml" else module
            return (
                f"error: the generator needs {name}, which is not installed ({exc}); "
                f'install the generator with: pip install "{packaging.RUNTIME_DISTRIBUTION}[codegen]"'
            )
    return None


def main(argv: Optional[List[str]] = None) -> int:
    args = _arguments(argv)
    missing = _missing_dependency()
    if missing is not None:
        print(missing, file=sys.stderr)
        return 2
    from codegen.render import apply, check

    root = Path(args.output)
    spec_path = Path(args.spec)
    layout = packaging.layout_of(root, args.package, args.runtime_package)
    result, diagnostics = generate(
        spec_path,
        package=args.package,
        runtime=args.runtime_package,
        docs_dir=Path(args.docs_dir).as_posix(),
        readme=Path(args.readme).as_posix(),
        layout=layout,
    )
    for item in diagnostics:
        print(f"{spec_path.name}: {item}", file=sys.stderr)
    if result is None or any(item.level == ERROR for item in diagnostics):
        return 2
    if layout == packaging.VENDORED and args.package == packaging.RUNTIME_PACKAGE:
        print(
            f"error: {root / packaging.RUNTIME_PACKAGE} is not this repository's package: name the package to "
            f"generate with --package (a copy named {packaging.RUNTIME_PACKAGE} would hide the runtime itself)",
            file=sys.stderr,
        )
        return 2
    if args.check:
        problems = check(root, result)
        for line in problems:
            print(line)
        if problems:
            print(f"codegen: {len(problems)} file(s) out of date; run python -m codegen", file=sys.stderr)
            return 1
        print(f"codegen: {len(result.files)} files up to date")
        return 0
    written, removed = apply(root, result)
    for path in removed:
        print(f"removed {path}")
    print(f"codegen: {len(result.files)} generated files; {len(written)} written, {len(removed)} removed")
    return 0


def _run() -> int:
    try:
        return main()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: report the generator's own failure in one line
        print(f"error: #: internal error in codegen: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(_run())
