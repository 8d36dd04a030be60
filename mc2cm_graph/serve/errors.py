"""The answer every route gives when it cannot serve a request: a status and a plain-text
message saying why and what to do (shared by the routes, so none imports another)."""

from __future__ import annotations

from http import HTTPStatus

from starlette.responses import PlainTextResponse


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


def busy_headers(retry_after: float | None) -> dict[str, str]:
    return {"Retry-After": str(max(1, round(retry_after)))} if retry_after else {}
