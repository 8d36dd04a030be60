"""The `queries`, `query` and `sparql` verbs: output formats, errors and exit codes."""

import csv
import io
import json

import pytest

from mc2cm_graph.cli import main
from mc2cm_graph.query.engine import Result
from mc2cm_graph.query.format import as_table, display_width, format_result
from mc2cm_graph.query.saved import load_catalogue
from tests.query.conftest import iri

TANGIER_AND_CO = [iri(p) for p in (1, 9, 10, 11, 12, 14)]  # the brochure's ١٠.٧ programmes


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_queries_lists_names_summaries_and_parameters(capsys):
    code, out, _ = cli(capsys, "queries")
    assert code == 0
    for query in load_catalogue().values():
        assert query.name in out and query.summary in out
    assert "programmes-by-target  (target, lang?)" in out


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_output_has_a_header_and_one_line_per_result(capsys, dist_dir, fmt):
    code, out, _ = cli(capsys, "query", "programmes-by-target", "--param", "target=10.7",
                       "--format", fmt, "--dist", str(dist_dir))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1 + 6
    rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0] == ["position", "programme", "title", "subtitle", "places", "note"]
    assert [r[1] for r in rows[1:]] == TANGIER_AND_CO  # full IRIs, not CURIEs


def test_json_output_is_sparql_results_json(capsys, dist_dir):
    code, out, _ = cli(capsys, "query", "programmes-by-target", "-p", "target=١٠.٧",
                       "--format", "json", "--lang", "ar", "--dist", str(dist_dir))
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:2] == ["position", "programme"]
    bindings = data["results"]["bindings"]
    assert [b["programme"]["value"] for b in bindings] == TANGIER_AND_CO
    assert bindings[0]["subtitle"]["xml:lang"] == "ar"
    assert bindings[0]["position"]["datatype"].endswith("#integer")


