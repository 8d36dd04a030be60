"""Decide whether a public read-only endpoint may run a SPARQL text, on its parse.

Two steps, both bounded:

1. ``prebound``: linear counts (length; bracket nesting and path steps over the query's
   tokens, query/limits.py; ``||``/``&&`` and ``UNION`` counts) refuse what is too big to
   parse safely, in the server process, before any parser sees it. These are not the
   security decision, only a size fence.
2. ``check_query``: rdflib's SPARQL 1.1 parser (pyparsing) reads the query; an iterative
   walk over the parse tree refuses SERVICE and dataset clauses (FROM, FROM NAMED), and
   a text that parses only as SPARQL Update (LOAD, INSERT ...) is refused as read-only.
   What the parser cannot read is refused too (fail closed), and so is a text it cannot
   read within PARSE_SECONDS (the parse is stopped there: pyparsing takes seconds on a
   32 KB ``IN (1,1,…)`` list). The walk also rates the query cheap (at most one triple
   pattern with a plain predicate, no property path, no VALUES, no subquery) or not.

One text for both parsers (``canonical``): the engine runs exactly the text the guard
parsed, and that text holds nothing the two lexers read differently. ``\\uXXXX`` and
``\\UXXXXXXXX`` escapes are decoded once, here, as SPARQL §19.2 says; a decoded text that
still spells an escape (``"\\u005Cu005C"``) is refused, so neither parser's own decoding
(rdflib decodes again, and reads ``\\u`` with 8 digits too) can change it. CRLF becomes LF
and a lone CR is refused (pyoxigraph ends a ``#`` comment at CR, rdflib does not), as are
control characters and lone surrogates. Relative IRIs are resolved against the request's
URL by a ``BASE`` put in front of that one text. The query workers also run without
network (query/sandbox.py): the server does not start without that second wall unless its
operator accepts the risk.
"""

from __future__ import annotations

import contextlib
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.query.limits import big_stack_thread, nesting

MAX_QUERY_CHARS = 32_768
MAX_NESTING = 40  # what rdflib's parser reads within PARSE_SECONDS (the CLI's: 200)
MAX_OPERATORS = 400  # ||, && and UNION together
MAX_PARSE_NODES = 50_000
MAX_PATH_STEPS = 200
PARSE_SECONDS = 0.75  # CPU time of the guard's own parse (the light lane): stopped past it
PARSE_WALL_SECONDS = 4  # and wall-clock time (before the light lane's 5 s limit)
# pyparsing recurses once or more per grammar level and per triple of a block; a parser
# thread with a large stack (query/limits.py) and this recursion limit, raised while it
# parses, reads any query within the fences above.
PARSER_RECURSION_LIMIT = 200_000
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SPELLS_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


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
        raise QueryError(f"the query is {len(text)} characters long; this server reads "
                         f"at most {MAX_QUERY_CHARS}", kind="too-long")
    deep = nesting(text, MAX_NESTING)
    if deep is not None:
        raise QueryError(f"the query nests brackets {deep.deepest} deep; this server reads "
                         f"at most {MAX_NESTING} levels")
    operators = text.count("||") + text.count("&&") + text.upper().count("UNION")
    if operators > MAX_OPERATORS:
        raise QueryError(f"the query chains {operators} ||, && or UNION operators; this "
                         f"server reads at most {MAX_OPERATORS}")
    steps = _slashes(text) if text.count("/") > MAX_PATH_STEPS else 0
    if steps > MAX_PATH_STEPS:
        raise QueryError(f"the query has {steps} property path steps or divisions (/); "
                         f"this server reads at most {MAX_PATH_STEPS}: a property path of "
                         "that many steps is too long to read")


def _slashes(text: str) -> int:
    """``/`` outside strings, IRIs and comments (path steps and divisions)."""
    from mc2cm_graph.query.bind import tokens

    return sum(1 for kind, token in tokens(text) if kind == "other" and token == "/")


# ------------------------------------------------------------------- 2. parse and walk


def check_query(text: str, base: str | None = None) -> QueryInfo:
    """The query's form, cost class and the text to run (relative IRIs resolved against
    ``base``, the request's URL); or raise QueryError (kind "invalid" for what is not a
    readable query, "forbidden" for what this endpoint does not do, "too-long" for what it
    will not read)."""
    prebound(text)
    return _in_parser_thread(_check_parsed, canonical(text, base))


