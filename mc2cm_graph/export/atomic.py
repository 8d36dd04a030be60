"""Write an output folder all at once: a failed or killed run leaves a whole release behind.

The new release is written into a staging folder beside the target, then swapped in with two
renames on the same file system (target → retired, staging → target). A run killed at any
moment leaves either the previous release or the new one in place, except for the instant
between the two renames; the next run then finds no target but a retired folder and puts it
back first. The retired folder is renamed to a trash name before it is deleted, so a run
killed while deleting it leaves a folder the next run knows to remove (a half-deleted
release has lost its manifest and could no longer be told from a user's folder). Staging
and trash folders of runs that died are removed by the next run.

The staging folder gets the permissions the umask gives a new folder (tempfile makes it
0700, which would hide the release from a web server running as another user).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path, kind: str) -> list[tuple[Path, int]]:
    """(folder, pid) of each folder a run named ``.TARGET.KIND-PID-XXXXXXXX`` (what
    tempfile.mkdtemp makes below); a user's ``.TARGET.staging-mine`` is no leftover."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.{kind}-(\d+)-[a-z0-9_]{{8}}")
    found = []
    for folder in sorted(target.parent.glob(f".{target.name}.{kind}-*")):
        match = pattern.fullmatch(folder.name)
        if match and folder.is_dir() and not folder.is_symlink():
            found.append((folder, int(match.group(1))))
    return found


def recover(target: Path) -> None:
    """Undo what a killed run left: put back a retired release (one with a build's
    manifest) or remove it once its successor is in place, remove the staging folders of
    runs that died; nothing else."""
    from mc2cm_graph.export.outdir import MARKER

    for kind in ("staging", "trash", "old"):
        for folder, pid in _leftovers(target, kind):
            if pid != os.getpid() and _pid_is_alive(pid):
                continue  # another build is running right now
            if kind in ("staging", "trash"):
                shutil.rmtree(folder, ignore_errors=True)
            elif not (folder / MARKER).is_file():
                continue  # not a release (a --force run retired a folder of other files)
            elif not target.exists():
                folder.rename(target)
            else:
                shutil.rmtree(folder, ignore_errors=True)  # the run swapped, then died


def process_umask() -> int:
    """The process's umask, read without changing it where Linux shows it."""
    with contextlib.suppress(OSError, ValueError), \
            open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged_directory(target: Path,
                     guard: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target``.

    On any exception the staging folder is removed and ``target`` is untouched. ``guard``
    (called with the resolved target before staging and again just before the swap) raises
    if ``target`` may not be replaced.
    """
    target = Path(target).resolve()
    if guard:
        guard(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-",
                                    dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~process_umask())
        yield staging
        if guard:
            guard(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-",
                                        dir=target.parent))
        retired.rmdir()
        target.rename(retired)
    staging.rename(target)
    if retired is not None:
        trash = retired.with_name(retired.name.replace(".old-", ".trash-", 1))
        retired.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
