"""mc2cm-graph: the knowledge graph of MC2CM's Targeted City Actions.

The public API is re-exported here lazily, so ``import mc2cm_graph`` stays cheap
for the CLI's ``--help`` and small commands.
"""

__version__ = "0.1.0"

_LAZY = {
    "load_graph": "mc2cm_graph.graph.load",
    "load_project_graph": "mc2cm_graph.graph.load",
    "build": "mc2cm_graph.build",
    "Mc2cmError": "mc2cm_graph.graph.errors",
}


def __getattr__(name):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'mc2cm_graph' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
