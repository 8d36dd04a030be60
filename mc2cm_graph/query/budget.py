"""What one query may take: the limits the server and ``mc2cm-graph sparql`` put on a query.

One frozen value, defined here once: the CLI builds it from its options, and the server
(serve/service.py), the worker pool (query/pool.py) and each job pass it along unchanged (a
lane that needs a different limit makes a changed copy with ``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class QueryLimits:
    timeout: float = 10.0  # seconds a query may run before its worker is killed
    max_results: int = 10_000  # rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in an answer
    max_bytes: int = 16 * MIB  # bytes in a serialised answer
    memory_budget: int = 128 * MIB  # what a worker may allocate beyond the loaded graph

    @property
    def memory_mb(self) -> int:
        return self.memory_budget // MIB

    @property
    def max_mb(self) -> int:
        return self.max_bytes // MIB
