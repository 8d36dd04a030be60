"""How ``mc2cm-graph serve`` is set up: one value, built once from the command line and
handed unchanged to the runner (serve/runner.py) and the query service (serve/service.py).
What a single query may take is the query layer's QueryLimits.

No field has a default here: the one place that builds it, cli/serve.py, gives every field
from its options, whose defaults are the documented ones (``--help``, docs/server.md), so
each default is written once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.query.budget import QueryLimits


@dataclass(frozen=True)
class Settings:
    dist_dir: Path
    host: str
    port: int
    limits: QueryLimits
    workers: int  # the heavy lane's worker processes (serve/service.py)
    per_client: int  # expensive queries one client address may run at once
    queries_dir: Path | None  # None: the project's queries/
    accept_no_network_wall: bool  # serve even where workers keep the network
    write_seconds: float  # a client that takes nothing of an answer this long is cut off
    with_external: bool  # the outside facts too, in their named graphs
