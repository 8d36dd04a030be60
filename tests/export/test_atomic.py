"""dist/ is replaced whole or not at all, even when a build is killed."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mc2cm_graph.export.atomic import recover, staged_directory
from mc2cm_graph.export.outdir import write_marker
from mc2cm_graph.graph import paths

REPO = Path(__file__).resolve().parents[2]


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failure_inside_leaves_target_and_no_staging(tmp_path):
    target = tmp_path / "dist"
    target.mkdir()
    (target / "a.txt").write_text("old")
    with pytest.raises(RuntimeError), staged_directory(target) as stage:
        (stage / "a.txt").write_text("new, half")
        raise RuntimeError("boom")
    assert (target / "a.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_success_replaces_whole_folder(tmp_path):
    target = tmp_path / "dist"
    target.mkdir()
    (target / "stale.txt").write_text("old")
    with staged_directory(target) as stage:
        (stage / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_recover_restores_a_release_retired_by_a_killed_run(tmp_path):
    target = tmp_path / "dist"
    retired = tmp_path / f".dist.old-{dead_pid()}-abc_1234"
    retired.mkdir()
    (retired / "mc2cm.ttl").write_text("previous release")
    write_marker(retired)
    staging = tmp_path / f".dist.staging-{dead_pid()}-def_5678"
    staging.mkdir()
    (staging / "half.ttl").write_text("half")
    recover(target)
    assert (target / "mc2cm.ttl").read_text() == "previous release"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_recover_removes_a_retired_release_half_deleted_by_a_killed_run(tmp_path):
    """A run killed while deleting the release it replaced leaves a trash folder whose
    manifest may already be gone; the next run removes it, and nothing else."""
    target = tmp_path / "dist"
    target.mkdir()
    (target / "mc2cm.ttl").write_text("new release")
    write_marker(target)
    trash = tmp_path / f".dist.trash-{dead_pid()}-abc_1234"
    (trash / "id").mkdir(parents=True)
    (trash / "id" / "left.nt").write_text("what the deletion had not reached")
    mine = tmp_path / ".dist.trash-mine"
    mine.mkdir()
    recover(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.trash-mine", "dist"]
    assert (target / "mc2cm.ttl").read_text() == "new release"


def test_a_replaced_release_is_deleted_under_a_trash_name(tmp_path, monkeypatch):
    """The old release loses its files only after it is renamed to a trash name."""
    target = tmp_path / "dist"
    target.mkdir()
    write_marker(target)
    deleted = []
    monkeypatch.setattr(shutil, "rmtree", lambda path, **_: deleted.append(Path(path).name))
    with staged_directory(target) as staging:
        (staging / "mc2cm.ttl").write_text("new")
    assert len(deleted) == 1 and deleted[0].startswith(".dist.trash-")


def test_recover_leaves_a_users_look_alike_folders_alone(tmp_path):
    """Issue 21: recover() deleted .rel.staging-mine and put .rel.old-backup in place."""
    target = tmp_path / "rel"
    mine = [tmp_path / ".rel.staging-mine", tmp_path / ".rel.old-backup",
            tmp_path / f".rel.old-{dead_pid()}-notours1"]  # a run's name, no manifest
    for folder in mine:
        folder.mkdir()
        (folder / "notes.txt").write_text("mine")
    recover(target)
    assert not target.exists()
    assert all((folder / "notes.txt").read_text() == "mine" for folder in mine)


def test_recover_leaves_a_running_build_alone(tmp_path):
    target = tmp_path / "dist"
    target.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        staging = tmp_path / f".dist.staging-{sleeper.pid}-xyz_1234"
        staging.mkdir()
        recover(target)
        assert staging.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()


def build_command(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "mc2cm_graph", "build", "--data", str(data), "--out", str(out)]


def test_killed_build_leaves_a_whole_release(tmp_path):
    """Release A is built; builds of a different release B are killed at spread-out moments.
    After every kill dist/ must be exactly A or exactly B."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = tmp_path / "dist"
    data_b = tmp_path / "data-b"
    shutil.copytree(paths.DATA_DIR, data_b)
    # Programme 5: no other data file (mentions, organisations, places) refers to it.
    (data_b / "programmes" / "05-lebanon-local-governance.ttl").unlink()
    for other in data_b.rglob("*.ttl"):
        if "lebanon-local-governance" in other.read_text(encoding="utf-8"):
            pytest.fail(f"{other} still refers to the removed programme")

    subprocess.run(build_command(paths.DATA_DIR, out), check=True, env=env, cwd=tmp_path,
                   capture_output=True)
    release_a = digest(out)
    started = time.monotonic()
    subprocess.run(build_command(data_b, tmp_path / "dist-b"), check=True, env=env,
                   cwd=tmp_path, capture_output=True)
    duration = time.monotonic() - started
    release_b = digest(tmp_path / "dist-b")
    assert release_a != release_b

    seen = set()
    for fraction in (0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0):
        run = subprocess.Popen(build_command(data_b, out), env=env, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        run.send_signal(signal.SIGKILL)
        run.wait()
        recover(out.resolve())
        now = digest(out)
        assert now in (release_a, release_b), f"mixed release after a kill at {fraction:.0%}"
        seen.add("A" if now == release_a else "B")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.")]
    assert leftovers == []
    assert "A" in seen  # at least one kill landed before the swap
