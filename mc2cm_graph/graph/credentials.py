"""Credentials in URLs (``http://user:pass@host/…``): taken out before a URL is shown, and
masked in what a server echoes back.

The authority is found as RFC 3986 reads it (up to the first ``/``, ``?`` or ``#``) and,
for a password typed with a raw ``/`` (``admin:se/cret@host``), up to the last ``@``
before the path: whatever precedes that ``@`` is never shown.
"""

from __future__ import annotations

import re
import urllib.parse

_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::\d*)?|\[[0-9A-Fa-f:.]+\](?::\d*)?")


def without_credentials(url: str) -> str:
    """``url`` with any ``user:pass@`` removed."""
    scheme, sep, rest = url.partition("://")
    at = _authority_at(rest) if sep else -1
    return url if at < 0 else f"{scheme}://{rest[at + 1:]}"


def _authority_at(rest: str) -> int:
    """Index of the ``@`` that ends the userinfo in ``rest`` (the URL after ``://``), or
    -1: the last ``@`` of the authority; else, for a ``user:pa/ss`` typed raw, the last
    ``@`` followed by a host name."""
    at = rest.rfind("@", 0, _path_start(rest, -1))
    if at >= 0:
        return at
    user, colon, _ = rest.partition(":")
    if not colon or any(c in user for c in "/?#@"):
        return -1
    hosts = [i for i, c in enumerate(rest)
             if c == "@" and _HOST.fullmatch(rest[i + 1:_path_start(rest, i)])]
    return hosts[-1] if hosts else -1


def _path_start(rest: str, after: int) -> int:
    """Where the path, query or fragment starts after index ``after``."""
    found = [i for i in (rest.find(c, after + 1) for c in "/?#") if i >= 0]
    return min(found) if found else len(rest)


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(url without credentials, user, password), percent-escapes in them decoded; a raw
    ``/``, ``?`` or ``#`` in the password is read as part of it."""
    scheme, sep, rest = url.partition("://")
    at = _authority_at(rest) if sep else -1
    if at < 0:
        return url, None, None
    user, _, password = rest[:at].partition(":")
    return (f"{scheme}://{rest[at + 1:]}", urllib.parse.unquote(user) or None,
            urllib.parse.unquote(password) if password else None)


def masker(*secrets: str | None):
    """A function that replaces each secret, where it stands as a word of its own, with
    ``***`` (a one-letter password does not turn ``text/turtle`` into ``te***t/turtle``)."""
    words = [re.escape(s) for s in sorted({s for s in secrets if s}, key=len, reverse=True)]
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(words) + r")(?![A-Za-z0-9])")
    return lambda text: pattern.sub("***", text)
