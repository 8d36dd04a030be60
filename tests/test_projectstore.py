"""The store loader's fast path: a file goes straight into the store unless it may make
blank nodes (whose random names would make releases differ between runs)."""

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.store import _may_have_blank_nodes, _outside_plain_strings

HEAD = b"@prefix ex: <http://example.org/> .\n"


def _has_blank_nodes(turtle: bytes) -> bool:
    return any(isinstance(term, ox.BlankNode)
               for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE)
               for term in (quad.subject, quad.object))


@pytest.mark.parametrize("body", [
    b'ex:a ex:p "label (programme 1) [draft]"@en .',
    b'ex:a ex:p """long ( text\n with " quotes "" and [brackets]""" .',
    b"ex:a ex:p '''single ( quoted ''' , 'x [ y' .",
    b'ex:a ex:p "escaped \\" quote ( " .',
    b"<http://example.org/x_:y> ex:p ex:b .",
    b'ex:a ex:p "_:not-a-node" .',
])
def test_brackets_inside_literals_and_iris_keep_the_fast_path(body):
    turtle = HEAD + body
    assert not _has_blank_nodes(turtle)
    assert not _may_have_blank_nodes(turtle)


@pytest.mark.parametrize("body", [
    b"ex:a ex:p [ ex:q 1 ] .",
    b"ex:a ex:p ( ex:b ex:c ) .",
    b"_:x ex:p ex:b .",
    b'ex:a ex:p "x" , [ ex:q "(" ] .',
    b"<http://example.org/it's> ex:p [ ex:q 1 ] . <http://example.org/c'd> ex:p ex:b .",
    b'ex:a ex:p """a""" , [ ex:q """b""" ] .',
    b'ex:a ex:p "a\\\\" , [ ex:q 1 ] .',  # a literal ending in an escaped backslash
    b'# a comment with one " quote\nex:a ex:p [ ex:q "x" ] .',
    b"ex:a ex:p 'it' , [ ex:q \"x\" ] .",
    b'<http://example.org/a#b> ex:p "x" , [ ex:q "y" ] .',
])
def test_blank_nodes_are_always_seen(body):
    turtle = HEAD + body
    assert _has_blank_nodes(turtle)
    assert _may_have_blank_nodes(turtle)


PIECES = [b"ex:a", b"ex:b", b"<http://example.org/x(y)>", b"<http://example.org/q'r>",
          b'"t(x)"', b'"a\\"["', b"'s[q'", b'"""m"l(n"""', b"'''u'v(w'''", b"1",
          b"[ ex:q ex:b ]", b"( ex:b )", b"()", b"_:n", b'"x"@en', b'"\\\\"',
          b'ex:b # a "comment( [\n']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES[:4] + [b"_:n", b"[ ex:q ex:b ]"]),
                          st.sampled_from(PIECES)), min_size=1, max_size=6))
def test_never_misses_a_blank_node(triples):
    """Whatever mix of literals, IRIs and anonymous nodes: if the parser makes a blank
    node, the check says so."""
    turtle = HEAD + b"\n".join(s + b" ex:p " + o + b" ." for s, o in triples)
    if _has_blank_nodes(turtle):
        assert _may_have_blank_nodes(turtle)


def test_every_project_file_with_blank_nodes_is_seen():
    for path in paths.data_files(paths.DATA_DIR) + [paths.ONTOLOGY_FILE]:
        content = path.read_bytes()
        if _has_blank_nodes(content):
            assert _may_have_blank_nodes(content), path


def test_synthetic_programmes_take_the_fast_path(tmp_path):
    """Their labels end in "(programme N)": at 100k programmes the slow path (every
    triple through Python) more than doubled the load time."""
    from mc2cm_graph.graph.synth import synthesise

    synthesise(tmp_path, 30, seed=1)
    files = sorted((tmp_path / "programmes").glob("*.ttl"))
    assert files and b"(" in files[0].read_bytes()
    assert not any(_may_have_blank_nodes(f.read_bytes()) for f in files)
    # ... and by the quicker of the two checks (splitting on quotes, no regex over strings)
    assert all(_outside_plain_strings(f.read_bytes()) is not None for f in files)
