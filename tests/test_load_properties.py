"""Property-based tests of the loader: whatever bytes a file holds, loading it gives a graph
or an Mc2cmError, never another exception (no traceback reaches the user)."""

from __future__ import annotations

import tempfile
from pathlib import Path

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


def load(content: bytes, suffix: str = ".ttl"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(content)
        try:
            return load_graph([path])
        except Mc2cmError as err:
            assert err.message and err.file is not None
            assert err.exit_code != 0
            return err


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
