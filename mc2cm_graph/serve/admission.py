"""Admission for client queries: at most ``total`` at once, at most ``per_client`` from one
client address. Past that, 503 with Retry-After: at once (the heavy lane: no queue to wait
in), or after waiting up to ``wait`` seconds for the client's own earlier query to end (the
light lane: one client's requests are read one after another, never two workers at once)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager

from mc2cm_graph.serve.errors import HttpError, busy_headers


class Admission:
    def __init__(self, total: int, per_client: int, retry_after: float, wait: float = 0.0,
                 what: str = "expensive queries"):
        self.total, self.per_client, self.retry_after = total, per_client, retry_after
        self.wait, self.what = wait, what
        self._running: Counter[str] = Counter()
        self._changed = threading.Condition()

    @contextmanager
    def admit(self, client: str):
        with self._changed:
            self._take(client)
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
                self._changed.notify_all()

    def _take(self, client: str) -> None:
        deadline = time.monotonic() + self.wait
        while True:
            if sum(self._running.values()) >= self.total:
                why = f"all {self.total} places for {self.what} are taken"
            elif self._running[client] >= self.per_client:
                why = (f"you already run {self.per_client} {self.what}, the most one client "
                       "may run at once")
            else:
                self._running[client] += 1
                return
            left = deadline - time.monotonic()
            if left <= 0:
                self._refuse(f"{why} (waited {self.wait:g} s)" if self.wait else why)
            self._changed.wait(left)

    def _refuse(self, why: str):
        raise HttpError(503, f"server busy: {why}; try again in {self.retry_after:g} s "
                             "(queries with one triple pattern, ASK and the resource pages "
                             "are answered meanwhile)", busy_headers(self.retry_after))
