"""The guard reads tokens: keywords inside strings, IRIs, comments, variables and prefixed
names do not count; keywords spelled with \\u escapes do."""

import contextlib

import pytest

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.serve.errors import QUERY_ERROR_STATUS
from mc2cm_graph.serve.guard import MAX_NESTING, check_query

ALLOWED = {
    "keywords in a string": 'SELECT ?s WHERE { ?s ?p "SERVICE FROM LOAD INSERT" }',
    "keywords in a long string": "SELECT * { ?s ?p '''a\nSERVICE <http://x/> {}\n''' }",
    "keywords in a comment": "SELECT * WHERE { ?s ?p ?o } # FROM <file:///etc/passwd>",
    "keywords as variables": "SELECT ?service ?from ?load WHERE { ?service ?from ?load }",
    "keywords as prefixed names": "PREFIX ex: <http://e/> ASK { ex:SERVICE ex:from ex:load }",
    "keyword in an IRI": "SELECT * WHERE { <http://e/SERVICE> ?p ?o }",
    "construct": "CONSTRUCT WHERE { ?s ?p ?o }",
    "describe": "DESCRIBE <https://w3id.org/mc2cm/id/city/sfax>",
    "escapes in an IRI": "SELECT * WHERE { <http://e/\\u00e9/from> ?p ?o }",
    "less-than, not an IRI": "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
}

REFUSED = {
    "from file": ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    "from named": ("SELECT * FROM NAMED <http://127.0.0.1:1/g> { ?s ?p ?o }", "FROM"),
    "service": ("SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", "SERVICE"),
    "service silent, lower case": ("select * { service silent <http://x/> { ?s ?p ?o } }",
                                   "SERVICE"),
    "service spelled with \\u": ("SELECT * { SERV\\u0049CE <http://x/> { ?s ?p ?o } }",
                                 "SERVICE"),
    "load": ("LOAD <http://127.0.0.1:1/data.ttl>", "read-only"),
    "insert": ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "read-only"),
    "delete where": ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    "drop": ("DROP ALL", "read-only"),
}


