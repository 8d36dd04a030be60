"""The answer every route gives when it cannot serve a request: a status and a plain-text
message saying why and what to do (shared by the routes, so none imports another).

The one place where a QueryError's ``kind`` (graph/errors.py) becomes an HTTP status."""

from __future__ import annotations

from http import HTTPStatus

from starlette.responses import PlainTextResponse

from mc2cm_graph.graph.errors import QueryError

# QueryError.kind → HTTP status (every kind in graph/errors.QUERY_ERROR_KINDS).
QUERY_ERROR_STATUS = {
    "invalid": 400,
    "forbidden": 403,
    "too-long": 413,
    "not-acceptable": 406,
    "too-large": 422,
    "busy": 503,
    "timeout": 503,
    "out-of-memory": 503,
    "failed": 500,
}


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def plain(status: int, message: str, headers: dict[str, str] | None = None):
    """``403 Forbidden: SERVICE is not allowed here ...`` as text/plain."""
    text = f"{HTTPStatus(status).phrase}: {message.rstrip()}\n"
    return PlainTextResponse(text, status_code=status, headers=headers)


def from_query_error(err: QueryError) -> HttpError:
    """The HTTP answer to a query that cannot be answered (with Retry-After when the
    error says when to retry)."""
    return HttpError(QUERY_ERROR_STATUS[err.kind], err.message, busy_headers(err.retry_after))


def busy_headers(retry_after: float | None) -> dict[str, str]:
    return {"Retry-After": str(max(1, round(retry_after)))} if retry_after else {}
