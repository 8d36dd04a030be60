"""The fast engine builds the same release as the reference engine, from any data folder."""

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from mc2cm_graph.build import build
from mc2cm_graph.export.outdir import MARKER, write_marker
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.synth import synthesise


def _canonical(graph: Graph) -> Graph:
    """The store writes numbers in canonical form ("34.00"^^xsd:decimal as 34.0) and plain
    strings without ^^xsd:string; same values, other lexical forms. Compare values."""
    def term(t):
        if not isinstance(t, Literal) or t.language:
            return t
        if t.datatype in (XSD.decimal, XSD.double, XSD.float):
            return Literal(repr(float(t)), datatype=t.datatype)
        return Literal(str(t)) if t.datatype in (None, XSD.string) else t

    return Graph().__iadd__((term(s), p, term(o)) for s, p, o in graph)


@pytest.mark.parametrize("reason", [False, True], ids=["plain", "reasoned"])
def test_fast_and_reference_release_are_the_same_graph(tmp_path, reason):
    fast = build(out_dir=tmp_path / "fast", engine="fast", reason=reason)
    reference = build(out_dir=tmp_path / "reference", engine="reference", reason=reason)
    assert fast.report.text() == reference.report.text()
    a = Graph().parse(tmp_path / "fast" / "mc2cm.ttl")
    b = Graph().parse(tmp_path / "reference" / "mc2cm.ttl")
    assert len(a) > 1000 and isomorphic(_canonical(a), _canonical(b))


def test_fast_build_is_byte_deterministic(tmp_path):
    build(out_dir=tmp_path / "one", reason=True)
    build(out_dir=tmp_path / "two", reason=True)
    for name in ("mc2cm.ttl", "validation-report.txt"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_build_any_data_folder(tmp_path):
    synthesise(tmp_path / "data", 20, seed=2)
    result = build(tmp_path / "data", tmp_path / "dist", reason=True)
    graph = Graph().parse(tmp_path / "dist" / "mc2cm.ttl")
    assert result.report.conforms and len(graph) > 20 * 25


def test_broken_data_leaves_output_untouched(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("previous release")
    write_marker(out)
    synthesise(tmp_path / "data", 10, seed=2, violations=2)
    with pytest.raises(Mc2cmError) as err:
        build(tmp_path / "data", out)
    assert "synth-000001" in str(err.value)
    (tmp_path / "data" / "programmes" / "synth-0001.ttl").write_text(
        "@prefix x: <https://x/> .\nx:a x:b \"open .\n")
    with pytest.raises(Mc2cmError) as err:
        build(tmp_path / "data", out)
    assert (err.value.line, err.value.column) == (2, 9)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "keep.txt"]
