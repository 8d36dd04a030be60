"""The errors a user can get: one tree, each carrying where it happened and how to fix it.

    Mc2cmError                  anything the user can fix (message, file:line:col, hint)
    ├── DataError               the project's files cannot be read or are not well formed
    │   └── ValidationError     the data breaks a SHACL shape or a QC rule
    ├── QueryError              a SPARQL query cannot run (syntax, limits, unsupported form);
    │   │                       its ``kind`` says which (QUERY_ERROR_KINDS)
    │   ├── ParameterError      a saved query's parameter is unknown, missing or invalid
    │   └── EndpointError       a remote endpoint cannot be reached or answers badly
    └── OutputError             a file or folder cannot be written (disk, permissions, --out)

The CLI prints any of them as ``file:line:col: message`` plus the hint and exits with
``exit_code``. The server maps a QueryError's ``kind`` to an HTTP status in one place
(serve/errors.py); no error here carries a status. Between the server and its query
worker processes errors travel as the plain dataclass messages of query/pool.py.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass
class Mc2cmError(Exception):
    """A user-facing error: what went wrong, where, and what to do about it."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    exit_code: int = 2

    def location(self) -> str:
        parts = [str(self.file)] if self.file else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text


class DataError(Mc2cmError):
    """The project's files (ontology, data, vocabularies) cannot be read or parsed."""


class ValidationError(DataError):
    """The data breaks a SHACL shape or a QC rule; the message holds the report."""


QueryErrorKind = Literal["invalid", "forbidden", "too-long", "not-acceptable", "too-large",
                         "busy", "timeout", "out-of-memory", "failed"]
# What each kind of QueryError means (the server answers each with its own HTTP status).
QUERY_ERROR_KINDS: dict[str, str] = {
    "invalid": "the text is not a query that can be read (syntax, nesting, escapes)",
    "forbidden": "a form this place does not run (SERVICE, FROM, SPARQL Update)",
    "too-long": "the query text is too long, or takes too long, to read",
    "not-acceptable": "the answer's form is not among the formats the client accepts",
    "too-large": "the answer passes the row, triple or byte limit",
    "busy": "no query worker became free in time (retry after ``retry_after`` s)",
    "timeout": "the query ran past its time limit and was stopped",
    "out-of-memory": "the query needed more memory (or stack) than a query may have",
    "failed": "the query engine failed while running the query",
}


@dataclass
class QueryError(Mc2cmError):
    """A SPARQL query cannot run: a syntax error, a refused form, a limit reached.

    ``kind`` is one of QUERY_ERROR_KINDS; ``retry_after`` (seconds), when set, is how long
    to wait before trying again."""

    kind: QueryErrorKind = "invalid"
    retry_after: float | None = None


class ParameterError(QueryError):
    """A saved query's parameter is unknown, missing or has a value it does not accept."""


class EndpointError(QueryError):
    """A remote SPARQL endpoint cannot be reached, refuses the query or answers badly."""


class OutputError(Mc2cmError):
    """A file or folder cannot be written: the disk, permissions, or the output folder."""


# What to do about an operating-system error, by errno (the message says what happened).
_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or write to another disk",
    errno.EDQUOT: "your disk quota is used up: free some space, or write elsewhere",
    errno.EACCES: "you may not write or read there: choose a folder you own, or fix its "
                  "permissions",
    errno.EPERM: "the system refused the operation: choose a folder you own, or fix its "
                 "permissions",
    errno.EROFS: "that file system is read-only: choose a folder on a writable disk",
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "a file is in the way where a folder is expected: check the path",
    errno.EISDIR: "a folder is in the way where a file is expected: check the path",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and try again",
    errno.ENAMETOOLONG: "use a shorter path",
}


def from_os_error(err: OSError, doing: str = "") -> Mc2cmError:
    """An operating-system error (disk full, permission, missing path) as an Mc2cmError."""
    what = err.strerror or str(err) or type(err).__name__
    message = f"{doing} failed: {what}" if doing else what
    return Mc2cmError(message, file=err.filename,
                      hint=_OS_HINTS.get(err.errno, "check the path and try again"))


def user_error(exc: BaseException) -> Mc2cmError | None:
    """The Mc2cmError a command shows for an expected failure that reached it unconverted
    (a network, disk, encoding or size-limit error), or None for a programming error."""
    import http.client
    import urllib.error

    if isinstance(exc, Mc2cmError):
        return exc
    if isinstance(exc, urllib.error.HTTPError):
        return Mc2cmError(f"the server answered HTTP {exc.code} {exc.reason} ({exc.url})",
                          hint="check the URL and the server's log")
    if isinstance(exc, urllib.error.URLError):
        return Mc2cmError(f"cannot reach the server: {exc.reason}",
                          hint="check the URL and that the server is running")
    if isinstance(exc, http.client.HTTPException):
        return Mc2cmError(f"the server's answer is not valid HTTP ({type(exc).__name__})",
                          hint="check the URL points at the right server and port")
    if isinstance(exc, TimeoutError):
        return Mc2cmError("the server did not answer in time", hint="try again later")
    if isinstance(exc, ConnectionError):
        return Mc2cmError(f"the network connection failed: {exc.strerror or exc}",
                          hint="check the URL and that the server is running")
    if isinstance(exc, OSError):
        return from_os_error(exc)
    if isinstance(exc, MemoryError):
        return Mc2cmError(f"out of memory, or over a size limit: {exc or 'no detail'}",
                          hint="use a smaller input, or a machine with more memory")
    if isinstance(exc, RecursionError):
        return Mc2cmError("the input is nested too deeply to process",
                          hint="flatten the nesting of the input")
    if isinstance(exc, UnicodeDecodeError):
        return Mc2cmError(f"the input is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} "
                          f"at byte {exc.start})", hint="save the input as UTF-8")
    if isinstance(exc, UnicodeEncodeError):
        return Mc2cmError(f"the output cannot show the character U+{ord(exc.object[exc.start]):04X}"
                          f" in the {exc.encoding} encoding",
                          hint="use a UTF-8 terminal (e.g. LANG=C.UTF-8) or set "
                               "PYTHONIOENCODING=utf-8")
    return None
