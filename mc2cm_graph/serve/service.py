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
from dataclasses import replace

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.query.pool import Answer, Job, QueryPool
from mc2cm_graph.serve.admission import Admission
from mc2cm_graph.serve.errors import from_query_error
from mc2cm_graph.serve.settings import Settings

INTERNAL_MAX_RESULTS = 1_000_000
LIGHT_WORKERS = 3
LIGHT_WAIT_SECONDS = 5
LIGHT_PER_CLIENT = 1  # client queries one address may have in the light lane at once
# the guard (stopped at 0.75 s CPU, 4 s wall) plus a cheap query, whatever --timeout says
LIGHT_CLIENT_SECONDS = 5
HEAVY_NICENESS = 19  # expensive queries get the CPU the quick lane and the server leave


class QueryService:
    def __init__(self, settings: Settings):
        from mc2cm_graph.serve.guard import check_query

        limits = self.limits = settings.limits
        common = {"limits": limits, "with_external": settings.with_external}
        self.light = QueryPool(settings.dist_dir, workers=LIGHT_WORKERS, guard=check_query,
                               **common)
        self.heavy = QueryPool(settings.dist_dir, workers=settings.workers,
                               niceness=HEAVY_NICENESS, **common)
        self.admission = Admission(settings.workers, min(settings.per_client, settings.workers),
                                   retry_after=limits.timeout)
        # our own queries are bounded by the data, not by the client's row limit
        self._ours = replace(limits, max_results=INTERNAL_MAX_RESULTS)
        # a client's query in the light lane: the guard plus a cheap query
        self._light_client = replace(limits, timeout=LIGHT_CLIENT_SECONDS)
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
        job = Job(text, fmt, fmt, self._ours)
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def describe(self, iri: str, lang: str | None, fmt: str) -> bytes:
        """The description of one of our IRIs (query/describe.py), in the light lane."""
        job = Job("", None, fmt, self._ours, describe=(iri, lang))
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def select(self, text: str) -> list[dict]:
        """Rows of a trusted SELECT of ours, as {variable: SPARQL-JSON term}."""
        return json.loads(self.ours(text, "json"))["results"]["bindings"]

    def saved(self, text: str, fmt: str) -> bytes:
        """A saved query bound with a client's parameters: ours, with the client's limits."""
        job = Job(text, fmt, fmt, self.limits)
        return self._run(self.light, job, LIGHT_WAIT_SECONDS).body

    def client(self, text: str, results: str | None, graph: str | None,
               client: str, base: str | None = None) -> Answer:
        """A client's query (relative IRIs resolved against ``base``): guarded and, if
        cheap, run in the light lane; otherwise admitted to the heavy lane or refused
        with 503 at once."""
        job = Job(text, results, graph, self._light_client, guarded=True, cheap_only=True,
                  base=base)
        with self.reading.admit(client):
            answer = self._run(self.light, job, LIGHT_WAIT_SECONDS)
        if answer.expensive_text is None:
            return answer
        with self.admission.admit(client):
            job = Job(answer.expensive_text, results, graph, self.limits)
            return self._run(self.heavy, job, self.limits.timeout)

    @staticmethod
    def _run(pool: QueryPool, job: Job, wait: float) -> Answer:
        try:
            return pool.run(job, wait=wait)
        except QueryError as err:
            raise from_query_error(err) from None
