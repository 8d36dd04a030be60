"""The built graph in a pyoxigraph store: what saved queries, ad-hoc SPARQL and the server read.

This module only opens a release; building one is build.py's (``ensure_built``)."""

from __future__ import annotations

from pathlib import Path

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError

RELEASE_FILE_NAME = "mc2cm.ttl"
EXTERNAL_FILE_NAME = "mc2cm-external.trig"  # export/external.py


def release_file(dist_dir: Path | str | None = None) -> Path:
    return Path(dist_dir or paths.DEFAULT_DIST_DIR) / RELEASE_FILE_NAME


def open_store(dist_dir: Path | str | None = None, *, with_external: bool = False):
    """An in-memory pyoxigraph Store holding ``dist_dir/mc2cm.ttl`` (default ``dist/``) in
    its default graph. It only opens: building a missing release is the caller's choice
    (build.ensure_built). ``with_external``: also ``mc2cm-external.trig``, the facts from
    outside the brochure, each source's facts in its own named graph (which a query reads
    with ``GRAPH ?source { ... }``) and what says where each graph comes from in the
    default graph."""
    import pyoxigraph as ox

    target = release_file(dist_dir)
    if not target.is_file():
        raise Mc2cmError("built graph not found", file=target,
                         hint="run `mc2cm-graph build` first (or pass --dist DIR)")
    store = ox.Store()
    _bulk_load(store, target, ox.RdfFormat.TURTLE, "the built graph")
    if with_external:
        load_external(store, target.parent / EXTERNAL_FILE_NAME)
    return store


def load_external(store, path: Path) -> None:
    """Add the outside facts (a TriG file, one named graph per source) to ``store``."""
    import pyoxigraph as ox

    if not path.is_file():
        raise Mc2cmError("the outside facts are not in the built release", file=path,
                         hint="build again with `mc2cm-graph build` (it writes "
                         f"{EXTERNAL_FILE_NAME} when data/external/ has them)")
    _bulk_load(store, path, ox.RdfFormat.TRIG, "the outside facts")


def _bulk_load(store, path: Path, fmt, what: str) -> None:
    """Load a file of the built release into ``store``; a parse error names file, line and
    column."""
    try:
        store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as err:
        raise Mc2cmError(f"cannot read {what}: {err.msg}", file=path, line=err.lineno,
                         column=err.offset, hint="rebuild it with `mc2cm-graph build`") from None
