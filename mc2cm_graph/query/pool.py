"""Run SPARQL queries in worker processes that can be killed at the time limit.

pyoxigraph evaluates a query inside Rust: a Python thread cannot interrupt it, and checking
the clock between result rows does not stop a query that produces no row for minutes (a
huge GROUP BY or COUNT over a cross product). So each query runs in a worker process that
holds its own read-only copy of the graph; a query that overruns the limit has its worker
killed and replaced, while the other workers go on answering other clients.

Workers also serialise the results (in the format the client asked for) and stop early,
without building the whole answer, once a result passes the row limit.

The two processes exchange dataclasses: a Job goes to a worker; an Answer or a Refusal
(a QueryError's kind and message) comes back; Ready or StartFailed when a worker starts.
What cannot be answered is raised as a QueryError (graph/errors.py) with its ``kind``.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.graph.errors import Mc2cmError, QueryError, QueryErrorKind
from mc2cm_graph.query.budget import QueryLimits

WORKER_START_SECONDS = 60


@dataclass(frozen=True)
class Job:
    query: str
    result_format: str | None = "json"  # for SELECT/ASK; None: the client accepts none
    graph_format: str | None = "turtle"  # for CONSTRUCT/DESCRIBE; None likewise
    limits: QueryLimits = QueryLimits()  # its time, row and byte limits
    guarded: bool = False  # a client's text: the pool's guard decides first
    cheap_only: bool = False  # guarded and rated expensive: do not run, say so
    base: str | None = None  # a guarded job's request URL: relative IRIs resolve against it
    # (IRI, language or None): the IRI's description (query/describe.py) instead of query
    describe: tuple[str, str | None] | None = None


@dataclass(frozen=True)
class Answer:
    format: str | None  # the format name of ``body``
    body: bytes = b""
    expensive_text: str | None = None  # a cheap_only job rated expensive: run this elsewhere


@dataclass(frozen=True)
class WorkerSpec:
    """How the pool's workers start: one value, made once by the pool, handed to each
    spawned process as it is."""

    dist_dir: str  # the built graph (dist/mc2cm.ttl) to load
    guard: object = None  # a module-level function, so it reaches the spawned workers
    memory_budget: int | None = None  # bytes a worker may allocate beyond the graph
    niceness: int = 0  # lowers the workers' CPU priority
    network: bool = False  # False: workers are cut off from the network (seccomp)
    with_external: bool = False  # the outside facts too, in their named graphs


@dataclass(frozen=True)
class Refusal:
    """A worker's QueryError, sent back to the server process (which raises it again)."""

    kind: QueryErrorKind
    message: str


@dataclass(frozen=True)
class Ready:
    network_wall: str | None  # how the worker is cut off from the network, if it is


@dataclass(frozen=True)
class StartFailed:
    reason: str


# ---------------------------------------------------------------- inside a worker process


def open_served_store(dist_dir: Path, with_external: bool = False):
    """The built graph (dist/mc2cm.ttl) in an in-memory pyoxigraph store (and the outside
    facts in their named graphs, ``with_external``)."""
    from mc2cm_graph.query.dist import open_store

    return open_store(dist_dir, with_external=with_external)


class _TooMuch(Exception):
    pass


class _BoundedWriter:
    """A write target for pyoxigraph's TSV serialiser that stops it past ``max_lines``
    lines or ``max_bytes`` bytes, so a huge answer is never built."""

    def __init__(self, max_lines: int, max_bytes: int):
        self.max_lines, self.max_bytes = max_lines, max_bytes
        self.lines = self.size = 0
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        self.size += len(data)
        if self.lines > self.max_lines or self.size > self.max_bytes:
            raise _TooMuch
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass


def _results_format(name: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]


def _too_many(job: Job, what: str = "rows") -> QueryError:
    return QueryError(f"the result has more than {job.limits.max_results} {what}, the limit "
                      "of this server: add a LIMIT (and ORDER BY, OFFSET to page), or ask the "
                      "server's operator to raise --max-results", kind="too-large")


def _too_big(job: Job) -> QueryError:
    return QueryError(f"the answer is larger than {job.limits.max_mb} MB, the limit of this "
                      "server: select fewer or shorter values, or page with LIMIT/OFFSET",
                      kind="too-large")


def _sized(job: Job, body: bytes, name: str) -> Answer:
    if len(body) > job.limits.max_bytes:
        raise _too_big(job)
    return Answer(name, body)


