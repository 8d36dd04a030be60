"""The outside-clients conformance suite: each test runs a client that users have (the W3C
protocol manifest, SPARQLWrapper, rdflib, pandas, Comunica, Chromium) against the real
server, started here on 127.0.0.1 (a free port) and stopped after."""

from __future__ import annotations

import pytest

from tests.server.conftest import Served


@pytest.fixture(scope="session")
def endpoint(built_dist):
    """`mc2cm-graph serve` on the built graph, as a user starts it (default limits)."""
    served = Served("--dist", str(built_dist), "--workers", "2")
    yield served
    served.stop()
