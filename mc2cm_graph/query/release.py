"""The built graph in a pyoxigraph store: what saved queries, ad-hoc SPARQL and the server read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError

RELEASE_FILE_NAME = "mc2cm.ttl"
EXTERNAL_FILE_NAME = "mc2cm-external.trig"  # export/external.py


def release_file(dist_dir: Path | str | None = None) -> Path:
    return Path(dist_dir or paths.DEFAULT_DIST_DIR) / RELEASE_FILE_NAME


def newer_source(target: Path) -> Path | None:
    """A project source file changed after ``target`` was built, if any."""
    built = target.stat().st_mtime
    sources = [paths.ONTOLOGY_FILE, *paths.data_files(), *paths.vocabulary_files()]
    return next((p for p in sources if p.is_file() and p.stat().st_mtime > built), None)


def ensure_built(dist_dir: Path | str | None = None,
                 notify: Callable[[str], None] | None = None) -> Path:
    """The release Turtle file of ``dist_dir``, building it from the project first if it is
    missing (the build validates, so a query never runs over data that fails the shapes).
    Says so (through ``notify``) when the default dist/ is older than the project's sources."""
    target = release_file(dist_dir)
    if not target.is_file():
        if notify:
            notify(f"{target} not found: building it from the project first")
        from mc2cm_graph.build import build

        build(None, target.parent)
    elif notify and dist_dir is None:
        changed = newer_source(target)
        if changed is not None:
            notify(f"{target} is older than {changed}: run `mc2cm-graph build` "
                   "to query the current data")
    return target


def open_store(dist_dir: Path | str | None = None, *, build_if_missing: bool = True,
               notify: Callable[[str], None] | None = None, with_external: bool = False):
    """An in-memory pyoxigraph Store holding ``dist_dir/mc2cm.ttl`` (default ``dist/``) in
    its default graph. ``with_external``: also ``mc2cm-external.trig``, the facts from
    outside the brochure, each source's facts in its own named graph (which a query reads
    with ``GRAPH ?source { ... }``) and what says where each graph comes from in the
    default graph."""
    import pyoxigraph as ox

    target = ensure_built(dist_dir, notify) if build_if_missing else release_file(dist_dir)
    if not target.is_file():
        raise Mc2cmError("built graph not found", file=target,
                         hint="run `mc2cm-graph build` first (or pass --dist DIR)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(target), format=ox.RdfFormat.TURTLE,
                        base_iri=target.resolve().as_uri())
    except SyntaxError as err:
        raise Mc2cmError(f"cannot read the built graph: {err.msg}", file=target,
                         line=err.lineno, column=err.offset,
                         hint="rebuild it with `mc2cm-graph build`") from None
    if with_external:
        _load_external(store, target.parent / EXTERNAL_FILE_NAME)
    return store


def _load_external(store, path: Path) -> None:
    import pyoxigraph as ox

    if not path.is_file():
        raise Mc2cmError("the outside facts are not in the built release", file=path,
                         hint="build again with `mc2cm-graph build` (it writes "
                         f"{EXTERNAL_FILE_NAME} when data/external/ has them)")
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG,
                        base_iri=path.resolve().as_uri())
    except SyntaxError as err:
        raise Mc2cmError(f"cannot read the outside facts: {err.msg}", file=path,
                         line=err.lineno, column=err.offset,
                         hint="rebuild it with `mc2cm-graph build`") from None
