"""`build --out` and `export --out` replace only what a build wrote; faults leave dist/ whole;
the release's permissions follow the umask."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mc2cm_graph.cli import main
from mc2cm_graph.export.outdir import MARKER
from mc2cm_graph.graph import paths

ROOT = Path(__file__).resolve().parents[2]


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def thesis(tmp_path) -> Path:
    folder = tmp_path / "v"
    (folder / "important").mkdir(parents=True)
    (folder / "important" / "thesis.txt").write_text("years of work")
    return folder


@pytest.mark.parametrize("verb", ["build", "export"])
def test_a_folder_of_other_files_is_refused_and_kept(verb, thesis, capsys):
    code, _, err = run(capsys, verb, "--out", str(thesis))
    assert code == 2
    assert "holds files a build did not write (important)" in err
    assert "--force" in err and "Traceback" not in err
    assert (thesis / "important" / "thesis.txt").read_text() == "years of work"
    assert sorted(p.name for p in thesis.parent.iterdir()) == ["v"]  # no staging left


def test_force_replaces_a_folder_of_other_files(thesis, capsys):
    code, _, _ = run(capsys, "build", "--out", str(thesis), "--force")
    assert code == 0
    assert not (thesis / "important").exists()
    assert (thesis / MARKER).is_file() and (thesis / "mc2cm.ttl").is_file()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_file_is_never_replaced(force, tmp_path, capsys):
    afile = tmp_path / "afile.txt"
    afile.write_text("mine")
    code, _, err = run(capsys, "build", "--out", str(afile), *force)
    assert code == 2 and "is a file, not a folder" in err
    assert afile.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile.txt"]
    code, _, err = run(capsys, "build", "--out", str(afile / "dist"), *force)
    assert code == 2 and "is a file, so no output folder can be made below it" in err


@pytest.mark.parametrize(("out", "phrase"), [
    (".", "is the current folder or holds it"),
    ("..", "is the current folder or holds it"),
    ("HOME", "is your home folder"),
    ("DATA", "is or holds the project folder"),
    ("DATA/dist", "is inside the project folder"),
    ("/", "is the file system's root"),
])
def test_folders_a_build_must_not_own_are_refused_even_with_force(
        out, phrase, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    work = home / "projects" / "work"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    out = out.replace("HOME", str(home)).replace("DATA", str(paths.DATA_DIR))
    before = digest(home)
    code, _, err = run(capsys, "build", "--out", out, "--force")
    assert code == 2 and phrase in err
    assert digest(home) == before
    assert not (paths.DATA_DIR / "dist").exists()


def test_earlier_releases_empty_and_missing_folders_are_replaced(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "missing", empty):
        assert run(capsys, "build", "--out", str(out))[0] == 0
        assert (out / MARKER).read_text().startswith("mc2cm-graph ")
    assert run(capsys, "export", "--out", str(empty))[0] == 0  # a release with its manifest
    listed = set((empty / MARKER).read_text().splitlines()[1:])
    assert {"mc2cm.ttl", "site", "validation-report.txt"} <= listed


@pytest.mark.parametrize("layout", ["manifest and a note", "release names and a note",
                                    "release names and a blog page", "an old manifest"])
def test_a_users_file_beside_a_release_is_never_deleted(layout, tmp_path, capsys):
    """Issue 21 item 8 / issue 30 item 3: only what a build's manifest lists is replaced."""
    out = tmp_path / "rel"
    assert run(capsys, "build", "--out", str(out))[0] == 0
    mine = {"manifest and a note": "notes.txt", "release names and a note": "notes.txt",
            "release names and a blog page": "site/my-blog.html",
            "an old manifest": None}[layout]
    if layout.startswith("release names"):  # a release from before the manifest
        (out / MARKER).unlink()
    if layout == "an old manifest":
        (out / MARKER).write_text("mc2cm-graph 0.9 release\n")
    else:
        (out / mine).write_text("mine")
    before = digest(out)
    code, _, err = run(capsys, "build", "--out", str(out))
    assert code == 2 and "holds files a build did not write" in err
    assert digest(out) == before
    if layout == "manifest and a note":
        assert "(notes.txt)" in err  # named: the one file the manifest does not list


@pytest.mark.parametrize("folder", ["ONTOLOGY_DIR", "SHAPES_DIR", "QUERIES_DIR", "QC_DIR",
                                    "VOCAB_DIR", "GEO_DIR"])
