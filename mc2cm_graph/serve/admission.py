"""Admission for expensive queries: at most ``total`` at once, at most ``per_client`` from
one client address; past that, 503 with Retry-After at once (no queue to wait in)."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from mc2cm_graph.serve.errors import HttpError, busy_headers


class Admission:
    def __init__(self, total: int, per_client: int, retry_after: float):
        self.total, self.per_client, self.retry_after = total, per_client, retry_after
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, client: str):
        with self._lock:
            if sum(self._running.values()) >= self.total:
                self._refuse(f"all {self.total} places for expensive queries are taken")
            if self._running[client] >= self.per_client:
                self._refuse(f"you already run {self.per_client} expensive queries, the "
                             "most one client may run at once")
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]

    def _refuse(self, why: str):
        raise HttpError(503, f"server busy: {why}; try again in {self.retry_after:g} s "
                             "(queries with one triple pattern, ASK and the resource pages "
                             "are answered meanwhile)", busy_headers(self.retry_after))
