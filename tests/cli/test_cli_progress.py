"""What `build` prints: bars on a terminal, then a short summary; the summary alone when
output is not a terminal; every file with --verbose; nothing with --quiet."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ("Turtle", "N-Triples", "JSON-LD", "site", "catalogue")


def build_cli(out: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mc2cm_graph", "build", "--out", str(out),
                           *flags], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_off_a_terminal_only_the_summary(tmp_path):
    done = build_cli(tmp_path / "dist")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) <= 12 and "\x1b" not in done.stdout  # no bars, no escape codes
    for name in ARTEFACTS:
        assert any(line.startswith(name) for line in lines), name
    report = next(i for i, line in enumerate(lines) if line.startswith("report:"))
    rows = lines[1:report]  # the table, under its header
    counted = sum(int(line.rsplit(None, 3)[-3].replace(",", "")) for line in rows)
    files = [p for p in (tmp_path / "dist").rglob("*") if p.is_file()]
    # every file written but the release marker, counted once: the report + the table
    assert lines[-1].startswith(f"wrote {len(files) - 1:,} files") and counted + 1 == len(files) - 1
    assert f"report: {tmp_path / 'dist' / 'validation-report.txt'}" in done.stdout
    assert lines[-1].startswith("wrote ") and lines[-1].endswith(" s")


def test_the_summary_says_what_the_caps_left_out(tmp_path):
    """Past --site-max and --ld-max programmes (the seed has 15), the summary says what the
    site and the static linked data left out; the files say the same."""
    done = build_cli(tmp_path / "dist", "--site-max", "14", "--ld-max", "14")
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stdout.splitlines() if line.startswith("left out: ")]
    assert [note.split(":")[1].strip() for note in notes] == ["site", "linked data (static)"]
    assert "15 programmes > --ld-max" in notes[1]
    assert not (tmp_path / "dist" / "id" / "programme").exists()
    assert (tmp_path / "dist" / "id" / "theme").is_dir()
    assert not (tmp_path / "dist" / "site" / "en" / "programme").exists()


def test_verbose_lists_every_file(tmp_path):
    done = build_cli(tmp_path / "dist", "--verbose")
    assert done.returncode == 0, done.stderr
    listed = {line.strip() for line in done.stdout.splitlines() if line.startswith("  /")}
    written = {str(p) for p in (tmp_path / "dist").rglob("*")
               if p.is_file() and p.name != ".mc2cm-release"}
    assert listed == written and len(listed) > 100


def test_quiet_prints_nothing_but_errors(tmp_path):
    done = build_cli(tmp_path / "dist", "--quiet")
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
    broken = build_cli(tmp_path / "other", "--quiet", "--data", str(tmp_path / "missing"))
    assert broken.returncode != 0 and broken.stdout == ""
    assert "data folder not found" in broken.stderr


def test_on_a_terminal_a_bar_per_stage_then_the_summary(tmp_path, monkeypatch):
    from rich.console import Console

    from mc2cm_graph.cli import _progress, build_parser

    screen = io.StringIO()
    monkeypatch.setattr(_progress, "console", lambda stream=None: Console(
        file=screen, force_terminal=True, width=120))
    args = build_parser().parse_args(["build", "--out", str(tmp_path / "dist")])
    assert args.run(args) == 0
    shown = screen.getvalue()
    for stage in ("load", "validate", *ARTEFACTS):
        assert stage in shown, stage
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    site = [line for line in plain.splitlines() if line.startswith("site ")]
    total = int(site[-1].split()[1])  # the summary's row: the files the site wrote
    assert any(f" {total}/{total} " in line for line in site[:-1])  # its bar counted them
    assert "report:" in shown and "wrote " in shown


@pytest.mark.parametrize("flag", ["--verbose", "--quiet"])
def test_export_takes_the_same_output_flags(tmp_path, flag):
    done = subprocess.run([sys.executable, "-m", "mc2cm_graph", "export", "--out",
                           str(tmp_path / "dist"), flag], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (done.stdout == "") == (flag == "--quiet")


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_is_a_whole_number_from_one(tmp_path, jobs):
    done = build_cli(tmp_path / "dist", "--jobs", jobs)
    assert done.returncode == 2
    assert f"expected a whole number from 1 up, not {jobs!r}" in done.stderr
    assert not (tmp_path / "dist").exists()