def _serialise_solutions(solutions, job: Job) -> Answer:
    import pyoxigraph as ox

    # TSV puts one solution per line (newlines inside values are escaped), so counting
    # lines while pyoxigraph writes counts rows lazily; then convert to the asked format.
    writer = _BoundedWriter(job.limits.max_results + 1, job.limits.max_bytes)  # + the header line
    try:
        solutions.serialize(writer, ox.QueryResultsFormat.TSV)
    except (_TooMuch, OSError) as err:  # pyoxigraph wraps what write() raises in OSError
        if not isinstance(err, _TooMuch) and not isinstance(
                err.__cause__ or err.__context__, _TooMuch):
            raise
        raise (_too_many(job) if writer.lines > writer.max_lines else _too_big(job)) from None
    tsv = b"".join(writer.chunks)
    if job.result_format == "tsv":
        return Answer("tsv", tsv)
    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    body = parsed.serialize(format=_results_format(job.result_format))
    return _sized(job, body, job.result_format)


def _serialise_triples(triples, job: Job) -> Answer:
    from mc2cm_graph.query.describe import graph_bytes

    kept, size = [], 0
    for triple in triples:
        if len(kept) == job.limits.max_results:
            raise _too_many(job, "triples")
        size += sum(len(term.value) for term in triple if hasattr(term, "value"))
        if size > job.limits.max_bytes:
            raise _too_big(job)
        kept.append(triple)
    name = job.graph_format
    return _sized(job, graph_bytes(kept, name), name)


def _check(job: Job, guard) -> Answer | str:
    """The text to run, or the Answer that ends the job (rated expensive); raises the
    guard's QueryError."""
    if not job.guarded:
        return job.query
    try:
        verdict = guard(job.query, job.base)
    except QueryError:
        raise
    except Exception as err:  # noqa: BLE001 - what the guard cannot read is refused
        raise QueryError(str(err)) from None
    if job.cheap_only and not verdict.cheap:
        return Answer(None, expensive_text=verdict.text)
    return verdict.text


def answer(store, job: Job, guard=None) -> Answer:
    """Run one job against ``store``: its Answer (serialised, or, for a cheap_only job
    rated expensive, the checked text to run elsewhere); or raise QueryError.

    ``guard(text, base)`` (needed for guarded jobs) returns an object with ``text`` (what to
    run) and ``cheap``, or raises QueryError."""
    if job.describe is not None:
        from mc2cm_graph.query.describe import describe_triples

        return _serialise_triples(describe_triples(store, *job.describe), job)
    checked = _check(job, guard)
    if isinstance(checked, Answer):
        return checked
    try:
        return _run(store, checked, job)
    except QueryError:
        raise
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {err}") from None
    except MemoryError:
        raise QueryError(_OUT_OF_MEMORY, kind="out-of-memory") from None
    except Exception as err:  # noqa: BLE001 - report any engine failure, keep the worker
        if "memory" in str(err).lower():
            raise QueryError(_OUT_OF_MEMORY, kind="out-of-memory") from None
        raise QueryError(f"the query failed: {err}", kind="failed") from None


def _run(store, text: str, job: Job) -> Answer:
    import pyoxigraph as ox

    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        if job.result_format is None:
            raise _not_acceptable("an ASK query answers with SPARQL results (JSON, XML, CSV "
                                  "or TSV)")
        return Answer(job.result_format,
                      result.serialize(format=_results_format(job.result_format)))
    if isinstance(result, ox.QuerySolutions):
        if job.result_format is None:
            raise _not_acceptable("a SELECT query answers with SPARQL results (JSON, XML, "
                                  "CSV or TSV)")
        return _serialise_solutions(result, job)
    if job.graph_format is None:
        raise _not_acceptable("a CONSTRUCT or DESCRIBE query answers with RDF (Turtle, "
                              "JSON-LD, N-Triples or RDF/XML)")
    return _serialise_triples(result, job)


def _not_acceptable(what: str) -> QueryError:
    return QueryError(f"{what}, which the request's Accept header excludes",
                      kind="not-acceptable")


_OUT_OF_MEMORY = ("query stopped: it needed more memory than this server allows a query; "
                  "make it more selective (fewer unbound triple patterns, a LIMIT)")


def _worker_main(conn, spec: WorkerSpec) -> None:
    import signal

    from mc2cm_graph.query.limits import big_stack_thread
    from mc2cm_graph.query.sandbox import deny_network, limit_memory, one_malloc_arena

    # Ctrl-C in a terminal reaches the whole process group; the server process stops the
    # workers itself, so they ignore it (no traceback per worker).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    guard = spec.guard
    if spec.niceness:
        os.nice(spec.niceness)  # a lane of long queries yields the CPU to the quick lane
    one_malloc_arena()
    # before any thread starts: all threads inherit it (the CLI's own queries may call out)
    network_wall = None if spec.network else deny_network()
    try:
        store = open_served_store(Path(spec.dist_dir), spec.with_external)
        if guard is not None:
            guard("ASK {}")  # load the parser now, not on a client's time
        runner = big_stack_thread("query")  # its stack reserved before the memory cap
    except Exception as err:  # noqa: BLE001 - the parent reports it
        conn.send(StartFailed(str(err)))
        return
    if spec.memory_budget:
        limit_memory(spec.memory_budget)
    conn.send(Ready(network_wall))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(runner.submit(_reply, store, job, guard).result())


