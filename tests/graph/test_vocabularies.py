"""The vendored SDG vocabulary and the labels we derive from open-sdg."""

from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import SDG, SDGO
from mc2cm_graph.graph.sdg_labels import UNOFFICIAL_ARABIC_TARGETS, generate


def test_committed_extra_labels_equal_a_fresh_generation():
    assert isomorphic(generate(), load_graph([paths.SDG_EXTRA_LABELS_FILE]))


def test_every_goal_and_target_has_ar_ru_zh_titles():
    kos = load_graph([paths.SDG_KOS_FILE])
    labels = load_graph([paths.SDG_EXTRA_LABELS_FILE])
    concepts = set(kos.subjects(RDF.type, SDGO.Goal)) | set(kos.subjects(RDF.type, SDGO.Target))
    assert len(concepts) == 17 + 169
    for concept in concepts:
        languages = {label.language for label in labels.objects(concept, SKOS.prefLabel)}
        assert languages == {"ar", "ru", "zh-hans"}, concept


def test_arabic_titles_are_mended_and_unofficial_ones_flagged():
    labels = load_graph([paths.SDG_EXTRA_LABELS_FILE])
    arabic = [str(o) for o in labels.objects(None, SKOS.prefLabel) if o.language == "ar"]
    assert not any("\u0640" in text for text in arabic)
    assert any("سِنداي" in text for text in arabic) and not any("سِ نداي" in t for t in arabic)
    flagged = set(labels.subjects(SKOS.editorialNote, None))
    assert flagged == {SDG[t] for t in UNOFFICIAL_ARABIC_TARGETS}


def test_target_knows_its_goal_and_external_matches():
    kos = load_graph([paths.SDG_KOS_FILE])
    assert (SDG["10.7"], SKOS.broader, SDG["10"]) in kos
    # Notations are typed (sdgo:SDGCodeCompact), so compare their text.
    assert "16.b" in {str(n) for n in kos.objects(SDG["16.b"], SKOS.notation)}
    matches = {str(m) for m in kos.objects(SDG["10"], SKOS.exactMatch)}
    assert any(m.startswith("http://www.wikidata.org/entity/") for m in matches)
    assert any(m.startswith("http://purl.unep.org/sdg/SDGIO_") for m in matches)
