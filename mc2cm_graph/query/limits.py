"""Keeping a query from crashing the process.

pyoxigraph parses and evaluates queries by recursion on the calling thread's stack and has
no depth limit of its own: 5,000 nested groups, or 50,000 chained operators (``!!!…``,
``1+1+…``, ``… UNION …``), overflow the 8 MB main-thread stack and the process dies with
SIGSEGV, past any Python error handling. Two guards:

- nesting deeper than MAX_NESTING brackets is refused up front, with its position (counted
  over the query's tokens in one pass, so brackets in strings, IRIs and comments do not
  count);
- queries run on a thread with a STACK_BYTES stack (reserved address space; only what is
  used is committed), which holds over 50,000 chained operators and nesting far past the
  limit, so what passes the count cannot overflow it.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.bind import tokens

MAX_NESTING = 200
STACK_BYTES = 512 << 20
_OPEN, _CLOSE = frozenset("({["), frozenset(")}]")

T = TypeVar("T")


def check_nesting(text: str, source: str | None = None) -> None:
    """Raise Mc2cmError, naming line and column, where brackets nest deeper than
    MAX_NESTING."""
    depth = offset = 0
    for kind, token in tokens(text):
        if kind == "other" and token in _OPEN:
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, offset) + 1
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                raise Mc2cmError(f"the query nests brackets more than {MAX_NESTING} deep",
                                 file=source or "<query>", line=line, column=column,
                                 hint="flatten the query: fewer nested { } ( ) [ ] groups")
        elif kind == "other" and token in _CLOSE:
            depth -= 1
        offset += len(token)


def on_big_stack(function: Callable[[], T]) -> T:
    """``function()`` run on a thread with a STACK_BYTES stack; its result or exception."""
    outcome: dict[str, object] = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as err:  # noqa: BLE001 - handed back to the caller below
            _drop_frames(err)
            outcome["error"] = err

    with _STACK_SIZE_LOCK:
        previous = threading.stack_size(STACK_BYTES)
        try:
            worker = threading.Thread(target=target, name="query", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_STACK_SIZE_LOCK = threading.Lock()


def _drop_frames(err: BaseException | None) -> None:
    """Free, on this thread, what the tracebacks of ``err`` and its causes hold: pyoxigraph
    objects may only be dropped on the thread that made them."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if err.__traceback__ is not None:
            traceback.clear_frames(err.__traceback__)
            err.__traceback__ = None
        err = err.__cause__ or err.__context__