def _reply(store, job: Job, guard) -> Answer | Refusal:
    """What the worker sends back for ``job`` (on the query thread: the error, and what
    its traceback holds, are dropped where they were made)."""
    try:
        return answer(store, job, guard)
    except QueryError as err:
        return Refusal(err.kind, err.message)


# ---------------------------------------------------------------- in the server process


class _Worker:
    def __init__(self, context, spec: WorkerSpec):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, spec),
            daemon=True, name="mc2cm-query-worker")
        self.process.start()
        child.close()
        self.network_wall: str | None = None

    def wait_ready(self) -> None:
        if not self.conn.poll(WORKER_START_SECONDS):
            self.kill()
            raise Mc2cmError("a query worker did not start in time")
        try:
            message = self.conn.recv()
        except EOFError:
            message = StartFailed("the worker process exited while loading the graph")
        if not isinstance(message, Ready):
            self.kill()
            raise Mc2cmError(f"cannot load the graph to serve: {message.reason}",
                             hint="run `mc2cm-graph build` first, or pass --dist DIR")
        self.network_wall = message.network_wall

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``workers`` processes answering jobs, each killed if it overruns its job's time limit.

    ``limits.timeout`` is how long a caller waits for a free worker and the Retry-After of
    a busy answer; ``limits.memory_budget`` bytes is what a worker may allocate beyond the
    loaded graph (RLIMIT_AS). ``guard`` (a module-level function, so it reaches the spawned
    workers) checks guarded jobs inside the worker, under the job's time limit;
    ``niceness`` lowers the workers' CPU priority."""

    def __init__(self, dist_dir: Path, *, workers: int = 4,
                 limits: QueryLimits | None = None, guard=None, niceness: int = 0,
                 network: bool = False, with_external: bool = False):
        self.dist_dir = Path(dist_dir)
        self.size = max(1, workers)
        self.limits = limits or QueryLimits()
        self.spec = WorkerSpec(str(self.dist_dir), guard, self.limits.memory_budget,
                               niceness, network, with_external)
        self.network_wall: str | None = None
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()

    def start(self) -> QueryPool:
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for worker in workers:
                worker.wait_ready()
        except Mc2cmError:
            self.close()
            raise
        self.network_wall = workers[0].network_wall
        for worker in workers:
            self._idle.put(worker)
        return self

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid]

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.spec)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor, off the request's thread."""
        def work():
            self._retire(worker)
            if self._closed:
                return
            successor = self._spawn()
            try:
                successor.wait_ready()
            except (Mc2cmError, OSError):  # OSError: the pool closed meanwhile
                self._retire(successor)
                return
            self._idle.put(successor)

        threading.Thread(target=work, daemon=True, name="mc2cm-worker-respawn").start()

    def run(self, job: Job, wait: float | None = None) -> Answer:
        """Run ``job`` on a free worker (waiting up to ``wait`` s, default the time limit,
        for one); the answer, or raise QueryError."""
        wait = self.limits.timeout if wait is None else wait
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryError(f"server busy: all {self.size} query workers stayed occupied for "
                             f"{wait:g} s; try again later", kind="busy",
                             retry_after=self.limits.timeout) from None
        try:
            reply = self._exchange(worker, job)
        except BaseException:
            self._replace(worker)
            raise
        if isinstance(reply, Refusal) and reply.kind == "out-of-memory":
            self._replace(worker)  # a worker that ran out of memory may be left damaged
        else:
            self._idle.put(worker)
        if isinstance(reply, Refusal):
            raise QueryError(reply.message, kind=reply.kind)
        return reply

    def _exchange(self, worker: _Worker, job: Job) -> Answer | Refusal:
        try:
            worker.conn.send(job)
            seconds = job.limits.timeout
            if not worker.conn.poll(seconds):
                raise QueryError(f"query stopped: it ran longer than this server's time limit "
                                 f"of {seconds:g} s; make it more selective (fewer unbound "
                                 "triple patterns, a LIMIT)", kind="timeout",
                                 retry_after=self.limits.timeout)
            return worker.conn.recv()
        except (EOFError, OSError):
            raise QueryError("query stopped: the query worker ran out of the memory (or "
                             "stack) this server allows a query and was replaced; make the "
                             "query more selective", kind="out-of-memory") from None

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
