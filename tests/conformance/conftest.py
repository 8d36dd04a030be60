"""The outside-clients conformance suite: each test runs a client that users have (the W3C
protocol manifest, SPARQLWrapper, rdflib, pandas, Comunica, Chromium) against the real
server, started here on 127.0.0.1 (a free port) and stopped after."""

from __future__ import annotations

import pytest
from rdflib import Graph

from tests.server.conftest import Served


@pytest.fixture(scope="session")
def endpoint(built_dist):
    """`mc2cm-graph serve` on the built graph, as a user starts it (default limits)."""
    served = Served("--dist", str(built_dist), "--workers", "2")
    yield served
    served.stop()


# Queries every client runs; answers come from rdflib's engine on the released mc2cm.ttl.
MC2CM = "https://w3id.org/mc2cm/ontology#"
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"
SELECT = (f"PREFIX mc2cm: <{MC2CM}> SELECT ?programme ?position WHERE {{ "
          "?programme a mc2cm:Programme ; mc2cm:positionInSource ?position } "
          "ORDER BY ?position")
ASK_TRUE = f"ASK {{ <{SFAX}> a <{MC2CM}Programme> }}"
ASK_FALSE = f"ASK {{ <{SFAX}> a <{MC2CM}NoSuchClass> }}"
CONSTRUCT = f"CONSTRUCT {{ <{SFAX}> ?p ?o }} WHERE {{ <{SFAX}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{SFAX}>"


@pytest.fixture(scope="session")
def reference(built_dist) -> Graph:
    """The release read by rdflib: the reference engine the clients' answers are checked
    against."""
    return Graph().parse(built_dist / "mc2cm.ttl", format="turtle")


@pytest.fixture(scope="session")
def expected_rows(reference) -> list[tuple[str, str]]:
    rows = [(str(r.programme), str(r.position)) for r in reference.query(SELECT)]
    assert len(rows) == 15 and rows[0] == (SFAX, "1")  # the 15 Targeted City Actions
    return rows


# ------------------------------------------------------------------ pass counts per tool

TOOLS = {
    "test_w3c_protocol.py": "W3C SPARQL 1.1 Protocol manifest",
    "test_python_clients.py::test_sparqlwrapper": "SPARQLWrapper matrix",
    "test_python_clients.py::test_rdflib_sparqlstore": "rdflib SPARQLStore",
    "test_python_clients.py::test_sparql_dataframe": "sparql-dataframe/pandas",
    "test_comunica.py": "Comunica command line",
    "test_browser_cross_origin.py::test_yasgui": "YASGUI in Chromium, another origin",
    "test_browser_cross_origin.py": "Chromium fetch(), another origin",
}
_outcomes: dict[str, dict[str, int]] = {}


def _tool(nodeid: str) -> str | None:
    return next((name for key, name in TOOLS.items() if key in nodeid), None)


def pytest_runtest_logreport(report):
    tool = _tool(report.nodeid)
    if tool is None or not (report.when == "call" or report.outcome != "passed"):
        return
    outcome = "xfailed" if hasattr(report, "wasxfail") else report.outcome
    counts = _outcomes.setdefault(tool, {})
    counts[outcome] = counts.get(outcome, 0) + 1


def pytest_terminal_summary(terminalreporter):
    """One line per outside tool: cases run and how they ended (CI's log shows them)."""
    if not _outcomes:
        return
    terminalreporter.section("outside clients: cases per tool")
    for tool in TOOLS.values():
        if tool in _outcomes:
            counts = _outcomes[tool]
            detail = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            terminalreporter.write_line(f"{tool}: {sum(counts.values())} run, {detail}")
