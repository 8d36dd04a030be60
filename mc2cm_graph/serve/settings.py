"""How ``mc2cm-graph serve`` is set up: one value, built once from the command line (or by a
test) and handed unchanged to the runner (serve/runner.py) and the query service
(serve/service.py). What a single query may take is the query layer's QueryLimits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mc2cm_graph.query.budget import QueryLimits

WRITE_SECONDS = 30  # a client that takes nothing of an answer for this long is cut off


@dataclass(frozen=True)
class Settings:
    dist_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    limits: QueryLimits = field(default_factory=QueryLimits)
    workers: int = 4  # the heavy lane's worker processes (serve/service.py)
    per_client: int = 2  # expensive queries one client address may run at once
    queries_dir: Path | None = None  # default: the project's queries/
    accept_no_network_wall: bool = False  # serve even where workers keep the network
    write_seconds: float = WRITE_SECONDS
    with_external: bool = False  # the outside facts too, in their named graphs
