"""The release's version comes from one place, the package's, and the citation file,
changelog, catalogue and ontology all say it; CITATION.cff is valid for cffconvert."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

import mc2cm_graph
from mc2cm_graph.export import release

ROOT = Path(__file__).resolve().parents[2]
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
DATASET = URIRef("https://w3id.org/mc2cm/id/dataset/mc2cm")
ONTOLOGY = URIRef("https://w3id.org/mc2cm/ontology")


def test_installed_package_reads_the_version_from_the_module():
    assert version("mc2cm-graph") == mc2cm_graph.__version__


def test_catalogue_version_and_dates_are_the_packages(built_dist):
    catalog = Graph().parse(built_dist / "catalog.ttl")
    assert set(catalog.objects(DATASET, DCAT_VERSION)) == {Literal(mc2cm_graph.__version__)}
    assert set(catalog.objects(DATASET, DCTERMS.issued)) == {
        Literal(release.FIRST_RELEASE_DATE, datatype=XSD.date)}
    assert set(catalog.objects(DATASET, DCTERMS.modified)) == {
        Literal(release.RELEASE_DATE, datatype=XSD.date)}


@pytest.mark.parametrize("name", ["mc2cm.ttl", "ontology.ttl"])
def test_ontology_carries_the_packages_version(built_dist, name):
    graph = Graph().parse(built_dist / name)
    assert set(graph.objects(ONTOLOGY, OWL.versionInfo)) == {Literal(mc2cm_graph.__version__)}
    assert set(graph.objects(ONTOLOGY, OWL.versionIRI)) == {
        URIRef(f"{ONTOLOGY}/{mc2cm_graph.__version__}")}


def test_citation_and_changelog_name_this_release():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], str(cff["date-released"])) == (mc2cm_graph.__version__,
                                                           release.RELEASE_DATE)
    data = next(ref for ref in cff["references"] if ref["type"] == "data")
    assert (data["version"], str(data["date-released"])) == (mc2cm_graph.__version__,
                                                             release.RELEASE_DATE)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{mc2cm_graph.__version__}] - {release.RELEASE_DATE}\n" in changelog


def _cffconvert() -> str | None:
    """cffconvert needs jsonschema<4, which the test extras cannot share: .ci/run installs
    it into .venv-cff; a cffconvert on PATH does as well."""
    local = ROOT / ".venv-cff" / "bin" / "cffconvert"
    return str(local) if os.access(local, os.X_OK) else shutil.which("cffconvert")


def test_citation_file_is_valid_cff():
    binary = _cffconvert()
    if binary is None:
        pytest.skip("cffconvert is not installed: python3 -m venv .venv-cff && "
                    ".venv-cff/bin/pip install 'cffconvert==2.0.0' (.ci/run does)")
    done = subprocess.run([binary, "--validate", "-i", str(ROOT / "CITATION.cff")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


def test_cffconvert_refuses_a_broken_file(tmp_path):
    """The check above can fail: a file without authors is not valid CFF."""
    binary = _cffconvert()
    if binary is None:
        pytest.skip("cffconvert is not installed (see test_citation_file_is_valid_cff)")
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace("type: software\n", "type: software\nauthors: []\n", 1)
                      .replace("authors:\n  - name: The mc2cm-graph project\n    website: "
                               "\"https://w3id.org/mc2cm/\"\nversion", "version", 1),
                      encoding="utf-8")
    done = subprocess.run([binary, "--validate", "-i", str(broken)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
