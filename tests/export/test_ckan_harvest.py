"""CKAN's DCAT harvester (ckan 2.12.0, ckanext-dcat 2.4.4, in .venv-ckan) reads every dataset
of the built catalogue cleanly, with the DCAT-AP 3 and DCAT-AP 2 profiles."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from mc2cm_graph.export import release

ROOT = Path(__file__).resolve().parents[2]
CKAN_PYTHON = ROOT / ".venv-ckan" / "bin" / "python"
SCRIPT = ROOT / "tests" / "ckan_harvest.py"
SHORT_FORMATS = {"Turtle", "N-Triples", "JSON-LD", "TriG", "GeoJSON"}
MEDIA_TYPES = {"text/turtle", "application/n-triples", "application/ld+json",
               "application/trig", "application/geo+json"}
CASES = [("catalog.ttl", "euro_dcat_ap_3"), ("catalog.ttl", "euro_dcat_ap_2"),
         ("catalog-dcat-ap-2.ttl", "euro_dcat_ap_2")]


def harvest(path: Path, profile: str) -> list[dict]:
    if not CKAN_PYTHON.is_file():
        why = f"{CKAN_PYTHON} missing: .ci/run makes it (ckan 2.12.0, ckanext-dcat 2.4.4)"
        if os.environ.get("CI"):
            pytest.fail(why)  # in CI the harvester must run, not be skipped
        pytest.skip(why)
    done = subprocess.run([str(CKAN_PYTHON), str(SCRIPT), str(path), profile],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=CASES, ids=[f"{f}-{p}" for f, p in CASES])
def datasets(request, dist):
    name, profile = request.param
    return name, {d["extras_by_key"]["uri"]: d for d in map(_by_key, harvest(dist / name, profile))}


def _by_key(dataset: dict) -> dict:
    dataset["extras_by_key"] = {e["key"]: e["value"] for e in dataset["extras"]}
    return dataset


def test_both_datasets_come_out(datasets):
    _, found = datasets
    assert sorted(found) == ["https://w3id.org/mc2cm/id/dataset/mc2cm",
                             "https://w3id.org/mc2cm/id/dataset/mc2cm-external"]


def test_a_recognised_licence_version_and_homepage(datasets):
    for dataset in datasets[1].values():
        assert dataset["license_id"] == "cc-by", dataset["title"]
        assert dataset["version"] == release.VERSION
        assert dataset["extras_by_key"]["homepage"] == release.HOMEPAGE


def test_short_formats_and_media_types(datasets):
    for dataset in datasets[1].values():
        assert dataset["resources"]
        for resource in dataset["resources"]:
            assert resource["format"] in SHORT_FORMATS, resource
            assert resource["mimetype"] in MEDIA_TYPES, resource
            assert resource["license"] == "Creative Commons Attribution 4.0 International"


def test_tags_themes_and_time(datasets):
    for dataset in datasets[1].values():
        assert len(dataset["tags"]) >= 15, dataset["title"]
        extras = dataset["extras_by_key"]
        assert len(json.loads(extras["theme"])) == 3
        # the release: the actions' dated events; the outside facts: every date they give,
        # from the start of MC2CM phase 2
        start = "2018-07-01" if "outside" in dataset["title"].lower() else release.TEMPORAL_START
        assert (extras["temporal_start"], extras["temporal_end"]) == (
            start, release.TEMPORAL_END), dataset["title"]


def test_a_geometry_that_holds_the_countries(datasets):
    """CKAN keeps one spatial IRI; the box around the five countries is the geometry map
    search uses: ``spatial_bbox`` from DCAT-AP 3's dcat:bbox, and ``spatial`` too from the
    2.1.1 catalogue's locn:geometry."""
    name, found = datasets
    for dataset in found.values():
        extras = dataset["extras_by_key"]
        assert extras["spatial_uri"].startswith(
            "http://publications.europa.eu/resource/authority/country/")
        keys = ("spatial_bbox", "spatial") if name == "catalog-dcat-ap-2.ttl" else (
            "spatial_bbox",)
        for key in keys:
            geometry = json.loads(extras[key])
            assert geometry["type"] == "Polygon"
            longs, lats = zip(*geometry["coordinates"][0], strict=True)
            # Rabat (-6.8) to Amman (35.9), Beirut's 33.9 N to Tunis's 36.8 N
            assert min(longs) < -6.8 and max(longs) > 35.9 and max(lats) > 36.8


def test_the_contact_is_the_project_page(datasets):
    """No e-mail address is published (docs/export.md says why): the contact point is the
    project's page, which CKAN keeps as ``contact_url``."""
    for dataset in datasets[1].values():
        extras = dataset["extras_by_key"]
        assert extras["contact_url"] == release.CONTACT_URL
        assert extras["contact_name"] == "mc2cm-graph project"
        assert "contact_email" not in extras
