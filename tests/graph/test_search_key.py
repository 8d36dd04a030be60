"""The search key's quick path (one translation table) against its definition, step by
step (``spelled_key``), on text from the alphabets the data holds and every character
that the table treats apart."""

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph.search_key import search_key, spelled_key

# Arabic with its harakat, tatweel and hamza forms; Latin with accents and the dotted İ
# whose lower case grows a combining mark; format characters in and beyond the BMP
# (direction marks, the soft hyphen, U+E0001 LANGUAGE TAG); spaces of several kinds.
SPECIAL = ("\u064b\u0650\u0652\u065f\u0670\u0640أإآٱؤئةىاوي\u00ad\u200b\u200e\u200f\u2066"
           "\ufeff\U000110bd\U000e0001İIΣς\u00a0\u2003\t\n é")
TEXT = st.text(st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(max_codepoint=0x024F),
    st.sampled_from(SPECIAL),
    st.characters(),
), max_size=40)


@settings(max_examples=600, deadline=None)
@given(TEXT)
@example("ة x\U000e0001y")  # beyond the BMP: the definition's own path
@example("ٱلْمَغْرِب\u200f İstanbul")
def test_the_quick_key_is_the_defined_key(text):
    assert search_key(text) == spelled_key(text)


def test_every_format_character_of_the_bmp_is_dropped():
    formats = [chr(code) for code in range(0x10000) if unicodedata.category(chr(code)) == "Cf"]
    assert {"\u00ad", "\u061c", "\u200e", "\u200f", "\u2066", "\ufeff"} <= set(formats)
    assert search_key("س" + "".join(formats) + "فاقس") == "سفاقس"


def test_the_key_of_a_brochure_name():
    assert search_key("  الدَّار   البَيْضَاء\u200f ") == "الدار البيضاء"
    assert search_key("مؤسسة") == "موسسه"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
                min_size=1, max_size=6))
@example(['say "hi" \\ there', "  Tanger\tطنجة\n", "a\\\"b", ""])
def test_the_keys_as_n_quads_are_one_per_subject_and_distinct_key(texts):
    """search_key_nquads writes what Store.load reads back as exactly the keys: quotes,
    backslashes and any character escaped right; one quad per subject and distinct key."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.search_key import SEARCH_KEY, search_key_nquads

    data, target = ox.NamedNode("urn:g:data"), ox.NamedNode("urn:g:keys")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store = ox.Store()
    for i, text in enumerate(texts):
        subject = ox.NamedNode(f"urn:s:{i % 2}")
        store.add(ox.Quad(subject, label, ox.Literal(text, language="ar"), data))
        store.add(ox.Quad(subject, label, ox.Literal(text + " "), data))  # the same key
    store.load(search_key_nquads(store, (data,), target), format=ox.RdfFormat.N_QUADS)
    found = sorted((q.subject.value, q.predicate, q.object.value, q.graph_name)
                   for q in store.quads_for_pattern(None, None, None, target))
    expected = sorted({(f"urn:s:{i % 2}", SEARCH_KEY, search_key(text), target)
                       for i, text in enumerate(texts) if search_key(text)})
    assert found == expected
