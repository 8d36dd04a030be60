"""dist/mc2cm-external.trig: the facts from outside the brochure, one named graph per source.

They stay out of mc2cm.ttl (the brochure is the authority there). The file is the data
folder's ``external/external-facts.trig``, checked to parse and copied byte for byte: it is
curated by hand, and a copy keeps its comments and its order.
"""

from __future__ import annotations

import os
from pathlib import Path

from mc2cm_graph.graph.load import parse_quads

EXTERNAL_NAME = "mc2cm-external.trig"
SOURCE_NAME = "external-facts.trig"


def external_facts_file(project) -> Path | None:
    """The external-facts file of the data folder the project was loaded from, if any."""
    if not project.data_files:
        return None
    data_dir = Path(os.path.commonpath([Path(f).resolve().parent for f in project.data_files]))
    found = sorted(data_dir.rglob(SOURCE_NAME))
    return found[0] if found else None


def export_external(project, out_dir: Path, advance=None) -> list[Path]:
    source = external_facts_file(project)
    if source is None:
        return []
    parse_quads(source)  # a syntax error stops the export with file:line:column
    target = Path(out_dir) / EXTERNAL_NAME
    target.write_bytes(source.read_bytes())
    return [target]
