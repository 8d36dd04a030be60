"""Run SPARQL queries in worker processes that can be killed at the time limit.

pyoxigraph evaluates a query inside Rust: a Python thread cannot interrupt it, and checking
the clock between result rows does not stop a query that produces no row for minutes (a
huge GROUP BY or COUNT over a cross product). So each query runs in a worker process that
holds its own read-only copy of the graph; a query that overruns the limit has its worker
killed and replaced, while the other workers go on answering other clients.

Workers also serialise the results (in the format the client asked for) and stop early,
without building the whole answer, once a result passes the row limit.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.graph.errors import Mc2cmError

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")
WORKER_START_SECONDS = 60
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class QueryFailed(Exception):
    """A query that could not be answered; ``status`` is the HTTP status to send (with
    ``retry_after`` seconds for a 503 the client may retry)."""

    def __init__(self, status: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Job:
    query: str
    result_format: str | None = "json"  # for SELECT/ASK; None: the client accepts none
    graph_format: str | None = "turtle"  # for CONSTRUCT/DESCRIBE; None likewise
    max_results: int = 10_000
    max_bytes: int = DEFAULT_MAX_BYTES
    guarded: bool = False  # a client's text: the pool's guard decides first
    cheap_only: bool = False  # guarded and rated expensive: do not run, say so
    base: str | None = None  # a guarded job's request URL: relative IRIs resolve against it
    seconds: float | None = None  # this job's time limit, if shorter than the pool's
    # (IRI, language or None): the IRI's description (query/describe.py) instead of query
    describe: tuple[str, str | None] | None = None


@dataclass(frozen=True)
class Answer:
    format: str | None  # the format name of ``body``
    body: bytes = b""
    expensive_text: str | None = None  # a cheap_only job rated expensive: run this elsewhere


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


def _too_many(job: Job, what: str = "rows") -> tuple:
    return ("error", 422, f"the result has more than {job.max_results} {what}, the limit of "
            "this server: add a LIMIT (and ORDER BY, OFFSET to page), or ask the server's "
            "operator to raise --max-results")


def _too_big(job: Job) -> tuple:
    return ("error", 422, f"the answer is larger than {job.max_bytes // 1_048_576} MB, the "
            "limit of this server: select fewer or shorter values, or page with LIMIT/OFFSET")


def _sized(job: Job, body: bytes, name: str) -> tuple:
    return ("ok", name, body) if len(body) <= job.max_bytes else _too_big(job)


def _serialise_solutions(solutions, job: Job) -> tuple:
    import pyoxigraph as ox

    # TSV puts one solution per line (newlines inside values are escaped), so counting
    # lines while pyoxigraph writes counts rows lazily; then convert to the asked format.
    writer = _BoundedWriter(job.max_results + 1, job.max_bytes)  # + the header line
    try:
        solutions.serialize(writer, ox.QueryResultsFormat.TSV)
    except (_TooMuch, OSError) as err:  # pyoxigraph wraps what write() raises in OSError
        if not isinstance(err, _TooMuch) and not isinstance(
                err.__cause__ or err.__context__, _TooMuch):
            raise
        return _too_many(job) if writer.lines > writer.max_lines else _too_big(job)
    tsv = b"".join(writer.chunks)
    if job.result_format == "tsv":
        return ("ok", "tsv", tsv)
    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    body = parsed.serialize(format=_results_format(job.result_format))
    return _sized(job, body, job.result_format)


def _serialise_triples(triples, job: Job) -> tuple:
    from mc2cm_graph.query.describe import graph_bytes

    kept, size = [], 0
    for triple in triples:
        if len(kept) == job.max_results:
            return _too_many(job, "triples")
        size += sum(len(term.value) for term in triple if hasattr(term, "value"))
        if size > job.max_bytes:
            return _too_big(job)
        kept.append(triple)
    name = job.graph_format
    return _sized(job, graph_bytes(kept, name), name)


def _check(job: Job, guard) -> tuple | str:
    """The text to run, or the reply that ends the job (refused, or rated expensive)."""
    if not job.guarded:
        return job.query
    try:
        verdict = guard(job.query, job.base)
    except Exception as err:  # noqa: BLE001 - the guard's refusals carry an HTTP status
        return ("error", getattr(err, "status", 400), str(err))
    if job.cheap_only and not verdict.cheap:
        return ("expensive", verdict.text)
    return verdict.text


def answer(store, job: Job, guard=None) -> tuple:
    """Run one job against ``store``: ("ok", format, bytes), ("error", http_status,
    message[, "retire"]) or ("expensive", checked_text) for a cheap_only job.

    ``guard(text, base)`` (needed for guarded jobs) returns an object with ``text`` (what to
    run) and ``cheap``, or raises an exception whose ``status`` is the HTTP answer."""
    import pyoxigraph as ox

    if job.describe is not None:
        from mc2cm_graph.query.describe import describe_triples

        return _serialise_triples(describe_triples(store, *job.describe), job)
    checked = _check(job, guard)
    if isinstance(checked, tuple):
        return checked
    try:
        result = store.query(checked)
        if isinstance(result, ox.QueryBoolean):
            if job.result_format is None:
                return ("error", 406, "an ASK query answers with SPARQL results (JSON, XML, "
                        "CSV or TSV), which the request's Accept header excludes")
            return ("ok", job.result_format,
                    result.serialize(format=_results_format(job.result_format)))
        if isinstance(result, ox.QuerySolutions):
            if job.result_format is None:
                return ("error", 406, "a SELECT query answers with SPARQL results (JSON, "
                        "XML, CSV or TSV), which the request's Accept header excludes")
            return _serialise_solutions(result, job)
        if job.graph_format is None:
            return ("error", 406, "a CONSTRUCT or DESCRIBE query answers with RDF (Turtle, "
                    "JSON-LD, N-Triples or RDF/XML), which the request's Accept header excludes")
        return _serialise_triples(result, job)
    except SyntaxError as err:
        return ("error", 400, f"SPARQL syntax error: {err}")
    except MemoryError:
        return ("error", 503, _OUT_OF_MEMORY, "retire")
    except Exception as err:  # noqa: BLE001 - report any engine failure, keep the worker
        if "memory" in str(err).lower():
            return ("error", 503, _OUT_OF_MEMORY, "retire")
        return ("error", 500, f"the query failed: {err}")


_OUT_OF_MEMORY = ("query stopped: it needed more memory than this server allows a query; "
                  "make it more selective (fewer unbound triple patterns, a LIMIT)")


def _worker_main(conn, dist_dir: str, guard, memory_budget: int | None,
                 niceness: int = 0, network: bool = False,
                 with_external: bool = False) -> None:
    import signal

    from mc2cm_graph.query.sandbox import deny_network, limit_memory, one_malloc_arena

    # Ctrl-C in a terminal reaches the whole process group; the server process stops the
    # workers itself, so they ignore it (no traceback per worker).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness:
        os.nice(niceness)  # a lane of long queries yields the CPU to the quick lane
    one_malloc_arena()
    # before any thread starts: all threads inherit it (the CLI's own queries may call out)
    network_wall = None if network else deny_network()
    try:
        store = open_served_store(Path(dist_dir), with_external)
        if guard is not None:
            guard("ASK {}")  # load the parser now, not on a client's time
        runner = _big_stack_thread()  # its stack reserved before the memory cap
    except Exception as err:  # noqa: BLE001 - the parent reports it
        conn.send(("failed", str(err)))
        return
    if memory_budget:
        limit_memory(memory_budget)
    conn.send(("ready", network_wall))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(runner.submit(answer, store, job, guard).result())


WORKER_STACK_BYTES = 256 * 1024 * 1024


def _big_stack_thread():
    """One thread with a WORKER_STACK_BYTES stack to run queries on: pyoxigraph recurses on
    the stack (50,000 chained ``!`` overflow the main thread's 8 MB)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    previous = threading.stack_size(WORKER_STACK_BYTES)
    try:
        runner = ThreadPoolExecutor(1, thread_name_prefix="query")
        runner.submit(int).result()  # the thread starts now, with that stack
    finally:
        threading.stack_size(previous)
    return runner


# ---------------------------------------------------------------- in the server process


class _Worker:
    def __init__(self, context, dist_dir: Path, guard, memory_budget: int | None,
                 niceness: int, network: bool = False, with_external: bool = False):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main,
            args=(child, str(dist_dir), guard, memory_budget, niceness, network,
                  with_external),
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
            message = ("failed", "the worker process exited while loading the graph")
        if message[0] != "ready":
            self.kill()
            raise Mc2cmError(f"cannot load the graph to serve: {message[1]}",
                             hint="run `mc2cm-graph build` first, or pass --dist DIR")
        self.network_wall = message[1]

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``workers`` processes answering jobs, each killed if it overruns ``timeout`` s.

    ``guard`` (a module-level function, so it reaches the spawned workers) checks guarded
    jobs inside the worker, under the same time limit; ``memory_budget`` bytes is what a
    worker may allocate beyond the loaded graph (RLIMIT_AS); ``niceness`` lowers the
    workers' CPU priority."""

    def __init__(self, dist_dir: Path, *, workers: int = 4, timeout: float = 10.0,
                 guard=None, memory_budget: int | None = None, niceness: int = 0,
                 network: bool = False, with_external: bool = False):
        self.dist_dir = Path(dist_dir)
        self.size = max(1, workers)
        self.timeout = timeout
        self.guard = guard
        self.memory_budget = memory_budget
        self.niceness = niceness
        self.network = network  # False: workers are cut off from the network (seccomp)
        self.with_external = with_external  # the outside facts, in their named graphs
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
        worker = _Worker(self._context, self.dist_dir, self.guard, self.memory_budget,
                         self.niceness, self.network, self.with_external)
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
        for one); the answer, or raise QueryFailed."""
        wait = self.timeout if wait is None else wait
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryFailed(503, f"server busy: all {self.size} query workers stayed "
                                   f"occupied for {wait:g} s; try again later",
                              retry_after=self.timeout) from None
        try:
            reply = self._exchange(worker, job)
        except BaseException:
            self._replace(worker)
            raise
        if reply[0] == "error" and reply[-1] == "retire":
            self._replace(worker)
        else:
            self._idle.put(worker)
        if reply[0] == "ok":
            return Answer(reply[1], reply[2])
        if reply[0] == "expensive":
            return Answer(None, expensive_text=reply[1])
        raise QueryFailed(reply[1], reply[2])

    def _exchange(self, worker: _Worker, job: Job) -> tuple:
        try:
            worker.conn.send(job)
            seconds = job.seconds or self.timeout
            if not worker.conn.poll(seconds):
                raise QueryFailed(503, f"query stopped: it ran longer than this server's time "
                                       f"limit of {seconds:g} s; make it more selective "
                                       "(fewer unbound triple patterns, a LIMIT)",
                                  retry_after=self.timeout)
            return worker.conn.recv()
        except (EOFError, OSError):
            raise QueryFailed(503, "query stopped: the query worker ran out of the memory "
                                   "(or stack) this server allows a query and was replaced; "
                                   "make the query more selective") from None

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