def test_project_input_folders_are_refused_even_with_force(folder, capsys):
    target = getattr(paths, folder)
    before = digest(target)
    code, _, err = run(capsys, "build", "--out", str(target), "--force")
    assert code == 2 and "is or holds the project folder" in err
    assert digest(target) == before


@pytest.mark.parametrize("verb", ["build", "export"])
def test_a_release_looking_folder_with_a_users_file_is_refused(verb, tmp_path, capsys):
    """An unmarked folder with a release's names is an earlier release only when it holds
    nothing else: a user's notes beside mc2cm.ttl and validation-report.txt are kept."""
    folder = tmp_path / "looks-like-a-release"
    folder.mkdir()
    for name in ("mc2cm.ttl", "validation-report.txt"):
        (folder / name).write_text("old")
    (folder / "notes.txt").write_text("my notes")
    before = digest(folder)
    code, _, err = run(capsys, verb, "--out", str(folder))
    assert code == 2, err
    assert "holds files a build did not write (mc2cm.ttl, notes.txt, validation-report.txt)" \
        in err
    assert digest(folder) == before


def test_full_disk_is_a_clear_error_and_keeps_dist(tmp_path, monkeypatch, capsys):
    out = tmp_path / "dist"
    assert run(capsys, "build", "--out", str(out))[0] == 0
    before = digest(out)
    real_write = Path.write_bytes

    def full(self, data):
        real_write(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: full(self, b"xx"))
    code, _, err = run(capsys, "build", "--out", str(out))
    assert code == 2 and "Traceback" not in err
    assert "No space left on device" in err and "the disk is full" in err
    assert f"{out.resolve()} was left as it was" in err
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_read_only_parent_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path))

    # root ignores permission bits, so the refusal the OS gives a user is simulated
    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    code, _, err = run(capsys, "build", "--out", str(tmp_path / "dist"))
    assert code == 2 and "Traceback" not in err
    assert "Permission denied" in err and "choose a folder you own" in err


def disk_usage_kb(folder: Path) -> int:
    return sum((p.stat().st_blocks * 512) for p in folder.rglob("*")) // 1024


def skip_outside_ci(reason: str) -> None:
    """A machine without the feature skips the test; in CI (CI set) it must run: fail."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, so the real disk-full test must run: {reason}")
    pytest.skip(reason)


def test_a_real_full_disk_keeps_the_previous_release(tmp_path, built_dist):
    """Two builds on a tmpfs one and a half releases big (in a private mount namespace):
    the second runs out of space half-way through staging; the first release stays whole."""
    if shutil.which("unshare") is None:
        skip_outside_ci("needs util-linux unshare")
    size_kb = disk_usage_kb(built_dist) * 3 // 2
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"""
mount -t tmpfs -o size={size_kb}k tmpfs {disk} || exit 77
set -e
{sys.executable} -m mc2cm_graph build --out {disk}/dist >/dev/null
find {disk}/dist -type f | sort | xargs sha256sum > {tmp_path}/before
set +e
{sys.executable} -m mc2cm_graph build --out {disk}/dist >/dev/null 2>{tmp_path}/err
echo $? > {tmp_path}/code
find {disk}/dist -type f | sort | xargs sha256sum > {tmp_path}/after
ls -A {disk} > {tmp_path}/listing
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    if done.returncode == 77 or "unshare:" in done.stderr:
        skip_outside_ci(f"cannot mount a private tmpfs here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    err = (tmp_path / "err").read_text()
    assert (tmp_path / "code").read_text().strip() == "2", err
    assert "No space left on device" in err and "Traceback" not in err
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert (tmp_path / "listing").read_text().split() == ["dist"]


def test_release_permissions_follow_the_umask(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        assert run(capsys, "build", "--out", str(tmp_path / "dist"))[0] == 0
    finally:
        os.umask(old)
    dist = tmp_path / "dist"
    modes = {stat.S_IMODE(p.stat().st_mode) for p in [dist, *dist.rglob("*")] if p.is_dir()}
    assert modes == {0o755}
    assert {stat.S_IMODE(p.stat().st_mode) for p in dist.rglob("*") if p.is_file()} == {0o644}
    assert stat.S_IMODE((dist / "site").stat().st_mode) == 0o755
