"""Which folders a build may replace: only what a build wrote, never a user's files.

A build replaces its output folder whole. It may do so when the folder is missing, empty,
or an earlier release: one holding the marker file every build writes (or, for releases
made before the marker existed, nothing but the names a release has). Anything else is
refused with what to do; ``force`` overrides that for a folder of other files, never for a
file, a folder a build must not own (the file system root, the home folder, the current
folder or one holding it) or the data being built.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mc2cm_graph import __version__
from mc2cm_graph.graph.errors import Mc2cmError

MARKER = ".mc2cm-release"
# What a release held before builds wrote MARKER: such a folder is recognised as one.
_LEGACY_NAMES = frozenset({
    "catalog.jsonld", "catalog.ttl", "context.jsonld", "id", "mc2cm-external.trig",
    "mc2cm.jsonld", "mc2cm.nt", "mc2cm.ttl", "ontology.jsonld", "ontology.nt", "ontology.ttl",
    "site", "validation-report.txt", "w3id"})
_HINT = "give a new or empty folder, e.g. --out dist"


def write_marker(folder: Path) -> None:
    (Path(folder) / MARKER).write_text(f"mc2cm-graph {__version__} release\n", encoding="utf-8")


def is_release(folder: Path) -> bool:
    names = {p.name for p in Path(folder).iterdir()}
    if MARKER in names:
        return True
    return {"mc2cm.ttl", "validation-report.txt"} <= names <= _LEGACY_NAMES


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
            return f"is or holds the data folder {kept}"
        if _contains(kept, target):
            return f"is inside the data folder {kept} (the next build would read it as data)"
    return None


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
    foreign = sorted(p.name for p in target.iterdir())
    shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
    raise Mc2cmError(f"holds files a build did not write ({shown}): a build replaces its "
                     "output folder whole and would delete them", file=target,
                     hint=f"{_HINT}; move those files away; or pass --force to replace the "
                          "folder and everything in it")

