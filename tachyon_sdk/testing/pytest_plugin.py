"""pytest plugin: the ``tachyon_server`` fixture, a fresh :class:`LocalServer` per test.

Registered through the ``pytest11`` entry point of the ``tachyon_sdk``
distribution, so installing the SDK makes the fixture available. Options for
the server come from the ``tachyon_server`` marker::

    @pytest.mark.tachyon_server(chunk_delay=0.01, api_key="k")
    def test_something(tachyon_server): ...
"""

from typing import Iterator

import pytest

from tachyon_sdk.testing._server import LocalServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tachyon_server(**kwargs): keyword arguments for the LocalServer of the tachyon_server fixture"
    )


@pytest.fixture
def tachyon_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """A running :class:`tachyon_sdk.testing.LocalServer`, stopped after the test."""
    marker = request.node.get_closest_marker("tachyon_server")
    kwargs = dict(marker.kwargs) if marker is not None else {}
    with LocalServer(**kwargs) as server:
        yield server
