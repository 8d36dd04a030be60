"""The EU funding behind MC2CM phase 2 (issue 24, item 4): in the outside facts only, in the
named graph of the action fiche it comes from, with that fiche as its source; never in the
brochure's data."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import SCHEMA

EXTERNAL_FACTS = paths.DATA_DIR / "external" / "external-facts.trig"
FICHE = URIRef("https://w3id.org/mc2cm/id/graph/external/eutf-action-fiche")
GRANT = URIRef("https://w3id.org/mc2cm/id/grant/t05-eutf-noa-reg-02")
PHASE_2 = URIRef("https://w3id.org/mc2cm/id/project/mc2cm-phase-2")


def _external() -> Dataset:
    dataset = Dataset()
    dataset.parse(EXTERNAL_FACTS, format="trig")
    return dataset


def test_the_grant_is_in_the_fiches_graph_with_the_fiche_as_source():
    dataset = _external()
    fiche = dataset.graph(FICHE)
    assert (PHASE_2, SCHEMA.funding, GRANT) in fiche
    assert fiche.value(GRANT, SCHEMA.identifier) == Literal("T05-EUTF-NOA-REG-02")
    amount = fiche.value(GRANT, SCHEMA.amount)
    assert (fiche.value(amount, SCHEMA.value), fiche.value(amount, SCHEMA.currency)) == (
        Literal(5550000), Literal("EUR"))
    sources = set(dataset.default_graph.objects(FICHE, DCTERMS.source))
    assert sources == {URIRef("https://www.asktheeu.org/fr/request/4556/response/14615/attach/"
                              "html/5/Annex%20III.pdf.html")}
    # every statement about the grant is in that one graph
    graphs = {c for _s, _p, _o, c in dataset.quads((GRANT, None, None, None))}
    assert graphs == {FICHE}


def test_the_funding_is_not_in_the_brochures_data():
    data = load_graph(paths.data_files())
    assert list(data.triples((GRANT, None, None))) == []
    assert list(data.triples((None, SCHEMA.funding, None))) == []
    assert list(data.subjects(RDF.type, SCHEMA.MonetaryGrant)) == []