def canonical(text: str, base: str | None = None) -> str:
    """The one text the guard parses and the engine runs: escapes decoded once, line ends
    LF, nothing the two parsers' lexers could read differently (else QueryError)."""
    decoded = _ESCAPE.sub(_decode_escape, text).replace("\r\n", "\n")
    if _SPELLS_ESCAPE.search(decoded):
        raise QueryError("the query's \\u escapes, once decoded, spell another escape; "
                         "write the character itself")
    for position, char in enumerate(decoded):
        if (char < " " and char not in "\t\n") or "\ud800" <= char <= "\udfff":
            line = decoded.count("\n", 0, position) + 1
            raise QueryError(f"the query holds U+{ord(char):04X} (line {line}), a control "
                             "character or lone surrogate: only tab and line feed (or CR "
                             "LF) may separate its parts; write other characters as text")
    if base is None:
        return decoded
    if _IRI_UNSAFE.search(base):
        raise QueryError("cannot resolve relative IRIs against this request's URL "
                         f"{base!r}: it is not an IRI")
    return f"BASE <{base}> {decoded}"


def _decode_escape(match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF:
        raise QueryError(f"\\U{match.group(2)} is no Unicode character")
    return chr(code)


def _check_parsed(text: str) -> QueryInfo:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)  # its own escape decoding finds nothing left to decode
    except ParseBaseException as err:
        if _parses_as_update(parseUpdate, text):
            raise refuse_update() from None
        raise QueryError(f"SPARQL syntax error at line {err.lineno}, column "
                         f"{_column(text, err)}: {err.msg}") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to read") from None
    form = _FORMS.get(getattr(parsed[1], "name", ""))
    if form is None:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form, _walk(parsed), text)


def _column(text: str, err) -> int:
    """The error's column in the client's text (without the BASE put in front of it)."""
    if err.lineno == 1 and text.startswith("BASE <"):
        return max(1, err.col - (text.index("> ") + 2))
    return err.col