@pytest.mark.parametrize("query", ALLOWED.values(), ids=ALLOWED.keys())
def test_allowed(query):
    assert check_query(query).form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@pytest.mark.parametrize(("query", "word"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_reason(query, word):
    with pytest.raises(QueryError) as caught:
        check_query(query)
    assert QUERY_ERROR_STATUS[caught.value.kind] == 403
    assert word in str(caught.value)


def test_not_a_query_is_a_bad_request():
    with pytest.raises(QueryError) as caught:
        check_query("hello")
    assert QUERY_ERROR_STATUS[caught.value.kind] == 400


# ------------------------------------------------------------- the linear fences

def test_nesting_is_counted_after_brackets_close():
    """Depth falls by one per closing bracket: fifty closed groups, then 41 levels, is 42
    deep (over the 40 read); the same without the last level is read."""
    closed = "FILTER(1) " * 50
    deep = "{ " * 41 + "?s ?p ?o " + "} " * 41
    with pytest.raises(QueryError) as caught:
        check_query(f"SELECT * WHERE {{ {closed}{deep}}}")
    assert QUERY_ERROR_STATUS[caught.value.kind] == 400
    assert "nests brackets 42 deep" in str(caught.value)
    shallower = "{ " * 38 + "?s ?p ?o " + "} " * 38
    assert check_query(f"SELECT * WHERE {{ {closed}{shallower}}}").form == "SELECT"


def test_path_steps_are_the_slashes_outside_iris_and_strings():
    """201 path steps are refused by the fence (400, naming the count); 300 slashes inside
    IRIs and strings, with many names beside them, are not steps."""
    path = "/".join(["<http://e/p>"] * 202)
    with pytest.raises(QueryError) as caught:
        check_query(f"SELECT * WHERE {{ ?s {path} ?o }}")
    assert QUERY_ERROR_STATUS[caught.value.kind] == 400
    assert "has 201 property path steps or divisions (/)" in str(caught.value)
    values = " ".join(f"<http://e/a/b/{i}>" for i in range(100))
    query = (f'SELECT * WHERE {{ VALUES ?x {{ {values} }} ?x ?p "a/b/c/d" '
             + " ".join(f"OPTIONAL {{ ?x ?p{i} ?o{i} }}" for i in range(60)) + " }")
    assert query.count("/") > 300
    assert check_query(query).form == "SELECT"


# ------------------------------------------------------------- differential, against pyoxigraph

# Pieces that open, close or escape string literals and comments. Every query of the form
# WHERE { <up to 2 pieces> SERVICE <listener> {} <up to 1 piece> } is tried: wherever the
# guard lets one through, pyoxigraph must not connect to the listener.
PIECES = ['BIND("a\\u0022 AS ?x) ', 'BIND(" AS ?y) ', 'BIND("c" AS ?z) ', "# ", "\n",
          "BIND('a\\u0027 AS ?w) ", "BIND(' AS ?v) ", '"""', "\'\'\'", "<http://e/\\u003E> "]


class ClosingListener:
    """Counts connections and closes each at once (an engine that calls out fails fast)."""

    def __init__(self):
        import socket
        import threading

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.count = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.count += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join(2)
        self.socket.close()


@pytest.fixture(scope="module")
def closing_listener():
    listener = ClosingListener()
    yield listener
    listener.close()


def test_whatever_the_guard_allows_never_calls_out(closing_listener):
    import itertools

    import pyoxigraph as ox

    store = ox.Store()
    prefixes = [()] + [(p,) for p in PIECES] + list(itertools.product(PIECES, repeat=2))
    allowed = 0
    for before, after in itertools.product(prefixes, [()] + [(p,) for p in PIECES]):
        body = "".join(before) + f"SERVICE <{closing_listener.url}> {{}} " + "".join(after)
        query = f"SELECT * WHERE {{ {body} }}"
        try:
            checked = check_query(query).text
        except QueryError:
            continue
        allowed += 1
        count = closing_listener.count
        with contextlib.suppress(Exception):  # syntax errors are fine; only call-outs count
            list(store.query(checked))
        assert closing_listener.count == count, f"the engine called out for: {query!r}"
    assert allowed > 20  # the guard did let many of these (SERVICE inside a string) through


# ------------------------------------------------------------- one text for both parsers

LEXER_SPLITS = {  # issue 21: texts pyoxigraph and rdflib would read differently
    "CR ends a comment for one parser": "SELECT * WHERE { #x\r SERVICE <http://e/> {} \n}",
    "CR spelled \\u000D": "SELECT * WHERE { #x\\u000D SERVICE <http://e/> {} \n}",
    "an escape decoded twice": 'SELECT * { BIND("\\u005Cu005C" AS ?a) } #" }',
    "an escape decoded twice, \\U": 'SELECT * { BIND("\\U0000005Cu005C" AS ?a) } #" }',
    "eight hex digits after \\u": 'ASK { FILTER("\\u00000041" = "A") }',
    "a lone surrogate": 'ASK { FILTER("\\uD800" = "") }',
    "a NUL": 'ASK { FILTER("\\u0000" = "") }',
    "a triple pattern behind a CR": "SELECT * { ?a ?b ?c #x\r . ?d ?e ?f }",
}


@pytest.mark.parametrize("query", LEXER_SPLITS.values(), ids=LEXER_SPLITS.keys())
def test_texts_the_two_lexers_split_are_refused(query):
    with pytest.raises(QueryError) as caught:
        check_query(query)
    assert QUERY_ERROR_STATUS[caught.value.kind] == 400


def test_the_engine_runs_the_text_the_guard_parsed():
    from mc2cm_graph.serve.guard import canonical

    assert canonical("ASK {\r\n FILTER(\"\\u00e9\" = 'é') }") == "ASK {\n FILTER(\"é\" = 'é') }"
    checked = check_query("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://h/sparql")
    assert checked.text == "BASE <http://h/sparql> CONSTRUCT { <s> <p> 1 } WHERE {}"
    with pytest.raises(QueryError) as caught:
        check_query("ASK {}", base="http://h> SERVICE/sparql")
    assert QUERY_ERROR_STATUS[caught.value.kind] == 400


def test_brackets_in_strings_iris_and_comments_do_not_nest():
    """The nesting fence counts the query's bracket tokens (query/limits.py), not every
    bracket character of the text: sixty in a string, an IRI and a comment are no
    nesting; sixty real ones are refused, and both callers count them the same way."""
    from mc2cm_graph.query.limits import nesting

    quoted = ('SELECT * WHERE { ?s ?p "' + "{" * 60 + '" . ?s ?q <http://e/' + "(" * 60
              + "> }  # " + "[" * 60)
    assert nesting(quoted, MAX_NESTING) is None
    assert check_query(quoted).form == "SELECT"
    real = "ASK " + "{ " * 60 + "} " * 60
    found = nesting(real, MAX_NESTING)
    assert found is not None and found.deepest == 60
    assert found.line_column(real) == (1, 5 + 2 * MAX_NESTING)
    with pytest.raises(QueryError) as caught:
        check_query(real)
    assert "nests brackets 60 deep" in str(caught.value)


def test_the_recursion_limit_is_raised_only_while_the_guard_parses():
    """pyparsing needs a deep recursion limit, which is process-wide: it is raised for
    the parse and put back once the parse ends (in a fresh process, whose first parse
    also starts the parser thread), so other threads keep the limit their stacks hold."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "from mc2cm_graph.serve import guard\n"
             "seen = []\n"
             "def parse(text):\n"
             "    seen.append(sys.getrecursionlimit())\n"
             "    return guard._check_parsed(text)\n"
             "before = sys.getrecursionlimit()\n"
             "guard._in_parser_thread(parse, 'ASK { ?s ?p ?o }')\n"
             "print(before, seen[0], sys.getrecursionlimit())\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    before, during, after = map(int, done.stdout.split())
    assert during >= 200_000 > before == after


def test_a_parse_that_drops_the_first_stop_is_still_stopped():
    """An interrupt that lands in a garbage-collector callback is printed and dropped; the
    guard sends it again until the parse ends, so the next query is not queued behind a
    parse that runs on (seen in CI: a cheap query refused as too long to read)."""
    import subprocess
    import sys

    probe = ("import time\n"
             "from mc2cm_graph.graph.errors import QueryError\n"
             "from mc2cm_graph.serve import guard\n"
             "def spin():\n"
             "    turns = 0\n"
             "    while True:\n"
             "        turns += 1\n"
             "def stubborn(text):\n"
             "    try:\n"
             "        spin()\n"
             "    except BaseException:  # the first stop, dropped\n"
             "        pass\n"
             "    spin()\n"
             "started = time.monotonic()\n"
             "try:\n"
             "    guard._in_parser_thread(stubborn, 'ASK {}')\n"
             "except QueryError as refused:\n"
             "    print(refused.kind)\n"
             "stopped = time.monotonic() - started\n"
             "started = time.monotonic()\n"
             "print(guard.check_query('ASK { ?s ?p ?o }').form)\n"
             "print(round(stopped), round(time.monotonic() - started))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    kind, form, seconds = done.stdout.splitlines()
    stopped, next_one = map(int, seconds.split())
    assert (kind, form) == ("too-long", "ASK")
    assert stopped <= 2 and next_one <= 1
