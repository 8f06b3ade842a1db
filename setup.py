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

setup(
    name="tachyon-sdk",
    version=VERSION.group(1) if VERSION else "0.0.0",
    description="Python client for the Tachyon LLM API: chat and deployment completions, streamed over Server-Sent Events",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    install_requires=REQUIRES,
    # `pip install "tachyon-sdk[async]"`: the asyncio client (tachyon_sdk.aio) runs on aiohttp, chosen by
    # measurement (bench/aio_transport.py); the plain install stays urllib3-only.
    extras_require={"async": ASYNC_REQUIRES},
    packages=find_packages(include=["tachyon_sdk", "tachyon_sdk.*"]),
    package_data={"tachyon_sdk": ["py.typed"]},
    include_package_data=True,
    entry_points={"pytest11": ["tachyon_sdk = tachyon_sdk.testing.pytest_plugin"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: Apache Software License",
        "Typing :: Typed",
    ],
)
