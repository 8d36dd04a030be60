"""rdflib graphs over the fast engine's store: the same triples as the rdflib project,
Turtle written by the store, byte-identical between runs."""

from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from mc2cm_graph.graph.namespaces import MC2CM, PROGRAMME
from mc2cm_graph.graph.project import load_project
from mc2cm_graph.graph.serialize import turtle_bytes
from mc2cm_graph.graph.store import load_store


def _values(graph: Graph) -> Graph:
    """Numbers by value: the store writes "34.00"^^xsd:decimal as 34."""
    def term(t):
        if isinstance(t, Literal) and t.datatype in (XSD.decimal, XSD.double, XSD.float):
            return Literal(repr(float(t)), datatype=t.datatype)
        return t

    return Graph().__iadd__((term(s), p, term(o)) for s, p, o in graph)


def test_views_hold_the_projects_triples():
    view = load_store().to_project()
    plain = load_project()
    assert len(view.ours()) == len(plain.ours())
    assert isomorphic(_values(view.ours()), _values(plain.ours()))
    targets = set(view.data.objects(PROGRAMME["sfax-acmals"], MC2CM.contributesToTarget))
    assert len(targets) == 4


def test_adding_through_a_view_leaves_the_viewed_graphs_alone():
    project = load_store().to_project()
    before = len(project.data)
    release = project.ours()
    release.add((PROGRAMME["x"], MC2CM.objective, Literal("x", lang="en")))
    assert len(project.data) == before and len(release) == len(project.ours()) + 1


def test_store_written_turtle_is_stable_and_parses_to_the_view():
    first = turtle_bytes(load_store().to_project().ours())
    second = turtle_bytes(load_store().to_project().ours())
    assert first == second
    assert isomorphic(_values(Graph().parse(data=first, format="turtle")),
                      _values(load_project().ours()))


def test_written_piece_by_piece_is_the_same_turtle(tmp_path):
    """write_turtle streams a view's pieces (data, entailments, added triples) into the
    file: the bytes are turtle_bytes', and the pieces after the first carry no @prefix."""
    from mc2cm_graph.graph.serialize import write_turtle

    release = load_store().to_project().ours()
    release.add((PROGRAMME["x"], MC2CM.objective, Literal("added", lang="en")))
    write_turtle(release, tmp_path / "out.ttl")
    written = (tmp_path / "out.ttl").read_bytes()
    assert written == turtle_bytes(release)
    assert written.count(b"@prefix mc2cm:") == 1 and b'"added"@en' in written


def test_used_sdg_concepts_same_from_a_view_as_from_rdflib():
    """A view asks the store for the distinct targets; the answer is rdflib's."""
    from mc2cm_graph.graph.sdg_slice import used_sdg_concepts

    view = load_store().to_project().union()
    assert used_sdg_concepts(view) == used_sdg_concepts(load_project().union())
    assert len(used_sdg_concepts(view)) > 15


def test_release_view_holds_what_release_graph_holds():
    """ProjectStore.release_view (what the benchmarks write at scale) and
    export.release_graph (what build writes) are the same release, but for the two
    documented differences: decimals in the store's canonical form, blank-node names."""
    from rdflib import BNode

    from mc2cm_graph.export import release_graph

    def comparable(graph):
        return {(s, p, o) for s, p, o in graph
                if not isinstance(s, BNode) and not isinstance(o, BNode)
                and not (isinstance(o, Literal) and o.datatype == XSD.decimal)}

    view = load_store().release_view()
    assert comparable(view) == comparable(release_graph(load_project()))
    assert len(view) == len(release_graph(load_project()))
