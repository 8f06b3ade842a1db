"""Packaging for tachyon_sdk, the Python client of the Tachyon LLM API."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (HERE / "tachyon_sdk" / "__init__.py").read_text(encoding="utf-8"), re.M
)
REQUIRES = [
    line.strip()
    for line in (HERE / "requirements.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
ASYNC_REQUIRES = ["aiohttp >= 3.10, < 4"]

# The services this SDK calls, as openapi.yaml's servers list them (test_repository checks they agree).
# No public source repository, issue tracker or documentation site is known yet: add them here when there is one.
PROJECT_URLS = {
    "Tachyon API": "https://api.n1.tachy.one",
    "Emissary API": "https://api.withemissary.com",
}

setup(
    name="tachyon-sdk",
    version=VERSION.group(1) if VERSION else "0.0.0",
    description="Python client for the Tachyon LLM API: chat and deployment completions, streamed over Server-Sent Events",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    license_files=["LICENSE"],
    project_urls=PROJECT_URLS,
    python_requires=">=3.10",
    install_requires=REQUIRES,
    # the generator (codegen) is installed too; its own dependencies come with the extra:
    # pip install "tachyon-sdk[codegen]", then `tachyon-codegen --spec api.yaml --package my_client --output DIR`
    # `pip install "tachyon-sdk[async]"`: the asyncio client (tachyon_sdk.aio) runs on aiohttp, chosen by
    # measurement (bench/aio_transport.py); the plain install stays urllib3-only.
    extras_require={"codegen": ["jinja2 >= 3.1", "pyyaml >= 6"], "async": ASYNC_REQUIRES},
    packages=find_packages(include=["tachyon_sdk", "tachyon_sdk.*", "codegen"]),
    package_data={"tachyon_sdk": ["py.typed"], "codegen": ["templates/*.j2", "templates/docs/*.j2"]},
    include_package_data=True,
    entry_points={
        "pytest11": ["tachyon_sdk = tachyon_sdk.testing.pytest_plugin"],
        "console_scripts": ["tachyon-codegen = codegen.__main__:_run"],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: Apache Software License",
        "Typing :: Typed",
    ],
)
