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
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.graph.errors import Mc2cmError

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples")
WORKER_START_SECONDS = 60


class QueryFailed(Exception):
    """A query that could not be answered; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Job:
    query: str
    result_format: str  # one of RESULT_FORMATS or GRAPH_FORMATS
    max_results: int


# ---------------------------------------------------------------- inside a worker process


def open_served_store(dist_dir: Path):
    """The built graph (dist/mc2cm.ttl) in an in-memory pyoxigraph store."""
    from mc2cm_graph.query.release import open_store

    return open_store(dist_dir, build_if_missing=False)


class _TooManyRows(Exception):
    pass


class _RowCounter:
    """A write target for pyoxigraph's TSV serialiser that stops it past ``limit`` lines."""

    def __init__(self, limit: int):
        self.limit, self.lines, self.chunks = limit, 0, []

    def write(self, data) -> int:
        self.lines += bytes(data).count(b"\n")
        if self.lines > self.limit:
            raise _TooManyRows
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _results_format(name: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]


def _too_many(job: Job) -> tuple:
    return ("error", 422, f"the result has more than {job.max_results} rows, the limit of "
            "this server: add a LIMIT (and ORDER BY, OFFSET to page), or ask the server's "
            "operator to raise --max-results")


def _serialise_solutions(solutions, job: Job) -> tuple:
    import pyoxigraph as ox

    # TSV puts one solution per line (newlines inside values are escaped), so counting
    # lines while pyoxigraph writes counts rows lazily; then convert to the asked format.
    counter = _RowCounter(job.max_results + 1)  # + the header line
    try:
        solutions.serialize(counter, ox.QueryResultsFormat.TSV)
    except _TooManyRows:
        return _too_many(job)
    except OSError as err:  # pyoxigraph wraps exceptions raised by write()
        if isinstance(err.__cause__ or err.__context__, _TooManyRows) or counter.lines > \
                counter.limit:
            return _too_many(job)
        raise
    tsv = b"".join(counter.chunks)
    if job.result_format == "tsv":
        return ("ok", tsv)
    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    return ("ok", parsed.serialize(format=_results_format(job.result_format)))


def _serialise_triples(triples, job: Job) -> tuple:
    from mc2cm_graph.query.describe import graph_bytes

    kept = []
    for triple in triples:
        if len(kept) == job.max_results:
            return ("error", 422, _too_many(job)[2].replace("rows", "triples"))
        kept.append(triple)
    return ("ok", graph_bytes(kept, job.result_format))


def answer(store, job: Job) -> tuple:
    """Run one job against ``store``: ("ok", bytes) or ("error", http_status, message)."""
    import pyoxigraph as ox

    try:
        result = store.query(job.query)
        if isinstance(result, ox.QueryBoolean):
            if job.result_format not in RESULT_FORMATS:
                return ("error", 406, "an ASK query answers true/false, not a graph")
            return ("ok", result.serialize(format=_results_format(job.result_format)))
        if isinstance(result, ox.QuerySolutions):
            return _serialise_solutions(result, job)
        return _serialise_triples(result, job)
    except SyntaxError as err:
        return ("error", 400, f"SPARQL syntax error: {err}")
    except Exception as err:  # noqa: BLE001 - report any engine failure, keep the worker
        return ("error", 500, f"the query failed: {err}")


def _worker_main(conn, dist_dir: str) -> None:
    import signal

    # Ctrl-C in a terminal reaches the whole process group; the server process stops the
    # workers itself, so they ignore it (no traceback per worker).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = open_served_store(Path(dist_dir))
    except Exception as err:  # noqa: BLE001 - the parent reports it
        conn.send(("failed", str(err)))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, job))


# ---------------------------------------------------------------- in the server process


class _Worker:
    def __init__(self, context, dist_dir: Path):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(dist_dir)),
                                       daemon=True, name="mc2cm-query-worker")
        self.process.start()
        child.close()

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

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """``workers`` processes answering jobs, each killed if it overruns ``timeout`` s."""

    def __init__(self, dist_dir: Path, *, workers: int = 4, timeout: float = 10.0):
        self.dist_dir = Path(dist_dir)
        self.size = max(1, workers)
        self.timeout = timeout
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
        for worker in workers:
            self._idle.put(worker)
        return self

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.dist_dir)
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
            except Mc2cmError:
                self._retire(successor)
                return
            self._idle.put(successor)

        threading.Thread(target=work, daemon=True, name="mc2cm-worker-respawn").start()

    def run(self, query: str, result_format: str, max_results: int) -> bytes:
        """The serialised results, or raise QueryFailed."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryFailed(503, f"server busy: all {self.size} query workers stayed "
                                   f"occupied for {self.timeout:g} s; try again later") from None
        try:
            worker.conn.send(Job(query, result_format, max_results))
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                worker = None
                raise QueryFailed(503, f"query stopped: it ran longer than this server's time "
                                       f"limit of {self.timeout:g} s; make it more selective "
                                       "(fewer unbound triple patterns, a LIMIT)")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            worker = None
            raise QueryFailed(500, "the query worker crashed; the query was not answered") \
                from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise QueryFailed(reply[1], reply[2])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
