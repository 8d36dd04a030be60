"""Misprints of the brochure that the data corrects (data/source-corrections.csv).

Each row names what the brochure printed and what the data says instead; the tests check
that the printed form is really in the brochure beside its evidence, that the data says the
corrected value and not the printed one, and that a reader sees the correction (a
mc2cm:sourceCorrectionNote in ar, en and fr, in the release and on the programme's page).
"""

import csv

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import MC2CM, PREFIXES, SDG
from mc2cm_graph.graph.source_text import mended_brochure_text, normalise

CORRECTIONS_FILE = paths.DATA_DIR / "source-corrections.csv"
COLUMNS = ["subject", "property", "printed", "printed_value", "corrected_value", "evidence",
           "kind", "note"]


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(str(PREFIXES[prefix]) + local)


def read_corrections():
    with open(CORRECTIONS_FILE, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


CORRECTIONS = read_corrections()
PROGRAMME_14 = expand("programme:rabat-evidence-based")


@pytest.fixture(scope="module")
def data():
    return load_graph(paths.data_files())


def test_the_misprinted_target_of_programme_14_is_recorded():
    assert [(r["subject"], r["printed_value"], r["corrected_value"]) for r in CORRECTIONS] == [
        ("programme:rabat-evidence-based", "sdg:17.8", "sdg:17.18")]


@pytest.mark.parametrize("row", CORRECTIONS, ids=lambda r: r["subject"])
def test_the_brochure_prints_the_printed_form_beside_its_evidence(row):
    assert normalise(f"{row['printed']} {row['evidence']}") in mended_brochure_text()


@pytest.mark.parametrize("row", CORRECTIONS, ids=lambda r: r["subject"])
def test_the_data_says_the_corrected_value_not_the_printed_one(data, row):
    subject, prop = expand(row["subject"]), expand(row["property"])
    values = set(data.objects(subject, prop))
    assert expand(row["corrected_value"]) in values
    assert expand(row["printed_value"]) not in values


@pytest.mark.parametrize("row", CORRECTIONS, ids=lambda r: r["subject"])
def test_the_correction_is_noted_on_the_resource_in_three_languages(data, row):
    notes = {n.language: str(n) for n in data.objects(expand(row["subject"]),
                                                      MC2CM.sourceCorrectionNote)}
    assert set(notes) == {"ar", "en", "fr"}
    printed, corrected = (row[k].split(":", 1)[1] for k in ("printed_value", "corrected_value"))
    for note in notes.values():
        assert printed in note and corrected in note and row["printed"] in note


def test_the_link_keeps_the_printed_number_and_wording_and_resolves_to_17_18(data):
    wording = "تعزيز بناء القدرات من خلال توفير بيانات عالية الجودة وموثوقة ضمن وقت مناسب"
    links = [link for link in data.objects(PROGRAMME_14, MC2CM.qualifiedTargetLink)
             if str(data.value(link, MC2CM.printedWording)) == wording]
    assert len(links) == 1
    assert str(data.value(links[0], MC2CM.printedNumber)) == "١٧.٨"
    assert data.value(links[0], MC2CM.linkedTarget) == SDG["17.18"]
    assert list(data.subjects(MC2CM.linkedTarget, SDG["17.8"])) == []
    assert list(data.subjects(MC2CM.contributesToTarget, SDG["17.8"])) == []
    assert list(data.subjects(MC2CM.contributesToTarget, SDG["17.18"])) == [PROGRAMME_14]


def test_the_release_carries_17_18_with_its_un_titles_and_not_17_8(built_dist):
    release = load_graph([built_dist / "mc2cm.ttl"])
    assert (SDG["17.18"], SKOS.broader, SDG["17"]) in release
    assert {v.language for v in release.objects(SDG["17.18"], SKOS.prefLabel)} >= {"ar", "en"}
    assert list(release.triples((SDG["17.8"], None, None))) == []
    assert {n.language for n in release.objects(PROGRAMME_14, MC2CM.sourceCorrectionNote)} == {
        "ar", "en", "fr"}


@pytest.mark.parametrize("lang, words", [
    ("en", ["Printed as 17.8", "17.18"]),
    ("fr", ["Imprimée 17.8", "17.18"]),
    ("ar", ["١٧.٨", "17.18"]),
])
def test_the_programme_page_shows_the_correction(built_dist, lang, words):
    page = (built_dist / "site" / lang / "programme" / "rabat-evidence-based.html").read_text(
        encoding="utf-8")
    assert 'id="source-correction"' in page
    assert all(w in page for w in words)
    assert "/target/17.18.html" in page and "/target/17.8.html" not in page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_quoted_arabic_wording_is_isolated_on_english_and_french_pages(built_dist, lang):
    """Without <bdi>, the Arabic quotation drags the guillemets around it out of order."""
    page = (built_dist / "site" / lang / "programme" / "rabat-evidence-based.html").read_text(
        encoding="utf-8")
    assert "«<bdi>تعزيز بناء القدرات" in page and "ضمن وقت مناسب</bdi>»" in page


def test_isolating_arabic_escapes_the_rest():
    from mc2cm_graph.export.site import isolate_arabic

    assert str(isolate_arabic("<b> «مدن متنوعة» & more")) == \
        "&lt;b&gt; «<bdi>مدن متنوعة</bdi>» &amp; more"
