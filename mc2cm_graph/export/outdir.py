"""Which folders a build may replace: only what a build wrote, never a user's files.

A build replaces its output folder whole. It may do so when the folder is missing, empty,
or an earlier release: one holding the manifest every build writes (MARKER: a first line,
then every file and folder the build wrote) and nothing the manifest does not list. A
user's file added to a release, or a folder without a manifest (whatever names it holds),
is refused with what to do; ``force`` overrides that for a folder of other files, never
for a file, a folder a build must not own (the file system root, the home folder, the
current folder or one holding it) or a project folder a build reads (``keep``: the data,
ontology, shapes, queries, qc, vocab and geo folders).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mc2cm_graph import __version__
from mc2cm_graph.graph.errors import Mc2cmError

MARKER = ".mc2cm-release"
_HEADER = "mc2cm-graph "
_HINT = "give a new or empty folder, e.g. --out dist"


def write_marker(folder: Path) -> None:
    """The manifest: what ``folder`` holds now (all of it written by the build)."""
    folder = Path(folder)
    listed = "".join(f"{name}\n" for name in sorted(_contents(folder)))
    (folder / MARKER).write_text(f"{_HEADER}{__version__} release\n{listed}",
                                 encoding="utf-8")


def _contents(folder: Path) -> set[str]:
    """Every file and folder below ``folder`` (relative, with /), the manifest aside; by
    os.walk (symbolic links to folders listed, not followed, as Path.rglob does), a
    quarter of rglob's cost on a release's thousands of files."""
    found = set()
    for parent, folders, files in os.walk(folder):
        below = os.path.relpath(parent, folder).replace(os.sep, "/")
        prefix = "" if below == "." else below + "/"
        found.update(prefix + name for name in folders)
        found.update(prefix + name for name in files)
    return found - {MARKER}


def is_release(folder: Path) -> bool:
    """Whether ``folder`` holds a build's manifest and nothing the manifest does not list."""
    folder = Path(folder)
    try:
        lines = (folder / MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    if not lines or not lines[0].startswith(_HEADER):
        return False
    return _contents(folder) <= set(lines[1:])


def _contains(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def _never_replaced(target: Path, keep: Iterable[Path]) -> str | None:
    """Why ``target`` may never be replaced, even with --force, or None."""
    fixed = {Path(target.anchor): "the file system's root", Path.home(): "your home folder"}
    for folder, what in fixed.items():
        if target == folder.resolve():
            return f"is {what}"
    if _contains(target, Path.cwd().resolve()):
        return "is the current folder or holds it"
    for kept in keep:
        kept = Path(kept).resolve()
        if _contains(target, kept):
            return f"is or holds the project folder {kept} (a build reads it)"
        if _contains(kept, target):
            return (f"is inside the project folder {kept} (the next build would read it as "
                    "input)")
    return None


def _unlisted(folder: Path) -> list[str]:
    """What ``folder`` holds that no manifest there lists (all of it, without one)."""
    try:
        listed = set((folder / MARKER).read_text(encoding="utf-8").splitlines()[1:])
    except (OSError, UnicodeDecodeError):
        listed = set()
    unlisted = _contents(folder) - listed
    return sorted(name for name in unlisted if name.rpartition("/")[0] not in unlisted)


def check_replaceable(target: Path, *, force: bool = False, keep: Iterable[Path] = ()) -> None:
    """Raise Mc2cmError unless a build may replace ``target`` (see the module docstring);
    ``keep``: folders a build reads (its data) that it must neither replace nor write into."""
    target = Path(target).resolve()
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise Mc2cmError(f"{parent} is a file, so no output folder can be made below it",
                             file=target, hint=_HINT)
    if target.exists() and not target.is_dir():
        raise Mc2cmError("is a file, not a folder: a build writes a folder and would replace "
                         "the file", file=target, hint=_HINT + " (--force never replaces a file)")
    reason = _never_replaced(target, keep)
    if reason:
        raise Mc2cmError(f"{reason}: a build replaces its output folder whole", file=target,
                         hint=_HINT)
    if not target.exists() or force or not any(target.iterdir()) or is_release(target):
        return
    foreign = _unlisted(target)
    shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
    raise Mc2cmError(f"holds files a build did not write ({shown}): a build replaces its "
                     "output folder whole and would delete them", file=target,
                     hint=f"{_HINT}; move those files away; or pass --force to replace the "
                          "folder and everything in it (a release made before builds wrote "
                          f"{MARKER} needs --force once)")

