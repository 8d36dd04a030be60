"""graph/jsontext.py writes what json.dumps writes with an indent, byte for byte."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph.jsontext import indented

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30)


# No deadline or speed checks: the generator is slow on a loaded shared machine.
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(JSON, st.sampled_from([1, 2, 4]))
def test_indented_is_json_dumps(value, indent):
    assert indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_inside_a_larger_document():
    assert indented({"a": [1]}, 2, "\n    ") == '{\n      "a": [\n        1\n      ]\n    }'


NO_FLOATS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(NO_FLOATS, st.sampled_from(["\n", "\n    "]))
def test_orjsons_text_is_json_dumps_text_without_floats(value, newline):
    """indented_without_floats (orjson) writes what indented (json's text) writes: the
    escapes, the indent, empty lists and dicts, and ints past 64 bits (orjson's refusal
    falls back)."""
    from mc2cm_graph.graph.jsontext import indented_without_floats

    assert indented_without_floats(value, newline) == indented(value, 2, newline)


def test_an_int_past_64_bits_is_written_whole():
    from mc2cm_graph.graph.jsontext import indented_without_floats

    assert indented_without_floats({"n": 2**70}) == '{\n  "n": 1180591620717411303424\n}'
