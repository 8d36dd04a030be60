"""Read a SPARQL request before it runs: what form it is, and whether a public read-only
endpoint may run it at all.

The check works on tokens, not on substrings: text inside string literals, IRIs and
comments never counts, and neither do variables (``?service``) or prefixed names
(``ex:load``).

SPARQL 1.1 (§19.2) says ``\\uXXXX`` escapes are decoded *before* parsing, so
``SERV\\u0049CE`` would be SERVICE; pyoxigraph instead decodes them only inside strings
and IRIs, where ``"a\\u0022 ..."`` does not end the string. Each reading hides different
text inside string literals, so the guard reads the query both ways and refuses a keyword
that either reading shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"]
)
# Keywords that make the engine read or fetch something other than the served graph.
OUTSIDE_WORDS = {
    "SERVICE": "SERVICE (federated query) calls other servers",
    "FROM": "FROM / FROM NAMED name graphs to load",
    "LOAD": "LOAD reads a document into the store",
}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<pname>(?:[^\W\d][\w\-.]*)?:(?:[\w\-.:%]|\\.)*)
  | (?P<blank>_:[\w\-.]+)
  | (?P<word>[^\W\d_]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class RefusedQuery(ValueError):
    """The request is not allowed on this endpoint (``status`` is the HTTP answer)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def unescape_codepoints(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _words(text: str) -> list[str]:
    return [m.group().upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, in order, as the engine reads it
    (escapes decoded in strings only), then those only the spec's reading (escapes decoded
    first) shows."""
    raw = _words(text)
    unescaped = unescape_codepoints(text)
    return raw if unescaped == text else raw + _words(unescaped)


def check_query(text: str) -> QueryInfo:
    """Return the query's form, or raise RefusedQuery saying why it may not run here."""
    words = keywords(text)
    form = next((w for w in words if w in QUERY_FORMS), None)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), None)
    if first in UPDATE_WORDS or (form is None and UPDATE_WORDS.intersection(words)):
        raise refuse_update()
    for word, why in OUTSIDE_WORDS.items():
        if word in words:
            raise RefusedQuery(
                f"{word} is not allowed here: {why}, and this endpoint only answers from "
                "the MC2CM graph it serves. Remove the clause (query the graph directly).",
                status=403,
            )
    if form is None:
        raise RefusedQuery("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form)


def refuse_update() -> RefusedQuery:
    return RefusedQuery(
        "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) "
        "is not accepted. Change the graph's source files and rebuild instead.",
        status=403,
    )
