"""The query side of the server: two worker pools and the admission between them.

- the **light lane** (a few workers) runs our own queries (resource pages, the
  saved-query API) and reads every client query first, one at a time per client address
  (a client's next query waits for its last): the guard parses it there (stopped at
  guard.PARSE_SECONDS), and a query it rates cheap (one triple pattern at most, no path,
  VALUES, BIND or subquery) runs at once, under a short time limit;
- the **heavy lane** (``--workers``) runs the other client queries, admitted per client and
  in total (serve/admission.py): when it is full the client gets 503 + Retry-After at once.

So ten runaway queries hold at most the heavy lane, never the pages, the API or an ASK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from mc2cm_graph.query.pool import Answer, Job, QueryFailed, QueryPool
from mc2cm_graph.serve.admission import Admission
from mc2cm_graph.serve.errors import HttpError, busy_headers

INTERNAL_MAX_RESULTS = 1_000_000
LIGHT_WORKERS = 3
LIGHT_WAIT_SECONDS = 5
LIGHT_PER_CLIENT = 1  # client queries one address may have in the light lane at once
# the guard (stopped at 0.75 s CPU, 4 s wall) plus a cheap query, whatever --timeout says
LIGHT_CLIENT_SECONDS = 5
HEAVY_NICENESS = 19  # expensive queries get the CPU the quick lane and the server leave


@dataclass
class Limits:
    """What the server allows (no defaults here: `serve`'s options and serve/app.py's
    Settings give them, once)."""
    timeout: float
    max_results: int
    max_bytes: int
    workers: int
    memory_budget: int
    per_client: int


class QueryService:
    def __init__(self, dist_dir, limits: Limits, with_external: bool = False):
        from mc2cm_graph.serve.guard import check_query

        self.limits = limits
        common = {"timeout": limits.timeout, "memory_budget": limits.memory_budget,
                  "with_external": with_external}
        self.light = QueryPool(dist_dir, workers=LIGHT_WORKERS, guard=check_query, **common)
        self.heavy = QueryPool(dist_dir, workers=limits.workers, niceness=HEAVY_NICENESS,
                               **common)
        self.admission = Admission(limits.workers, min(limits.per_client, limits.workers),
                                   retry_after=limits.timeout)
        # the light lane reads one query per client at a time: the others wait their turn
        self.reading = Admission(LIGHT_WORKERS, LIGHT_PER_CLIENT, retry_after=1,
                                 wait=LIGHT_WAIT_SECONDS, what="queries being read")

    def start(self) -> QueryService:
        self.light.start()
        try:
            self.heavy.start()
        except Exception:
            self.light.close()
            raise
        return self

    def close(self) -> None:
        self.light.close()
        self.heavy.close()

    @property
    def network_wall(self) -> str | None:
        return self.light.network_wall if self.heavy.network_wall else None

    # ------------------------------------------------------------------ what routes call

    def ours(self, text: str, fmt: str) -> bytes:
        """A trusted query of ours (bounded by the data), in the light lane."""
        job = Job(text, fmt, fmt, INTERNAL_MAX_RESULTS, self.limits.max_bytes)
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def describe(self, iri: str, lang: str | None, fmt: str) -> bytes:
        """The description of one of our IRIs (query/describe.py), in the light lane."""
        job = Job("", None, fmt, INTERNAL_MAX_RESULTS, self.limits.max_bytes,
                  describe=(iri, lang))
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def select(self, text: str) -> list[dict]:
        """Rows of a trusted SELECT of ours, as {variable: SPARQL-JSON term}."""
        return json.loads(self.ours(text, "json"))["results"]["bindings"]

    def saved(self, text: str, fmt: str) -> bytes:
        """A saved query bound with a client's parameters: ours, with the client's limits."""
        job = Job(text, fmt, fmt, self.limits.max_results, self.limits.max_bytes)
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def client(self, text: str, results: str | None, graph: str | None,
               client: str, base: str | None = None) -> Answer:
        """A client's query (relative IRIs resolved against ``base``): guarded and, if
        cheap, run in the light lane; otherwise admitted to the heavy lane or refused
        with 503 at once."""
        job = Job(text, results, graph, self.limits.max_results, self.limits.max_bytes,
                  guarded=True, cheap_only=True, base=base, seconds=LIGHT_CLIENT_SECONDS)
        with self.reading.admit(client):
            answer = self._run(self.light, job, LIGHT_WAIT_SECONDS)
        if answer.expensive_text is None:
            return answer
        with self.admission.admit(client):
            job = Job(answer.expensive_text, results, graph, self.limits.max_results,
                      self.limits.max_bytes)
            return self._run(self.heavy, job, self.limits.timeout)

    @staticmethod
    def _run(pool: QueryPool, job: Job, wait: float) -> Answer:
        try:
            return pool.run(job, wait=wait)
        except QueryFailed as err:
            raise HttpError(err.status, err.message, busy_headers(err.retry_after)) from None
