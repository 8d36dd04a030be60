"""Search keys: each label and text of the data in one normalised form, computed once at
build time and shipped in the release (``mc2cm:searchKey``), so that saved queries match
Arabic input that differs in spelling from the brochure without normalising every text at
query time, and alike on every engine.

The normalisation (``search_key``): lower case; Arabic harakat (U+064B..U+065F, U+0670) and
tatweel (U+0640) dropped; the hamza forms written bare (أ إ آ ٱ as ا, ؤ as و, ئ as ي);
ة as ه and ى as ي; runs of spaces as one space. A query normalises the user's input the same
way with ASCII-only regular expressions over ``ENCODE_FOR_URI`` of it (``QUERY_INPUT_KEY``):
Virtuoso applies a non-ASCII character class to bytes, so ``REPLACE(?x, "[أإآ]", "ا")``
garbles text there, while the percent-encoded UTF-8 bytes are ASCII on every engine. The
keys are compared percent-encoded too (``QUERY_KEY``). Virtuoso leaves some non-ASCII Latin
letters unencoded and appends ``%00`` to what it encodes: both sides go through the same
function on the same engine, and ``%00`` is dropped (a value never holds U+0000). On
Virtuoso, ``STR()`` of a constant turns non-ASCII letters into ``?``: the input (a plain
literal, as a parameter is bound) goes to ``LCASE`` as it is.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from mc2cm_graph.graph.iris import ONTOLOGY_NS

MC2CM = ONTOLOGY_NS
SEARCH_KEY = ox.NamedNode(MC2CM + "searchKey")

# The properties whose text gets a key: names, subtitles, objectives, activity and outcome
# texts (rdfs:label), and the brochure's wording of a target group (mc2cm:evidence).
KEYED_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    MC2CM + "subtitle",
    MC2CM + "objective",
    MC2CM + "evidence",
)

_DROPPED = re.compile("[\u064b-\u065f\u0670\u0640]")
_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ى": "ي"}
_TABLE: dict[int, str | None] = {}


def search_key(text: str) -> str:
    """The search key of a text (see the module's docstring): ``spelled_key`` computed
    with one translation table, about 3x quicker (a 100k build keys 1.5 M texts). The
    table holds the format characters of the Basic Multilingual Plane; a text with a
    character beyond it takes the definition's own path."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return " ".join(text.lower().split())
    if max(text) > "\uffff":
        return spelled_key(text)
    return " ".join(text.lower().translate(_TABLE or _fill_table()).split())


def spelled_key(text: str) -> str:
    """The search key as the module's docstring defines it, step by step."""
    text = "".join(c for c in unicodedata.normalize("NFC", text)
                   if unicodedata.category(c) != "Cf")
    text = _DROPPED.sub("", text.lower()).translate(str.maketrans(_LETTERS))
    return " ".join(text.split())


def _fill_table() -> dict[int, str | None]:
    """Format characters (category Cf) of the BMP, harakat and tatweel dropped; the
    hamza forms, ة and ى written as their key letters. None of these is changed by
    ``lower()``, so translating after it drops and writes what the definition does."""
    _TABLE.update((code, None) for code in range(0x10000)
                  if unicodedata.category(chr(code)) == "Cf")
    _TABLE.update((code, None) for code in [*range(0x064B, 0x0660), 0x0670, 0x0640])
    _TABLE.update((ord(letter), key) for letter, key in _LETTERS.items())
    return _TABLE


def _encoded(expression: str) -> str:
    return f'REPLACE(ENCODE_FOR_URI({expression}), "%00", "")'


# SPARQL: a stored key, percent-encoded (?key is the variable holding it).
QUERY_KEY = _encoded("?key")

# SPARQL: the same normalisation of the text in ?input, on its percent-encoded UTF-8 bytes:
# harakat D9 8B..D9 9F, tatweel D9 80, superscript alef D9 B0 dropped; آ أ إ (D8 A2, A3,
# A5) and ٱ (D9 B1) as ا (D8 A7); ؤ (D8 A4) as و (D9 88); ئ (D8 A6) and ى (D9 89) as ي
# (D9 8A); ة (D8 A9) as ه (D9 87). Runs of spaces are not collapsed here (the command line
# and the HTTP API collapse them before binding): Virtuoso's REPLACE miscounts positions in
# a string that still holds non-ASCII letters (its ENCODE_FOR_URI leaves é as it is), so
# the expression only replaces what occurs in Arabic text. Each saved query that matches
# Arabic input writes this expression with its parameter in place of ?input (a test checks).
QUERY_INPUT_KEY = (
    'REPLACE(REPLACE(REPLACE(REPLACE(REPLACE('
    + _encoded('LCASE(?input)') + ', '
    + '"%D9%8[B-F]|%D9%9[0-9A-F]|%D9%80|%D9%B0", ""), '
    + '"%D8%A[235]|%D9%B1", "%D8%A7"), '
    + '"%D8%A4", "%D9%88"), '
    + '"%D8%A6|%D9%89", "%D9%8A"), '
    + '"%D8%A9", "%D9%87")'
)


def keyed_texts(store: ox.Store, graphs) -> list[tuple[ox.NamedNode, str]]:
    """(subject, text) of every keyed property in ``graphs``."""
    values = " ".join(f"<{p}>" for p in KEYED_PREDICATES)
    graph_values = " ".join(f"<{g.value}>" for g in graphs)
    rows = store.query(f"""SELECT DISTINCT ?s ?text WHERE {{
        VALUES ?g {{ {graph_values} }} VALUES ?p {{ {values} }}
        GRAPH ?g {{ ?s ?p ?text }} FILTER(isIRI(?s) && isLiteral(?text)) }}""")
    return [(row["s"], row["text"].value) for row in rows]


def search_key_nquads(store: ox.Store, graphs, target: ox.NamedNode) -> bytes:
    """One ``mc2cm:searchKey`` per subject and distinct key of its texts, in ``target``, as
    N-Quads for ``Store.load``: the store's parser takes them far quicker than a quad object
    a key (1.6 M keys at 100k programmes), and the text can come from another process."""
    head, tail = f"> <{SEARCH_KEY.value}> \"", f"\" <{target.value}> .\n"
    seen = set()
    lines = []
    for subject, text in keyed_texts(store, graphs):
        key = search_key(text)
        if key and (subject, key) not in seen:
            seen.add((subject, key))
            # A key has no line breaks or tabs (its spaces are collapsed): only \\ and "
            # need escaping in an N-Quads string.
            escaped = key.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f"<{subject.value}{head}{escaped}{tail}")
    return "".join(lines).encode("utf-8")


# SPARQL: an SDG target notation as the brochure prints it (١٠.٧, ١٦.ب, ٤.ا, ۱۰.۷, 16.B,
# 16-b, with invisible direction marks) written as the UN notation (10.7, 16.b), in the
# query itself, so that grlc and any tool that fills in the parameter accept what the page
# shows. Percent-encoded as above: Arabic-Indic digits D9 A0..A9 and extended ones DB B0..B9
# as their digit (a back-reference); ا and أ (D8 A7, A3) as a, ب (D8 A8) as b, ج (D8 AC) as
# c; ٫ (D9 AB), ، (D8 8C) and - as a dot; LRM/RLM (E2 80 8E/8F) and spaces dropped.
QUERY_TARGET_NOTATION = (
    'LCASE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE('
    + _encoded("?input") + ', '
    + '"%D9%A([0-9])", "$1"), '
    + '"%DB%B([0-9])", "$1"), '
    + '"%D8%A7|%D8%A3", "a"), '
    + '"%D8%A8", "b"), '
    + '"%D8%AC", "c"), '
    + '"%D9%AB|%D8%8C|-", "."), '
    + '"%E2%80%8[EF]|%20", ""), '
    + '"^0+([1-9])", "$1"))'
)
