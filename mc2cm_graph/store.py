"""TEMPORARY stand-in until the queries branch (which owns this module) is merged."""

from pathlib import Path

from mc2cm_graph.errors import Mc2cmError


def open_store(dist_dir):
    import pyoxigraph as ox

    path = Path(dist_dir) / "mc2cm.ttl"
    if not path.is_file():
        raise Mc2cmError("no built graph", file=path, hint="run `mc2cm-graph build` first")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
