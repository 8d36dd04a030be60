"""Comunica (npm ``@comunica/query-sparql``, pinned in comunica/package.json and
package-lock.json, installed by .ci/run with ``npm ci``) from the command line, as a user
runs it: ``comunica-sparql http://HOST/sparql 'QUERY'``. Given a plain URL it first asks
what the source is (an Accept header with q-values, text/html among them at a low q) and
must find the service description, not the query page; then it queries the endpoint."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from tests.conformance.conftest import ASK_FALSE, ASK_TRUE, CONSTRUCT, SELECT

PACKAGE = Path(__file__).parent / "comunica"
BINARY = PACKAGE / "node_modules" / ".bin" / "comunica-sparql"
SECONDS = 120


@pytest.fixture(scope="module")
def comunica():
    if not BINARY.exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {BINARY} is missing (.ci/run runs npm ci there)")
        pytest.skip(f"Comunica not installed: npm ci --prefix {PACKAGE}")
    return BINARY


def run(comunica, endpoint, query: str, *options: str) -> str:
    done = subprocess.run([str(comunica), endpoint.url + "/sparql", *options, query],
                          capture_output=True, text=True, timeout=SECONDS)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_version_is_the_pinned_one(comunica):
    lock = json.loads((PACKAGE / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/@comunica/query-sparql"]["version"]
    installed = json.loads((PACKAGE / "node_modules/@comunica/query-sparql/package.json")
                           .read_text())["version"]
    assert installed == pinned


@pytest.mark.parametrize(("query", "answer"), [(ASK_TRUE, "true"), (ASK_FALSE, "false")])
def test_ask(comunica, endpoint, query, answer):
    assert run(comunica, endpoint, query).strip() == answer


def test_select(comunica, endpoint, expected_rows):
    out = run(comunica, endpoint, SELECT, "-t", "application/sparql-results+json")
    bindings = json.loads(out)["results"]["bindings"]
    rows = [(b["programme"]["value"], b["position"]["value"]) for b in bindings]
    assert rows == expected_rows


def test_construct(comunica, endpoint, reference):
    out = run(comunica, endpoint, CONSTRUCT, "-t", "application/n-triples")
    assert isomorphic(Graph().parse(data=out, format="nt"), reference.query(CONSTRUCT).graph)
