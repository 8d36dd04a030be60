"""Every verb driven with hostile input, the way careless users and broken servers supply
it: each must end in `error:` + what to fix and a non-zero exit, never a traceback (nor the
CLI's last-resort "internal error", which would mean a case nobody named)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mc2cm_graph.cli import _verb_modules
from mc2cm_graph.query.engine import BadResults, Result, result_from_json
from tests.cli.conftest import cli

ROOT = Path(__file__).resolve().parents[2]


def refused(code: int, err: str, phrase: str = "") -> None:
    assert code not in (0, None), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in err
    assert phrase in err, err


# query --endpoint: answers that are not SPARQL JSON results ---------------------------------

BAD_RESULTS = {
    "binding without type": (
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"value": "a"}}]}},
        'row 1, ?x needs a "type"'),
    "IRI with a space": (
        {"head": {"vars": ["x"]},
         "results": {"bindings": [{"x": {"type": "uri", "value": "http://a b"}}]}},
        "row 1, ?x:"),
    "bad language tag": (
        {"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "a", "xml:lang": "en_GB!"}}]}},
        "row 1, ?x:"),
    "a JSON list": ([{"head": {}}], "the answer is JSON, but not an object"),
    "vars and bindings strings": (
        {"head": {"vars": "x"}, "results": {"bindings": "nope"}},
        "\"head\".\"vars\" is 'x', not a list"),
    "bindings a string": (
        {"head": {"vars": ["x"]}, "results": {"bindings": "nope"}},
        "\"results\".\"bindings\" is 'nope', not a list of rows"),
    "row not an object": (
        {"head": {"vars": ["x"]}, "results": {"bindings": [7]}}, "row 1 is 7"),
    "boolean not a boolean": ({"head": {}, "boolean": "yes"}, '"boolean" is not true'),
}


@pytest.mark.parametrize("case", sorted(BAD_RESULTS))
def test_query_endpoint_with_bad_sparql_json(case, canned, capsys):
    body, phrase = BAD_RESULTS[case]
    server = canned(json.dumps(body).encode())
    code, out, err = cli(capsys, "query", "external-links", "--endpoint",
                         server.url + "/sparql")
    refused(code, err, "did not answer in SPARQL JSON results: " + phrase)
    assert out == ""


@pytest.mark.parametrize(("body", "content_type", "phrase"), [
    (b"{not json", "application/sparql-results+json", "the answer is not JSON"),
    (b"<html><body>hello</body></html>", "text/html", "not a JSON object"),
])
def test_query_endpoint_that_is_not_json(body, content_type, phrase, canned, capsys):
    server = canned(body, content_type=content_type)
    code, _, err = cli(capsys, "sparql", str(ROOT / "queries" / "external-links.rq"),
                       "--endpoint", server.url + "/sparql")
    refused(code, err, phrase)


def test_query_endpoint_that_does_not_speak_http(raw, capsys):
    server = raw(b"\x00\x01 SSH-2.0-OpenSSH\r\n\x1b[2J")
    code, _, err = cli(capsys, "query", "external-links", "--endpoint", server.url)
    refused(code, err, f"cannot reach the endpoint {server.url}")


def test_query_parameters(built_dist, capsys):
    code, _, err = cli(capsys, "query", "programmes-by-target", "--param", "target=10.7",
                       "--param", "target=16.b", "--dist", str(built_dist))
    refused(code, err, "parameter target given more than once")
    code, _, err = cli(capsys, "query", "\x1b[2J", "--dist", str(built_dist))
    refused(code, err, "unknown query")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=40))
def test_any_parameter_value_is_bound_or_refused(value, built_dist, capsys):
    code, _, err = cli(capsys, "query", "programmes-by-target", "--param", f"target={value}",
                       "--dist", str(built_dist))
    assert code in (0, 2) and "Traceback" not in err and "internal error" not in err


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["head", "vars", "results", "bindings", "boolean", "type", "value",
                         "xml:lang", "datatype", "x", "uri", "literal"]), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(data=JSON)
def test_any_json_is_a_result_or_a_named_defect(data):
    try:
        assert isinstance(result_from_json(data), Result)
    except BadResults as err:
        assert str(err)


# publish: bad URLs, timeouts, servers that are not stores ----------------------------------

@pytest.mark.parametrize(("store", "phrase"), [
    ("http://127.0.0.1:99999", "not a valid store URL: http://127.0.0.1:99999 (Port out of range"),
    ("http://[::1", "not a valid store URL: http://[::1 (Invalid IPv6 URL)"),
    ("http://127.0.0.1:abc", "not a valid store URL"),
    ("http://127.0.0.1:0/store", "not a valid store URL"),
    (":abc", "not an http(s) URL"),
    ("http://127.0.0.1:7878/store?foo=bar", "has a query part publish does not understand"),
])
def test_publish_bad_store_urls(store, phrase, built_dist, capsys):
    code, _, err = cli(capsys, "publish", "--store", store, "--dist", str(built_dist))
    refused(code, err, phrase)


@pytest.mark.parametrize("store", ["http://127.0.0.1:8890/sparql",
                                   "http://127.0.0.1:8890/sparql-graph-crud-auth?default"])
def test_publish_default_graph_to_virtuoso_is_refused_before_sending(store, canned, built_dist,
                                                                      capsys):
    """Virtuoso has no separate default graph: publish says so instead of showing the HTML
    error page Virtuoso answers (the store below would accept anything, and gets nothing)."""
    virtuoso = canned(b"", 201)
    store = store.replace("http://127.0.0.1:8890", virtuoso.url)
    extra = [] if store.endswith("?default") else ["--graph", "default"]
    code, out, err = cli(capsys, "publish", "--store", store, *extra, "--user", "u",
                         "--password", "p", "--dist", str(built_dist))
    refused(code, err, "--graph default does not apply to Virtuoso: it has no separate "
                       "default graph")
    assert "leave --graph out" in err and out == "" and virtuoso.requests == []


@pytest.mark.parametrize("timeout", ["-1", "nan", "0", "inf", "1e300", "soon"])
def test_publish_bad_timeouts(timeout, built_dist, capsys):
    code, _, err = cli(capsys, "publish", "--store", "http://127.0.0.1:7878", "--timeout",
                       timeout, "--dist", str(built_dist))
    assert code == 2 and "--timeout" in err and "Traceback" not in err


def test_publish_to_a_web_site_is_not_reported_published(canned, built_dist, capsys):
    site = canned(b"<!DOCTYPE html><html><body>Welcome</body></html>", 200,
                  "text/html; charset=utf-8")
    code, out, err = cli(capsys, "publish", "--store", site.url + "/store", "--dist",
                         str(built_dist))
    refused(code, err, "answered HTTP 200 with a web page and does not give the graph back")
    assert "published" not in out
    assert [method for method, _ in site.requests] == ["PUT", "HEAD"]


def test_publish_to_a_store_answering_202_is_not_confirmed(canned, built_dist, capsys):
    store = canned(b"", 202, "text/plain")
    code, _, err = cli(capsys, "publish", "--store", store.url, "--dist", str(built_dist))
    refused(code, err, "not a Graph Store's confirmation (200, 201 or 204)")


def test_publish_to_a_server_that_does_not_speak_http(raw, built_dist, capsys):
    server = raw(b"\x00\x00\x00\x17 not http at all\n")
    code, _, err = cli(capsys, "publish", "--store", server.url, "--dist", str(built_dist))
    refused(code, err, "did not answer in HTTP")
    assert "cut off" not in err


def test_publish_honours_the_graph_in_the_store_url(canned, built_dist, capsys):
    store = canned(b"", 204)
    graph = "https://example.org/g"
    url = f"{store.url}/store?" + urllib.parse.urlencode({"graph": graph})
    code, out, _ = cli(capsys, "publish", "--store", url, "--dist", str(built_dist))
    assert code == 0 and f"graph <{graph}>" in out
    assert store.requests == [("PUT", "/store?" + urllib.parse.urlencode({"graph": graph}))]
    code, _, err = cli(capsys, "publish", "--store", url, "--graph", "https://example.org/h",
                       "--dist", str(built_dist))
    refused(code, err, "but --graph says https://example.org/h")
    code, _, err = cli(capsys, "publish", "--store", f"{store.url}/store?graph=foo",
                       "--dist", str(built_dist))
    refused(code, err, "--graph must be an absolute IRI, got 'foo'")


def test_publish_shows_a_stores_html_error_page_as_text(canned, built_dist, capsys):
    page = (b"<!DOCTYPE html><html><head><title>Error 500</title><style>p{x:y}</style>"
            b"</head><body><h1>Virtuoso 22023 Error</h1><p>SR601: bad\n graph</p>"
            b"<script>alert(1)</script></body></html>")
    store = canned(page, 500, "text/html; charset=utf-8")
    code, _, err = cli(capsys, "publish", "--store", store.url, "--dist", str(built_dist))
    refused(code, err, "HTTP 500 Internal Server Error: Error 500 Virtuoso 22023 Error "
                       "SR601: bad graph\n")
    assert "<h1>" not in err and "<p>" not in err and "alert" not in err


def test_publish_shows_a_hostile_error_body_escaped(canned, built_dist, capsys):
    store = canned(b"bad request \x1b]0;pwned\x07\x1b[2J", 400, "text/plain")
    code, _, err = cli(capsys, "publish", "--store", store.url, "--dist", str(built_dist))
    refused(code, err, "HTTP 400 Bad Request: bad request \\x1b]0;pwned\\x07\\x1b[2J")


# serve: argument checks (the server itself has its own tests) ------------------------------

@pytest.mark.parametrize(("args", "phrase"), [
    (["--port", "70000"], "must be between 0 and 65535"),
    (["--port", "-1"], "must be between 0 and 65535"),
    (["--timeout", "nan"], "must be positive and finite"),
    (["--timeout", "inf"], "must be positive and finite"),
    (["--workers", "0"], "must be positive"),
    (["--max-results", "-1"], "must be positive"),
])
def test_serve_bad_arguments(args, phrase, capsys):
    code, _, err = cli(capsys, "serve", *args)
    assert code == 2 and phrase in err and "Traceback" not in err


# sparql: files that are not UTF-8 queries, queries that would crash the engine --------------

@pytest.mark.parametrize(("content", "phrase"), [
    (b"SELECT * WHERE { ?s ?p \"caf\xe9\" }", ":1:28: not UTF-8 (byte 0xe9)"),
    (bytes(range(128, 256)), ":1:1: not UTF-8 (byte 0x80)"),
    (b"   \n", "the query is empty"),
    (("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000).encode(),
     ":1:216: the query nests brackets more than 200 deep"),
    (b"SELECT * WHERE { ?s ?p ?o", "SPARQL syntax error"),
    (b"CONSTRUCT WHERE { ?s ?p ?o }", "only SELECT and ASK"),
])
def test_sparql_bad_files(content, phrase, tmp_path, built_dist, capsys):
    query = tmp_path / "q.rq"
    query.write_bytes(content)
    code, _, err = cli(capsys, "sparql", str(query), "--dist", str(built_dist))
    refused(code, err, phrase)


def test_sparql_service_failure_while_iterating(tmp_path, built_dist, capsys):
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    query = tmp_path / "q.rq"
    query.write_text(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> "
                     "{ ?s ?p ?o } }")
    code, _, err = cli(capsys, "sparql", str(query), "--dist", str(built_dist))
    refused(code, err, "query failed: Connection refused")
    assert "unsendable" not in err


def test_sparql_file_with_a_byte_order_mark(tmp_path, built_dist, capsys):
    query = tmp_path / "q.rq"
    query.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }")
    assert cli(capsys, "sparql", str(query), "--dist", str(built_dist))[:2] == (0, "yes\n")


@pytest.mark.parametrize(("query", "code"), [
    ("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000, 2),  # was a segfault
    ("ASK { FILTER(" + "!" * 50_000 + "true) }", 0),  # no brackets; deep in the engine
])
def test_queries_that_overflowed_the_stack_do_not_crash(query, code, tmp_path, built_dist):
    path = tmp_path / "deep.rq"
    path.write_text(query)
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "sparql", str(path), "--dist",
                           str(built_dist)], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_query_file_runs_or_is_refused(content, tmp_path_factory, built_dist, capsys):
    path = tmp_path_factory.mktemp("q") / "q.rq"
    path.write_bytes(content)
    code, _, err = cli(capsys, "sparql", str(path), "--dist", str(built_dist))
    assert code in (0, 2) and "Traceback" not in err and "internal error" not in err


# validate, build, export, synth, queries -----------------------------------------------------

def test_validate_hostile_files(tmp_path, capsys):
    big = tmp_path / "big.ttl"
    big.write_text('@prefix : <http://e/> . :a :p "' + "x" * 17_000_000 + '" .')
    code, _, err = cli(capsys, "validate", str(big))
    refused(code, err, "big.ttl: a literal or IRI is too long to parse")
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(bytes(range(256)))
    refused(*cli(capsys, "validate", str(binary))[::2], "not UTF-8")
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    refused(*cli(capsys, "validate", str(empty_dir))[::2], "holds no .ttl, .trig or .nt file")


def test_validate_a_folder_checks_its_turtle_files(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "ok.ttl").write_text("@prefix : <http://e/> . :a :p :b .\n")
    (folder / "broken.ttl").write_text("@prefix : <http://e/> . :a :p \n")
    code, _, err = cli(capsys, "validate", str(folder))
    refused(code, err, "broken.ttl:2:1: syntax error")
    (folder / "broken.ttl").unlink()
    code, out, _ = cli(capsys, "validate", str(folder))
    assert code == 0 and "conforms" in out


@pytest.mark.parametrize("verb", ["build", "export"])
def test_build_and_export_hostile_arguments(verb, tmp_path, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("mine")
    refused(*cli(capsys, verb, "--out", str(afile))[::2], "is a file, not a folder")
    refused(*cli(capsys, verb, "--data", str(afile), "--out", str(tmp_path / "o"))[::2],
            "data folder not found")
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "x.ttl").write_bytes(b"\x1b[2J\xff\xfe")
    refused(*cli(capsys, verb, "--data", str(garbage), "--out", str(tmp_path / "o"))[::2],
            "not UTF-8")


def test_synth_hostile_arguments(tmp_path, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("mine")
    refused(*cli(capsys, "synth", "--programmes", "2", "--out", str(afile))[::2],
            "a file is in the way")
    refused(*cli(capsys, "synth", "--programmes", "-1", "--out", str(tmp_path / "s"))[::2],
            "need at least 1 programme")
    code, _, err = cli(capsys, "synth", "--programmes", "many", "--out", str(tmp_path))
    assert code == 2 and "invalid int value" in err


def test_queries_hostile_arguments(capsys):
    code, _, err = cli(capsys, "queries", "--bogus")
    assert code == 2 and "unrecognized arguments" in err


def driven_verbs(source: str) -> set[str]:
    """The verbs this file's tests run: the argument after ``capsys`` of each ``cli(capsys,
    VERB, ...)`` call, a string or the parametrized ``verb``, read from the parsed source
    (not from which tests happened to run before: the check holds alone, under ``-k`` and in
    any order)."""
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    parametrized = {verb for node in calls if len(node.args) == 2
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value == "verb"
                    for verb in ast.literal_eval(node.args[1])}
    verbs = set()
    for node in calls:
        if isinstance(node.func, ast.Name) and node.func.id == "cli" and len(node.args) > 1:
            verb = node.args[1]
            if isinstance(verb, ast.Constant):
                verbs.add(verb.value)
            elif isinstance(verb, ast.Name) and verb.id == "verb":
                verbs |= parametrized
    return verbs


def test_every_verb_is_driven_with_hostile_input():
    """A new verb needs cases above."""
    verbs = {name for name, _ in _verb_modules()}
    covered = driven_verbs(Path(__file__).read_text(encoding="utf-8"))
    assert verbs <= covered, f"verbs without hostile-input cases: {sorted(verbs - covered)}"
    assert covered <= verbs, f"cases for verbs that do not exist: {sorted(covered - verbs)}"
