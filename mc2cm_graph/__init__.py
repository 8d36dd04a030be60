"""mc2cm-graph: the knowledge graph of MC2CM's Targeted City Actions.

The public API (``__all__``) is re-exported here lazily, so ``import mc2cm_graph`` stays
cheap for the CLI's ``--help`` and small commands::

    import mc2cm_graph as mc
    release = mc.load()                              # the release, ready to query
    release.query("programmes-by-target", target="10.7").to_pandas()
    mc.connect("http://127.0.0.1:7878/query").query("programmes")   # the same, remotely

See :mod:`mc2cm_graph.api` for the calls and :mod:`mc2cm_graph.graph.errors` for the
error tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "load", "connect", "saved_queries", "build",
    "Release", "Endpoint", "Table", "SavedQueryInfo",
    "Mc2cmError", "DataError", "ValidationError", "QueryError", "ParameterError",
    "EndpointError", "OutputError",
    "load_graph", "load_project_graph",
]

_LAZY = {
    **dict.fromkeys(("load", "connect", "saved_queries", "Release", "Endpoint", "Table",
                     "SavedQueryInfo"), "mc2cm_graph.api"),
    **dict.fromkeys(("Mc2cmError", "DataError", "ValidationError", "QueryError",
                     "ParameterError", "EndpointError", "OutputError"),
                    "mc2cm_graph.graph.errors"),
    "build": "mc2cm_graph.build",
    "load_graph": "mc2cm_graph.graph.load",
    "load_project_graph": "mc2cm_graph.graph.load",
}

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports
    from mc2cm_graph.api import (
        Endpoint,
        Release,
        SavedQueryInfo,
        Table,
        connect,
        load,
        saved_queries,
    )
    from mc2cm_graph.build import build
    from mc2cm_graph.graph.errors import (
        DataError,
        EndpointError,
        Mc2cmError,
        OutputError,
        ParameterError,
        QueryError,
        ValidationError,
    )
    from mc2cm_graph.graph.load import load_graph, load_project_graph


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'mc2cm_graph' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
