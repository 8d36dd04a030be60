"""Target groups: each link has a mention whose Arabic words are in the brochure (mended as
data/source-mends.csv lists) and in the text it names; programmes 10 and 12 name refugees,
women, children, youth and persons with disabilities; the saved query finds them."""

import re

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.source_text import mended_brochure_text, normalise
from tests.query.conftest import iri

MC2CM = Namespace("https://w3id.org/mc2cm/ontology#")
TGROUP = "https://w3id.org/mc2cm/id/target-group/"


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in paths.data_files():
        graph.parse(path)
    return graph


def test_every_mention_quotes_the_brochure_and_its_text(data):
    brochure = mended_brochure_text()
    mentions = list(data.subjects(RDF.type, MC2CM.TargetGroupMention))
    assert len(mentions) >= 50
    for mention in mentions:
        words = str(data.value(mention, MC2CM.evidence))
        text = data.value(mention, MC2CM.mentionedIn)
        prop = data.value(mention, MC2CM.mentionedInProperty)
        arabic = [str(t) for t in data.objects(text, prop) if t.language == "ar"]
        assert any(words in t for t in arabic), (mention, words)
        assert normalise(words) in brochure, (mention, words)
        group = data.value(mention, MC2CM.targetGroup)
        # the text, and its programme, are linked to the group the mention gives
        assert (text, MC2CM.targetGroup, group) in data or prop != MC2CM.objective
        programme = text if (text, RDF.type, MC2CM.Programme) in data else next(
            data.subjects(MC2CM.hasActivity, text), None) or next(
            data.subjects(MC2CM.hasOutcome, text))
        assert (programme, MC2CM.targetGroup, group) in data, mention


def test_every_link_has_its_evidence(data):
    """No target-group link without a mention of that group in the item's own text (or, for
    a programme, in its text or its activities' and outcomes')."""
    for item, group in data.subject_objects(MC2CM.targetGroup):
        if (item, RDF.type, MC2CM.TargetGroupMention) in data:
            continue
        items = {item, *data.objects(item, MC2CM.hasActivity),
                 *data.objects(item, MC2CM.hasOutcome)}
        assert any((m, MC2CM.targetGroup, group) in data
                   for i in items for m in data.subjects(MC2CM.mentionedIn, i)), (item, group)


def test_our_readings_say_so(data):
    """A group whose Arabic label is not the brochure's own words says it is our reading."""
    brochure = mended_brochure_text()
    for concept in data.subjects(RDF.type, MC2CM.TargetGroup):
        label = next(str(t) for t in data.objects(concept, SKOS.prefLabel) if t.language == "ar")
        note = str(data.value(concept, SKOS.editorialNote))
        quoted = re.findall(r"«([^»]+)»", note)
        assert label in brochure or any(label[1:] in q and q in brochure for q in quoted), concept
        assert ("our reading" in note.lower() or "grouped by us" in note.lower()
                or "the brochure's word as printed" in note), concept


@pytest.mark.parametrize("position", [10, 12])
def test_programmes_10_and_12_name_the_groups_of_the_issue(data, position):
    from rdflib import URIRef

    groups = {str(g) for g in data.objects(URIRef(iri(position)), MC2CM.targetGroup)}
    assert {TGROUP + g for g in ("refugees", "women", "children", "youth",
                                 "persons-with-disabilities")} <= groups


def test_organisations_named_in_the_text(data):
    """Each organisation of data/organisations-named.ttl has its Arabic name in the brochure
    and in the text of every activity or outcome linked to it; HUDC is programme 10's."""
    from rdflib import URIRef

    brochure = mended_brochure_text()
    named = Graph().parse(paths.DATA_DIR / "organisations-named.ttl")
    organisations = set(named.subjects(RDF.type, MC2CM.Organisation))
    assert len(organisations) == 8
    for organisation in organisations:
        name = next(str(t) for t in named.objects(organisation, SKOS.prefLabel)
                    if t.language == "ar")
        assert name in brochure, organisation
        for item in data.subjects(MC2CM.involvesOrganisation, organisation):
            if (item, RDF.type, MC2CM.Programme) in data:
                continue
            text = next(str(t) for t in data.objects(item, URIRef(
                "http://www.w3.org/2000/01/rdf-schema#label")) if t.language == "ar")
            assert name.replace("ّ", "") in text.replace("ّ", ""), (item, organisation)
    hudc = URIRef("https://w3id.org/mc2cm/id/organisation/hudc")
    assert (URIRef(iri(10)), MC2CM.involvesOrganisation, hudc) in data
