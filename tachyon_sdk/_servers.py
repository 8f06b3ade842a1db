# Generated from openapi.yaml by codegen — do not edit; run python -m codegen
"""The spec's servers, in order: ``Configuration`` picks one by index (``server_index``, ``_host_index``)."""

from typing import Tuple

from tachyon_sdk._operation import ServerSpec

SERVERS: Tuple[ServerSpec, ...] = (
    ServerSpec(
        url="http://localhost",
        description="A Tachyon server on this machine (for example `python -m tachyon_sdk.testing`)",
    ),
    ServerSpec(url="https://api.n1.tachy.one", description="Tachyon production"),
    ServerSpec(
        url="http://localhost:50054",
        description="Tachyon local development (the backend API of a tachyon-apps checkout)",
    ),
    ServerSpec(url="https://api.withemissary.com", description="Emissary production (the Deployments operations)"),
)
