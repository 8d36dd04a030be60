"""Keeping a query from crashing the process: the one owner of the big-stack thread and of
the bracket-nesting fence, used by the command line (query/engine.py), the query workers
(query/pool.py) and the server's guard (serve/guard.py).

pyoxigraph parses and evaluates queries by recursion on the calling thread's stack and has
no depth limit of its own: 5,000 nested groups, or 50,000 chained operators (``!!!…``,
``1+1+…``, ``… UNION …``), overflow the 8 MB main-thread stack and the process dies with
SIGSEGV, past any Python error handling. rdflib's SPARQL parser (pyparsing, the guard's)
recurses in Python, once or more per grammar level and per triple of a block. Two guards:

- ``nesting``: how deep brackets nest, counted over the query's tokens in one pass
  (query/bind.py's lexer: brackets in strings, IRIs and comments do not count), so each
  caller refuses a query nested deeper than it reads, with the position: MAX_NESTING for
  pyoxigraph on the command line, the guard's own (lower) limit for rdflib's parser;
- ``with_big_stack`` (behind ``big_stack_thread``, a lasting thread for the workers and
  the guard, and ``on_big_stack``, a thread per call for the command line): code runs on
  a thread with a STACK_BYTES stack (reserved address space; only what is used is
  committed), which holds over 50,000 chained operators and nesting far past the limits,
  so what passes the count cannot overflow it.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.query.bind import bracket_tokens

MAX_NESTING = 200
STACK_BYTES = 512 << 20
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")

T = TypeVar("T")


# ------------------------------------------------------------------- the nesting fence


@dataclass(frozen=True)
class Nesting:
    deepest: int  # the deepest the brackets nest
    offset: int  # where they first pass the limit asked about (a character offset)

    def line_column(self, text: str) -> tuple[int, int]:
        line = text.count("\n", 0, self.offset) + 1
        return line, self.offset - (text.rfind("\n", 0, self.offset) + 1) + 1


def nesting(text: str, limit: int) -> Nesting | None:
    """How deep the query's brackets nest, when deeper than ``limit`` (else None)."""
    depth = deepest = 0
    first = None
    for match in bracket_tokens(text):
        token = match.group()
        if match.lastgroup != "other":
            continue  # a string, IRI, comment or variable: no bracket of the query's
        if token in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit and first is None:
                first = match.start()
        elif token in _CLOSE:
            depth -= 1
    return None if first is None else Nesting(deepest, first)


def check_nesting(text: str, source: str | None = None) -> None:
    """Raise QueryError, naming line and column, where brackets nest deeper than
    MAX_NESTING."""
    found = nesting(text, MAX_NESTING)
    if found is not None:
        line, column = found.line_column(text)
        raise QueryError(f"the query nests brackets more than {MAX_NESTING} deep",
                         file=source or "<query>", line=line, column=column,
                         hint="flatten the query: fewer nested { } ( ) [ ] groups")


# ------------------------------------------------------------------- the big stack


def big_stack_thread(name: str) -> ThreadPoolExecutor:
    """A one-thread executor whose thread has a STACK_BYTES stack, started now: its stack
    is reserved before this returns (before a worker caps its memory, say)."""
    def start() -> ThreadPoolExecutor:
        runner = ThreadPoolExecutor(1, thread_name_prefix=name)
        runner.submit(int).result()  # the thread starts now, with that stack
        return runner

    return with_big_stack(start)


def on_big_stack(function: Callable[[], T]) -> T:
    """``function()`` run on a thread of its own with a STACK_BYTES stack; its result, or
    its exception raised here. The thread is a daemon: Ctrl-C ends the command at once,
    not when the query ends."""
    outcome: list = []
    worker = with_big_stack(lambda: _started(lambda: outcome.append(_caught(function))))
    worker.join()
    done, value = outcome[0]
    if not done:
        raise value
    return value


def with_big_stack(start: Callable[[], T]) -> T:
    """``start()``, which starts a thread, called while new threads get a STACK_BYTES
    stack: the one place that sets the stack size (process-wide, so under a lock)."""
    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(STACK_BYTES)
        try:
            return start()
        finally:
            threading.stack_size(previous)


_STACK_SIZE_LOCK = threading.Lock()


def _started(target: Callable[[], object]) -> threading.Thread:
    worker = threading.Thread(target=target, name="query", daemon=True)
    worker.start()
    return worker


def _caught(function: Callable[[], T]) -> tuple[bool, T | BaseException]:
    """(True, result) or (False, exception), the exception's frames freed on this thread:
    pyoxigraph objects may only be dropped on the thread that made them."""
    try:
        return True, function()
    except BaseException as err:  # noqa: BLE001 - handed back to the caller
        _drop_frames(err)
        return False, err


def _drop_frames(err: BaseException | None) -> None:
    """Free what the tracebacks of ``err`` and its causes hold."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if err.__traceback__ is not None:
            traceback.clear_frames(err.__traceback__)
            err.__traceback__ = None
        err = err.__cause__ or err.__context__
