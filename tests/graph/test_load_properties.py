"""Property-based tests of the loader: whatever bytes a file holds, loading it gives a graph
or an Mc2cmError, never another exception (no traceback reaches the user) -- and which of
the two is decided by an oracle: the file's bytes read by pyoxigraph's parser directly. What
it parses (as UTF-8, RDF 1.1) must load, with the same number of triples; what it refuses
must be an Mc2cmError naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.load import load_graph

# Pieces of Turtle, valid and broken, that random text is assembled from.
TOKENS = [
    "@prefix mc2cm: <https://w3id.org/mc2cm/ontology#> .", "@prefix : <#> .", "@base <x:/> .",
    "PREFIX p: <http://e/>", "programme:x", "mc2cm:locatedIn", ":a", ":b", "p:c", "a", "_:b1",
    "<https://w3id.org/mc2cm/id/city/sfax>", "<rel>", "<a b>", "<<", ">>", "<<(", ")>>",
    "\"text\"", "\"نص\"@ar", "\"x\"@en-GB", "\"x\"@ar--rtl", "\"x\"@e1", "\"1\"^^xsd:integer",
    "\"\"\"long\nstring\"\"\"", "'single'", "42", "-1.5", "1e3", "true", "[", "]", "(", ")",
    ";", ",", ".", "#comment\n", "\\u0000", "\"\\uD800\"", "\u00e9", "\ufeff", "\n", " ",
    "{", "}", "GRAPH", "~", "^^", "@", "\"unterminated",
]


FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
           ".trig": ox.RdfFormat.TRIG}


def expected_triples(content: bytes, suffix: str, base: str) -> int | None:
    """The number of distinct triples the parser itself reads from the bytes, or None where
    the loader must refuse them (not UTF-8 text, empty, a syntax error, RDF 1.2 terms)."""
    try:
        content.decode("utf-8")
        quads = list(ox.parse(content, format=FORMATS[suffix], base_iri=base))
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return None
    rdf12 = any(isinstance(term, ox.Triple) or (isinstance(term, ox.Literal)
                                                 and term.direction is not None)
                for quad in quads for term in (quad.subject, quad.object))
    if not content.strip() or rdf12:
        return None
    return len({(q.subject, q.predicate, q.object) for q in quads})


def load(content: bytes, suffix: str = ".ttl"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(content)
        expected = expected_triples(content, suffix, path.resolve().as_uri())
        try:
            graph = load_graph([path])
        except Mc2cmError as err:
            assert expected is None, f"refused what the parser reads: {err}"
            assert err.message and err.file is not None
            assert err.exit_code != 0
            return err
        assert expected is not None, "loaded what the parser refuses"
        assert len(graph) == expected
        return graph


FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_give_a_graph_or_an_mc2cm_error(content):
    load(content)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join))
def test_random_turtle_like_text_gives_a_graph_or_an_mc2cm_error(text):
    load(text.encode("utf-8", errors="surrogatepass"))


@FAST
@given(st.text(max_size=200), st.sampled_from([".ttl", ".nt", ".trig"]))
def test_random_text_in_every_format_gives_a_graph_or_an_mc2cm_error(text, suffix):
    load(text.encode("utf-8", errors="surrogatepass"), suffix)


def test_syntax_errors_carry_a_line():
    result = load(b"@prefix : <#> .\n:a :b :c .\n:a ? :c .\n:d :e :f .\n")
    assert isinstance(result, Mc2cmError) and (result.line, result.column) == (3, 4)


@pytest.mark.parametrize(("content", "triples"), [
    (b"@prefix : <http://e/> . :a :b :c , :d .", 2),
    ("@prefix : <http://e/> . :a :b \"نص\"@ar .".encode(), 1),
    (b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> <http://e/c> .", 1),
])
def test_valid_turtle_loads_whole(content, triples):
    result = load(content)
    assert not isinstance(result, Mc2cmError) and len(result) == triples