def _parses_as_update(parse_update, text: str) -> bool:
    """Whether ``text`` is an update with at least one operation (an empty text, or one
    of comments only, parses as an empty update: it is no query, not an update)."""
    try:
        parsed = parse_update(text)
    except Exception:  # noqa: BLE001 - not an update either
        return False
    return bool(dict.get(parsed, "request"))


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
            raise QueryError(f"the query has over {MAX_PARSE_NODES} parts; this server "
                             "reads smaller queries")
        if isinstance(node, CompValue):
            _refuse_outside(node)
            if node.name == "TriplesBlock":
                patterns += sum(len(t) // 3 for t in _field(node, "triples"))
            elif node.name == "PathSequence" and len(_field(node, "part")) > MAX_PATH_STEPS:
                raise QueryError(f"a property path of over {MAX_PATH_STEPS} steps; this "
                                 "server reads shorter paths")
            elif node.name in _NOT_CHEAP or _more_than_one_step(node):
                cheap = False
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            pending.extend(node)
    return cheap and patterns <= 1


# Each multiplies the work past one scan of the data: rows of VALUES join with everything
# else, a path step (negated, inverse, alternative, sequence, repeated) is a pattern of its
# own, a subquery is a query, BIND, CONCAT and REPLACE can double a value again and again.
_NOT_CHEAP = frozenset({"SubSelect", "InlineData", "ValuesClause", "PathEltOrInverse",
                        "PathNegatedPropertySet", "Bind", "Builtin_CONCAT",
                        "Builtin_REPLACE"})


def _more_than_one_step(node) -> bool:
    """A path that is more than one plain predicate (``a|b``, ``a/b``, ``a*``, ``a?``)."""
    if node.name in ("PathAlternative", "PathSequence"):
        return len(_field(node, "part")) > 1
    return node.name == "PathElt" and bool(_field(node, "mod"))


def _field(node, key):
    """A parse node's field, or an empty list (CompValue.get answers the key itself)."""
    return dict.get(node, key) or []


def _refuse_outside(node) -> None:
    if node.name == "ServiceGraphPattern":
        raise QueryError(
            "SERVICE is not allowed here: federated queries call other servers, and this "
            "endpoint only answers from the MC2CM graph it serves. Remove the SERVICE clause "
            "(query the graph directly).", kind="forbidden")
    if node.name == "DatasetClause" or _field(node, "datasetClause"):
        raise QueryError(
            "FROM / FROM NAMED is not allowed here: dataset clauses name graphs to load, and "
            "this endpoint only answers from the MC2CM graph it serves. Remove the clause.",
            kind="forbidden")


def refuse_update() -> QueryError:
    return QueryError(
        "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) "
        "is not accepted. Change the graph's source files and rebuild instead.",
        kind="forbidden",
    )


# ------------------------------------------------------------------- the parser thread

_parser: ThreadPoolExecutor | None = None
_parser_thread = 0
_parser_lock = threading.Lock()


class _ParseTimeUp(BaseException):
    """Raised inside the parser thread at PARSE_SECONDS (a BaseException: pyparsing's own
    ``except Exception`` clauses must not swallow it)."""


def _in_parser_thread(function, text: str):
    """``function(text)`` on the one thread with a stack deep enough for pyparsing, stopped
    (QueryError) when it runs past PARSE_SECONDS."""
    global _parser, _parser_thread
    from concurrent.futures import TimeoutError as FutureTimeout

    with _parser_lock:
        if _parser is None:
            _parser = big_stack_thread("sparql-parser")
            _parser_thread = _parser.submit(_load_parser).result()  # off the clock
        future = _parser.submit(_deeply, function, text)
        try:
            return _within_parse_time(future)
        except FutureTimeout:
            _interrupt(future)
        except _ParseTimeUp:
            pass
    raise QueryError(f"the query takes this server over {PARSE_SECONDS:g} s to read; "
                     "send a shorter query (fewer terms in IN lists, GROUP BY, FILTERs, "
                     "operators)", kind="too-long")


def _deeply(function, text: str):
    """``function(text)`` with Python's recursion limit raised to PARSER_RECURSION_LIMIT,
    and put back after. The limit is the interpreter's, not the thread's (Python has no
    per-thread limit): while it is raised, another thread could also recurse that deep
    before a RecursionError, further than its own 8 MB stack may hold in C code. So it is
    raised only while one parse runs (one at a time, under _parser_lock), on the parser
    thread, whose stack (query/limits.STACK_BYTES) holds that depth."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, PARSER_RECURSION_LIMIT))
    try:
        return function(text)
    finally:
        sys.setrecursionlimit(previous)


def _within_parse_time(future):
    """The parse's result, or FutureTimeout once the parser thread has used PARSE_SECONDS
    of CPU (its own clock: a loaded machine slows the parse, not the verdict) or
    PARSE_WALL_SECONDS have passed."""
    import time
    from concurrent.futures import TimeoutError as FutureTimeout

    clock = time.pthread_getcpuclockid(_parser_thread)
    started, deadline = time.clock_gettime(clock), time.monotonic() + PARSE_WALL_SECONDS
    while True:
        try:
            return future.result(0.05)
        except FutureTimeout:
            used = time.clock_gettime(clock) - started
            if used > PARSE_SECONDS or time.monotonic() > deadline:
                raise


def _load_parser() -> int:
    from rdflib.plugins.sparql.parser import parseQuery

    parseQuery("ASK {}")
    return threading.get_ident()


INTERRUPT_EVERY_SECONDS = 0.05


def _interrupt(future) -> None:
    """Stop the parse: an asynchronous exception in the parser thread (pure Python), sent
    again until the parse has ended. Once is not enough: an exception that lands in a
    garbage-collector callback or a ``__del__`` is printed and dropped ("Exception
    ignored in ..."), and the parse would run on for its 12 to 33 s, with every later
    query queued behind it on the one parser thread and refused as too long to read."""
    import ctypes

    while not future.done():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(_parser_thread),
                                                   ctypes.py_object(_ParseTimeUp))
        with contextlib.suppress(BaseException):  # _ParseTimeUp, or what the parse ended with
            future.result(INTERRUPT_EVERY_SECONDS)
    # one sent as the parse ended must not land in the executor's own loop and end its thread
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(_parser_thread), None)
