"""Decide whether a public read-only endpoint may run a SPARQL text, on its parse.

Two steps, both bounded:

1. ``prebound``: linear counts over the raw text (length, bracket nesting, ``||``/``&&``
   and ``UNION`` counts) refuse what is too big to parse safely, in the server process,
   before any parser sees it. These are not the security decision, only a size fence.
2. ``check_query``: rdflib's SPARQL 1.1 parser (pyparsing) reads the query; an iterative
   walk over the parse tree refuses SERVICE and dataset clauses (FROM, FROM NAMED), and
   a text that parses only as SPARQL Update (LOAD, INSERT ...) is refused as read-only.
   What the parser cannot read is refused too (fail closed). The walk also rates the
   query cheap (at most one triple pattern, no ``*``/``+`` path, no subquery) or not.

The engine then runs the very text the parser read: ``\\uXXXX`` escapes are decoded first,
as SPARQL §19.2 says and rdflib does, so the engine cannot read a different query out of
the same bytes. The query workers also run without network (query/sandbox.py), so SERVICE
could not reach anything even if a form slipped past the parse.
"""

from __future__ import annotations

import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

MAX_QUERY_CHARS = 32_768
MAX_NESTING = 40
MAX_OPERATORS = 400  # ||, && and UNION together
MAX_PARSE_NODES = 50_000
MAX_PATH_STEPS = 200
# pyparsing recurses once or more per grammar level and per triple of a block; a parser
# thread with a large stack and recursion limit reads any query within the fences above.
PARSER_STACK_BYTES = 256 * 1024 * 1024
PARSER_RECURSION_LIMIT = 200_000
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_BRACKET = re.compile(r"[{}()\[\]]")


class RefusedQuery(ValueError):
    """The request is not allowed on this endpoint (``status`` is the HTTP answer)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    cheap: bool = False  # at most one triple pattern: linear in the data at worst
    text: str = ""  # what the engine is to run: the parsed text, escapes decoded

    @property
    def returns_graph(self) -> bool:
        return self.form in GRAPH_FORMS


# ------------------------------------------------------------------- 1. linear fences


def prebound(text: str) -> None:
    """Refuse a text too large or too deeply nested to parse (413 / 400); linear."""
    if len(text) > MAX_QUERY_CHARS:
        raise RefusedQuery(f"the query is {len(text)} characters long; this server reads "
                           f"at most {MAX_QUERY_CHARS}", 413)
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "{([" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise RefusedQuery(f"the query nests brackets {deepest} deep; this server reads at "
                           f"most {MAX_NESTING} levels")
    operators = text.count("||") + text.count("&&") + text.upper().count("UNION")
    if operators > MAX_OPERATORS:
        raise RefusedQuery(f"the query chains {operators} ||, && or UNION operators; this "
                           f"server reads at most {MAX_OPERATORS}")


# ------------------------------------------------------------------- 2. parse and walk


def check_query(text: str) -> QueryInfo:
    """The query's form, cost class and the text to run; or raise RefusedQuery (400 for
    what is not a readable query, 403 for what this endpoint does not do)."""
    prebound(text)
    return _in_parser_thread(_check_parsed, text)


def _check_parsed(text: str) -> QueryInfo:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate

    try:
        unescaped = expandUnicodeEscapes(text)
    except Exception as err:  # noqa: BLE001 - a malformed escape
        raise RefusedQuery(f"SPARQL syntax error: {err}") from None
    try:
        parsed = parseQuery(unescaped)
    except ParseBaseException as err:
        if _parses_as_update(parseUpdate, unescaped):
            raise refuse_update() from None
        raise RefusedQuery(f"SPARQL syntax error at line {err.lineno}, column {err.col}: "
                           f"{err.msg}") from None
    except RecursionError:
        raise RefusedQuery("the query is nested too deeply to read") from None
    form = _FORMS.get(getattr(parsed[1], "name", ""))
    if form is None:
        raise RefusedQuery("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form, _walk(parsed), unescaped)


def _parses_as_update(parse_update, text: str) -> bool:
    try:
        parse_update(text)
    except Exception:  # noqa: BLE001 - not an update either
        return False
    return True


def _walk(parsed) -> bool:
    """Refuse SERVICE and dataset clauses anywhere in the tree; True when the query is
    cheap. Iterative: the tree's depth is the attacker's to choose."""
    from rdflib.plugins.sparql.parserutils import CompValue

    patterns, cheap, seen = 0, True, 0
    pending = [parsed]
    while pending:
        node = pending.pop()
        seen += 1
        if seen > MAX_PARSE_NODES:
            raise RefusedQuery(f"the query has over {MAX_PARSE_NODES} parts; this server "
                               "reads smaller queries")
        if isinstance(node, CompValue):
            _refuse_outside(node)
            if node.name == "TriplesBlock":
                patterns += sum(len(t) // 3 for t in _field(node, "triples"))
            elif node.name == "PathSequence" and len(_field(node, "part")) > MAX_PATH_STEPS:
                raise RefusedQuery(f"a property path of over {MAX_PATH_STEPS} steps; this "
                                   "server reads shorter paths")
            elif node.name == "SubSelect" or (
                    node.name == "PathElt" and _field(node, "mod") in ("*", "+")):
                cheap = False
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            pending.extend(node)
    return cheap and patterns <= 1


def _field(node, key):
    """A parse node's field, or an empty list (CompValue.get answers the key itself)."""
    return dict.get(node, key) or []


def _refuse_outside(node) -> None:
    if node.name == "ServiceGraphPattern":
        raise RefusedQuery(
            "SERVICE is not allowed here: federated queries call other servers, and this "
            "endpoint only answers from the MC2CM graph it serves. Remove the SERVICE clause "
            "(query the graph directly).", 403)
    if node.name == "DatasetClause" or _field(node, "datasetClause"):
        raise RefusedQuery(
            "FROM / FROM NAMED is not allowed here: dataset clauses name graphs to load, and "
            "this endpoint only answers from the MC2CM graph it serves. Remove the clause.",
            403)


def refuse_update() -> RefusedQuery:
    return RefusedQuery(
        "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) "
        "is not accepted. Change the graph's source files and rebuild instead.",
        status=403,
    )


# ------------------------------------------------------------------- the parser thread

_parser: ThreadPoolExecutor | None = None
_parser_lock = threading.Lock()


def _in_parser_thread(function, text: str):
    """Run ``function(text)`` on the one thread with a stack deep enough for pyparsing."""
    global _parser
    with _parser_lock:
        if _parser is None:
            sys.setrecursionlimit(max(sys.getrecursionlimit(), PARSER_RECURSION_LIMIT))
            previous = threading.stack_size(PARSER_STACK_BYTES)
            try:
                _parser = ThreadPoolExecutor(1, thread_name_prefix="sparql-parser")
                _parser.submit(int).result()  # the thread starts now, with that stack
            finally:
                threading.stack_size(previous)
    return _parser.submit(function, text).result()
