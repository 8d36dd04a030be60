"""`serve --with-external`: the facts from outside the brochure served in their named graphs
(one per source), as `query --with-external` reads them; without the option the endpoint
holds the release only."""

import csv
import io
import urllib.parse

import pytest

from tests.serve.conftest import Served, http

GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def with_external(built_dist):
    served = Served("--dist", str(built_dist), "--with-external", "--workers", "1")
    yield served
    served.stop()


def _count(url: str) -> int:
    status, _, body = http(f"{url}/sparql?" + urllib.parse.urlencode({"query": GRAPHS}),
                           headers={"Accept": "text/csv"})
    assert status == 200, body
    return int(body.splitlines()[1])


def test_the_outside_facts_are_served_in_their_named_graphs(with_external, server):
    assert _count(with_external.url) >= 2  # one graph per source
    assert _count(server.url) == 0  # the release alone has only its default graph


def test_implementers_answer_with_their_sources(with_external):
    status, _, body = http(f"{with_external.url}/api/implementers",
                           headers={"Accept": "text/csv"})
    assert status == 200, body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 8  # programmes 4, 5, 7, 9 and 15 (tests/query has the rows)
    assert all(any("http" in value for value in row.values()) for row in rows)
