"""What reaches a terminal cannot drive it; what goes to a file or pipe stays exact."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from mc2cm_graph.cli._terminal import escape_controls
from tests.cli.conftest import cli

ROOT = Path(__file__).resolve().parents[2]
# ESC sequences that set the title and clear the screen, a C1 CSI, DEL (the table and CSV
# writers put carriage returns and newlines of values on one line, so none here).
HOSTILE = "a\x1b]0;pwned\x07b\x1b[2J\x9b31m\x7f"
SHOWN = "a\\x1b]0;pwned\\x07b\\x1b[2J\\x9b31m\\x7f"
ARABIC = "تعزيز الإدماج\u200f"  # with a right-to-left mark, a format character we keep
# The value built by the query itself: SPARQL decodes \u escapes in strings.
QUERY = ('SELECT ?v ?ar WHERE { BIND("a\\u001B]0;pwned\\u0007b\\u001B[2J\\u009B31m'
         '\\u007F" AS ?v) BIND("' + ARABIC + '" AS ?ar) }')


def test_escape_controls_shows_controls_and_keeps_text():
    assert escape_controls(HOSTILE) == SHOWN
    assert escape_controls("over\rwrite") == "over\\x0dwrite"
    assert escape_controls(ARABIC + "\n\tok ✓ 中文") == ARABIC + "\n\tok ✓ 中文"
    assert escape_controls("\ud800") == "\\ud800"


@pytest.fixture
def query_file(tmp_path) -> Path:
    path = tmp_path / "hostile.rq"
    path.write_text(QUERY, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_to_a_terminal_every_format_is_escaped(fmt, query_file, built_dist, capsys,
                                               monkeypatch):
    import sys as system

    monkeypatch.setattr(system.stdout, "isatty", lambda: True)
    code, out, _ = cli(capsys, "sparql", str(query_file), "--dist", str(built_dist),
                       "--format", fmt)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\x7f" not in out
    # JSON writes C0 controls as \u001b itself; the rest are shown as \x escapes
    assert ("\\u001b]0;pwned" if fmt == "json" else "\\x1b]0;pwned") in out
    assert ARABIC in out


@pytest.mark.parametrize(("fmt", "separator"), [("csv", ","), ("tsv", "\t")])
def test_to_a_pipe_delimited_output_is_exact(fmt, separator, query_file, built_dist, capsys):
    code, out, _ = cli(capsys, "sparql", str(query_file), "--dist", str(built_dist),
                       "--format", fmt)
    assert code == 0
    assert out == f"v{separator}ar\n{HOSTILE}{separator}{ARABIC}\n"


def test_to_a_pipe_json_is_exact(query_file, built_dist, capsys):
    code, out, _ = cli(capsys, "sparql", str(query_file), "--dist", str(built_dist),
                       "--format", "json")
    assert code == 0
    row = json.loads(out)["results"]["bindings"][0]
    assert row["v"]["value"] == HOSTILE and row["ar"]["value"] == ARABIC


def test_remote_values_to_a_terminal_are_escaped(canned, capsys, monkeypatch):
    body = {"head": {"vars": ["v"]},
            "results": {"bindings": [{"v": {"type": "literal", "value": HOSTILE}}]}}
    server = canned(json.dumps(body).encode())
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = cli(capsys, "query", "external-links", "--endpoint", server.url)
    assert code == 0 and "\x1b" not in out and "\\x1b]0;pwned" in out


def run_in_pty(*args: str) -> tuple[int, bytes]:
    """Run ``mc2cm-graph ARGS`` with stdout and stderr on a pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen([sys.executable, "-m", "mc2cm_graph", *args], cwd=ROOT, env=env,
                             stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return child.wait(60), output


def test_a_real_terminal_gets_no_control_characters(query_file, built_dist):
    code, output = run_in_pty("sparql", str(query_file), "--dist", str(built_dist))
    assert code == 0
    assert b"\x1b" not in output and b"\x07" not in output
    assert b"\\x1b]0;pwned" in output and ARABIC.encode() in output
    code, output = run_in_pty("query", "\x1b]0;pwned\x07")
    assert code == 2 and b"\x1b" not in output and b"unknown query" in output


def test_a_pipe_gets_the_exact_bytes(query_file, built_dist):
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "sparql", str(query_file),
                           "--dist", str(built_dist), "--format", "csv"], cwd=ROOT,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0
    assert done.stdout == f"v,ar\n{HOSTILE},{ARABIC}\n".encode()