def test_markdown_and_table_output(capsys, dist_dir):
    code, out, _ = cli(capsys, "query", "programmes-by-place", "-p", "place=Nador",
                       "-f", "md", "--dist", str(dist_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "| position | programme | title | places |"
    assert len(lines) == 2 + 2 and all(line.startswith("|") for line in lines)
    code, out, _ = cli(capsys, "query", "programmes-by-place", "-p", "place=الناظور",
                       "--lang", "ar", "--dist", str(dist_dir))
    assert code == 0
    assert "programme:nador-social-sustainable" in out and "الناظور" in out
    assert out.rstrip().endswith("(2 rows)")


def test_table_columns_line_up_with_arabic_marks():
    import pyoxigraph as ox

    result = Result(["name", "code"], [
        {"name": ox.Literal("الرّباط"), "code": ox.Literal("a")},      # a shadda: no column
        {"name": ox.Literal("Rabat"), "code": ox.Literal("b")},
        {"name": ox.Literal("التنظيم المُدُني"), "code": ox.Literal("c")},
    ])
    lines = as_table(result).splitlines()
    starts = {display_width(line[:line.rindex(code)]) for line, code in zip(lines[2:5], "abc",
                                                                          strict=True)}
    assert len(starts) == 1
    assert display_width("الرّباط") == 6


def test_table_cuts_long_cells_but_other_formats_do_not(dist_dir):
    from mc2cm_graph.query.run import run_query

    result = run_query("programme-profile", {"programme": "1"}, dist_dir=dist_dir)
    table = format_result(result, "table", max_width=30)
    assert "…" in table and all(display_width(line) < 120 for line in table.splitlines())
    assert "…" not in format_result(result, "table", max_width=0)
    assert "…" not in format_result(result, "csv")


@pytest.mark.parametrize("value", ['10.7" } ; DROP ALL ; #', "10.7\n}", "x" * 5000])
def test_injection_gives_a_clear_error_and_nonzero_exit(capsys, dist_dir, value):
    code, out, err = cli(capsys, "query", "programmes-by-target", "--param", f"target={value}",
                         "--dist", str(dist_dir))
    assert code == 2 and out == ""
    assert err.startswith("error: invalid value for parameter target")
    assert "Traceback" not in err


def test_unknown_query_and_parameter(capsys, dist_dir):
    code, _, err = cli(capsys, "query", "nope", "--dist", str(dist_dir))
    assert code == 2 and "unknown query 'nope'" in err and "programmes-by-goal" in err
    code, _, err = cli(capsys, "query", "programmes-by-goal", "-p", "gaol=5", "--dist",
                       str(dist_dir))
    assert code == 2 and "unknown parameter 'gaol'" in err and "goal" in err


def test_sparql_from_file_and_stdin(capsys, dist_dir, tmp_path, monkeypatch):
    query = tmp_path / "count.rq"
    query.write_text("PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>\n"
                     "SELECT (COUNT(?p) AS ?n) WHERE { ?p a mc2cm:Programme }\n")
    code, out, _ = cli(capsys, "sparql", str(query), "-f", "csv", "--dist", str(dist_dir))
    assert (code, out) == (0, "n\n15\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("ASK { ?s ?p ?o }"))
    code, out, _ = cli(capsys, "sparql", "-", "--dist", str(dist_dir))
    assert (code, out.strip()) == (0, "yes")


def test_sparql_errors(capsys, dist_dir, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?y \n")
    code, _, err = cli(capsys, "sparql", str(bad), "--dist", str(dist_dir))
    assert code == 2 and str(bad) in err and "SPARQL syntax error" in err
    code, _, err = cli(capsys, "sparql", str(tmp_path / "missing.rq"))
    assert code == 2 and "not found" in err
    construct = tmp_path / "c.rq"
    construct.write_text("CONSTRUCT WHERE { ?s ?p ?o }")
    code, _, err = cli(capsys, "sparql", str(construct), "--dist", str(dist_dir))
    assert code == 2 and "only SELECT and ASK" in err


def test_missing_dist_is_built_first(capsys, tmp_path):
    target = tmp_path / "fresh"
    code, out, err = cli(capsys, "query", "goal-coverage", "-f", "csv", "--dist", str(target))
    assert code == 0 and (target / "mc2cm.ttl").is_file()
    assert "building it" in err
    assert out.splitlines()[1].startswith("11,")


def test_stale_dist_is_reported(tmp_path, monkeypatch):
    import os

    from mc2cm_graph import build as store

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "mc2cm.ttl").write_text("")
    os.utime(dist / "mc2cm.ttl", (0, 0))  # built in 1970: every source is newer
    monkeypatch.setattr(store.paths, "DEFAULT_DIST_DIR", dist)
    notes = []
    assert store.ensure_built(None, notes.append) == dist / "mc2cm.ttl"
    assert notes and "is older than" in notes[0]
    notes.clear()
    store.ensure_built(dist, notes.append)  # an explicit --dist is the user's business
    assert notes == []


def test_xlsx_bom_and_the_cut_cells_note(dist_dir, tmp_path):
    """--format xlsx opens in openpyxl with the rows and numbers; --bom starts the CSV with
    a byte-order mark; a table says how many cells it cut."""
    import subprocess
    import sys

    import openpyxl

    def run(*args) -> bytes:
        return subprocess.run([sys.executable, "-m", "mc2cm_graph", "query", "programmes",
                               "--dist", str(dist_dir), *args], capture_output=True,
                              check=True).stdout

    (tmp_path / "p.xlsx").write_bytes(run("--format", "xlsx", "--lang", "ar"))
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    rows = list(sheet.values)
    assert rows[0][:3] == ("position", "programme", "title") and len(rows) == 16
    assert rows[1][0] == 1 and rows[1][2] == "ACMALS" and rows[10][3] == "الزرقاء"
    csv = run("--format", "csv", "--bom", "--lang", "ar")
    assert csv.startswith(b"\xef\xbb\xbfposition,") and "الزرقاء".encode() in csv
    assert not run("--format", "csv").startswith(b"\xef\xbb\xbf")
    table = run("--width", "20").decode()
    assert table.rstrip().endswith(
        "cells cut to 20 columns, marked … (--width 0 shows them whole))")
    assert "cut" not in run("--width", "0").decode().splitlines()[-1]


def test_sparql_with_external_reads_the_outside_graphs(dist_dir):
    """`sparql --with-external`: the outside facts in their named graphs, with the graphs'
    sources in the default graph; without it, none of them."""
    import subprocess
    import sys

    query = ("PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#> "
             "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p mc2cm:implementedBy ?o } }")

    def count(*extra) -> int:
        out = subprocess.run([sys.executable, "-m", "mc2cm_graph", "sparql", "-", "--dist",
                              str(dist_dir), "--format", "csv", *extra], input=query.encode(),
                             capture_output=True, check=True).stdout.decode()
        return int(out.splitlines()[1])

    assert count() == 0
    assert count("--with-external") == 8   # 4: 2, 5: 1, 7: 2, 9: 1, 15: 2
