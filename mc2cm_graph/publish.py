"""Load the built graph into a remote triple store with the SPARQL 1.1 Graph Store HTTP
Protocol: one HTTP PUT that replaces the whole target graph (``?graph=IRI`` or
``?default``). Stores that apply a PUT in one transaction (Oxigraph, Fuseki) keep the old
graph if the upload fails half-way.

Credentials (options or MC2CM_STORE_USER / MC2CM_STORE_PASSWORD, or ``user:pass@`` in the
URL) go into the Authorization header only: every message this module produces shows the
URL without them, and any echo of them from the server is masked. They are sent as HTTP
Basic, or as HTTP Digest to a store that asks for it (Virtuoso's /sparql-graph-crud-auth).
"""

from __future__ import annotations

import base64
import http.client
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.graph.credentials import masker, split_credentials, without_credentials
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.iris import ID

DEFAULT_GRAPH = ID + "graph/mc2cm"
# A query endpoint URL given by mistake maps to the same server's Graph Store endpoint.
_QUERY_TO_STORE = {"query": "store", "update": "store", "sparql": "data"}
# Virtuoso: its query endpoint and its anonymous (read-only) Graph Store endpoint, at the
# server's root, map to the authenticated Graph Store endpoint.
_VIRTUOSO_STORE = "/sparql-graph-crud-auth"
_TO_VIRTUOSO_STORE = ("/sparql", "/sparql-graph-crud")


@dataclass(frozen=True)
class Target:
    """Where to PUT, with the credentials kept apart from anything printable."""

    endpoint: str  # Graph Store endpoint, no credentials
    graph: str | None  # None: the default graph
    user: str | None = None
    password: str | None = None

    def url(self) -> str:
        query = "default" if self.graph is None else urllib.parse.urlencode({"graph": self.graph})
        return f"{self.endpoint}?{query}"

    def shown_graph(self) -> str:
        return "the default graph" if self.graph is None else f"graph <{self.graph}>"


@dataclass(frozen=True)
class PublishResult:
    target: Target
    triples: int
    status: int


def graph_store_endpoint(url: str) -> tuple[str, str | None, str | None]:
    """(endpoint without credentials, user, password) for a --store URL.

    ``http://host:7878`` (Oxigraph's root) -> ``/store``; ``.../query`` -> ``.../store``;
    ``.../ds/sparql`` -> ``.../ds/data``; ``http://host:8890/sparql`` (Virtuoso) ->
    ``/sparql-graph-crud-auth``; ``.../store``, ``.../ds/data`` and anything else are used
    as given."""
    url, user, password = split_credentials(url)
    parts = _split(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Mc2cmError(f"not an http(s) URL: {without_credentials(url)}",
                         hint="give the store's Graph Store endpoint, e.g. "
                              "http://localhost:7878/store or http://localhost:3030/ds/data")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if not path:
        path = "/store"
    elif path in _TO_VIRTUOSO_STORE:
        path = _VIRTUOSO_STORE
    elif last in _QUERY_TO_STORE:
        path = f"{head}/{_QUERY_TO_STORE[last]}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, "", "")), user, password


def _split(url: str) -> urllib.parse.SplitResult:
    """``url`` split, with a port out of range or a broken IPv6 address refused clearly."""
    url = split_credentials(url)[0]  # a password may hold a raw / that urlsplit misreads
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.port == 0:
            raise ValueError("port 0")
    except ValueError as err:
        raise Mc2cmError(f"not a valid store URL: {without_credentials(url)} ({err})",
                         hint="give the store's Graph Store endpoint, e.g. "
                              "http://localhost:7878/store (a port is 1 to 65535)") from None
    return parts


def graph_for(store_url: str, option: str | None) -> str | None:
    """The graph to replace (None: the default graph), from ``--graph`` (``option``: an IRI,
    "default", or None when not given) and a ``?graph=IRI`` or ``?default`` in the URL;
    the two must agree, and the URL may carry nothing else."""
    query = _split(store_url).query
    from_option = DEFAULT_GRAPH if option is None else (None if option == "default" else option)
    if not query:
        return from_option
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    if pairs == [("default", "")]:
        from_url = None
    elif len(pairs) == 1 and pairs[0][0] == "graph" and pairs[0][1]:
        from_url = pairs[0][1]
    else:
        raise Mc2cmError(f"the --store URL has a query part publish does not understand: "
                         f"?{query}", hint="give the endpoint without it, and name the graph "
                                           "with --graph IRI (or --graph default)")
    if option is not None and from_option != from_url:
        raise Mc2cmError(f"the --store URL names {'?' + query} but --graph says {option}",
                         hint="name the graph once, with --graph")
    return from_url


def make_target(store_url: str, graph: str | None = DEFAULT_GRAPH, user: str | None = None,
                password: str | None = None) -> Target:
    endpoint, url_user, url_password = graph_store_endpoint(store_url)
    if graph is None and urllib.parse.urlsplit(endpoint).path.endswith(_VIRTUOSO_STORE):
        raise Mc2cmError("--graph default does not apply to Virtuoso: it has no separate "
                         "default graph (its /sparql endpoint reads the union of all graphs)",
                         hint=f"leave --graph out (the graph goes into <{DEFAULT_GRAPH}>, "
                              "which the saved queries find without a FROM), or name "
                              "another graph with --graph IRI")
    for name, value in (("--user", user or url_user), ("the password", password or url_password)):
        if value is not None and any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            raise Mc2cmError(f"{name} holds a control character (a line break?), which no "
                             "HTTP header may carry", hint="give the user name and password "
                             "without line breaks or other control characters")
    if graph is not None and (not urllib.parse.urlsplit(graph).scheme or " " in graph):
        raise Mc2cmError(f"--graph must be an absolute IRI, got {graph!r}",
                         hint=f"e.g. {DEFAULT_GRAPH}, or --graph default")
    return Target(endpoint, graph, user or url_user, password or url_password)


def _masker(target: Target):
    return masker(target.password, _basic(target))


def _basic(target: Target) -> str | None:
    if target.user is None and target.password is None:
        return None
    raw = f"{target.user or ''}:{target.password or ''}".encode()
    return base64.b64encode(raw).decode("ascii")


def publish(source: Path, target: Target, *, timeout: float = 60.0) -> PublishResult:
    """PUT ``source`` (Turtle) into ``target``; raise Mc2cmError with a clear message."""
    source = Path(source)
    if not source.is_file():
        raise Mc2cmError("built graph not found", file=source,
                         hint="run `mc2cm-graph build` first (or pass --dist DIR)")
    _check_timeout(timeout)
    body = source.read_bytes()
    triples = _count_triples(source, body)
    request = urllib.request.Request(target.url(), data=body, method="PUT", headers={
        "Content-Type": "text/turtle; charset=utf-8", "Content-Length": str(len(body))})
    mask = _masker(target)
    where = f"{target.endpoint} ({target.shown_graph()})"
    try:
        authorization = _authorization(target, request, timeout)
        if authorization:
            request.add_header("Authorization", authorization)
        with _open(request, timeout=timeout) as response:
            _check_confirmation(response, target, where, timeout)
            return PublishResult(target, triples, response.status)
    except urllib.error.HTTPError as err:
        raise _http_error(err, where, mask) from None
    except TimeoutError:
        raise Mc2cmError(f"the store at {where} did not answer within {timeout:g} s; "
                         "nothing is known to have changed",
                         hint="check the store is healthy, or raise --timeout") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise Mc2cmError(f"the store at {where} did not answer within {timeout:g} s",
                             hint="check the store is healthy, or raise --timeout") from None
        if isinstance(reason, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            raise _cut_off(where, reason) from None
        if isinstance(reason, ConnectionRefusedError):
            raise Mc2cmError(f"cannot connect to the store at {target.endpoint}: connection "
                             "refused", hint="is the store running? check the --store URL "
                             "(host and port)") from None
        raise Mc2cmError(f"cannot reach the store at {target.endpoint}: "
                         f"{mask(str(reason))}", hint="check the --store URL") from None
    except http.client.RemoteDisconnected as err:  # closed without answering
        raise _cut_off(where, err) from None
    except http.client.HTTPException as err:  # bytes that are not an HTTP response
        raise Mc2cmError(f"the server at {target.endpoint} did not answer in HTTP "
                         f"({type(err).__name__}): it is not a Graph Store endpoint",
                         hint="check the --store URL's host and port") from None
    except (ConnectionError, OSError) as err:
        raise _cut_off(where, err) from None


class Redirected(Mc2cmError):
    """The store answered with a redirect: publish follows none (credentials would go
    along, and another server's answer would be taken for the store's)."""


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = without_credentials(urllib.parse.urljoin(req.full_url, newurl))
        raise Redirected(f"the store at {without_credentials(req.full_url)} answered "
                         f"{req.get_method()} with a redirect (HTTP {code}) to {target}; "
                         "publish follows no redirect, so nothing is known to have been "
                         "stored and no credentials went there",
                         hint="give the store's own Graph Store endpoint URL (the one it "
                              "redirects to, if you trust it) as --store")


_OPENER = urllib.request.build_opener(_RefuseRedirects)


def _open(request, timeout: float):
    """urlopen, but a redirect is an error (Redirected), never followed."""
    return _OPENER.open(request, timeout=timeout)


def _check_timeout(timeout: float) -> None:
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise Mc2cmError(f"the timeout must be a positive number of seconds, got {timeout!r}",
                         hint="e.g. --timeout 60")


# A Graph Store answers a PUT with 201 Created or 204 No Content, or 200 with a short
# report; a web page in answer means the URL is a site, not a store.
_CONFIRMING = (200, 201, 204)


def _looks_like_html(content_type: str, start: bytes) -> bool:
    if content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml"):
        return True
    return start.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html"))


def _check_confirmation(response, target: Target, where: str, timeout: float) -> None:
    """Raise unless ``response`` is how a Graph Store confirms a PUT. An HTML answer is
    accepted only if the store then gives the graph back (some stores answer PUT with a
    small HTML page)."""
    if response.status not in _CONFIRMING:
        raise Mc2cmError(f"the server at {where} answered HTTP {response.status} "
                         f"{response.reason}, not a Graph Store's confirmation (200, 201 or "
                         "204): the upload is not known to have been stored",
                         hint="check the --store URL is the store's Graph Store endpoint")
    if not _looks_like_html(response.headers.get("Content-Type", ""), response.read(512)):
        return
    if not _serves_graph(target, timeout):
        raise Mc2cmError(f"the server at {where} answered HTTP {response.status} with a web "
                         "page and does not give the graph back: it is not a Graph Store "
                         "endpoint, and nothing is known to have been stored",
                         hint="give the store's Graph Store endpoint, e.g. "
                              "http://localhost:7878/store (Oxigraph) or "
                              "http://localhost:3030/ds/data (Fuseki)")


def _serves_graph(target: Target, timeout: float) -> bool:
    """Whether a HEAD of the target graph is answered with RDF (Graph Store Protocol §5.4);
    a GET, of which only the headers are read, where HEAD is not implemented (Virtuoso)."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(target.url(), method=method, headers={
            "Accept": "text/turtle, application/n-triples"})
        try:
            authorization = _authorization(target, request, timeout)
            if authorization:
                request.add_header("Authorization", authorization)
            with _open(request, timeout=timeout) as answer:
                kind = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return bool(kind) and not _looks_like_html(kind, b"")
        except urllib.error.HTTPError as err:
            if err.code not in (405, 501):
                return False
        except Redirected:
            raise
        except (OSError, http.client.HTTPException, Mc2cmError):
            return False
    return False


def _authorization(target: Target, request: urllib.request.Request,
                   timeout: float) -> str | None:
    """The Authorization header for the PUT: Digest for a store that asks for it, else Basic.

    With credentials, the store is asked first with a body-less HEAD: Virtuoso challenges
    with Digest, answering 401 and closing the connection before reading a body, so the
    standard library's retry after a 401 (which re-sends the whole graph) would end in a
    broken pipe. The digest itself is computed by urllib's HTTPDigestAuthHandler."""
    if target.user is None and target.password is None:
        if urllib.parse.urlsplit(target.endpoint).path.endswith(_VIRTUOSO_STORE):
            raise Mc2cmError(f"Virtuoso's Graph Store endpoint {target.endpoint} needs "
                             "credentials", hint="give --user and MC2CM_STORE_PASSWORD (the "
                             "user of docs/server.md's Virtuoso recipe)")
        return None
    challenge = _digest_challenge(_head(target.url(), None, timeout))
    if challenge is None:
        return f"Basic {_basic(target)}"
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, target.endpoint, target.user or "", target.password or "")
    digest = urllib.request.HTTPDigestAuthHandler(passwords)
    # The credentials are checked with a second HEAD: to a refused PUT Virtuoso would again
    # answer before reading the graph, which the client sees as a broken pipe, not a 401.
    head = urllib.request.Request(target.url(), method="HEAD")
    answer = digest.get_authorization(head, challenge)
    if answer is None:
        raise Mc2cmError(f"the store at {target.endpoint} asks for HTTP Digest with "
                         f"algorithm {challenge.get('algorithm')}, which is not supported",
                         hint="configure the store for MD5 or SHA-256 Digest, or Basic")
    refusal = _head(target.url(), f"Digest {answer}", timeout)
    if refusal is not None and refusal.code == 401:
        raise refusal
    return "Digest " + digest.get_authorization(request, challenge)


def _head(url: str, authorization: str | None, timeout: float) -> urllib.error.HTTPError | None:
    """A body-less HEAD to ``url``: the store's error answer, or None."""
    probe = urllib.request.Request(url, method="HEAD")
    if authorization:
        probe.add_header("Authorization", authorization)
    try:
        with _open(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as err:
        return err


def _digest_challenge(answer: urllib.error.HTTPError | None) -> dict | None:
    """The parameters of a 401's Digest challenge (None: no Digest asked for)."""
    if answer is None or answer.code != 401:
        return None
    scheme, _, params = (answer.headers.get("WWW-Authenticate") or "").partition(" ")
    if scheme.lower() != "digest":
        return None
    return urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))


def _cut_off(where: str, err: BaseException) -> Mc2cmError:
    return Mc2cmError(f"the upload to {where} was cut off ({type(err).__name__}) before the "
                      "store confirmed it; a store that applies PUT in one transaction "
                      "(Oxigraph, Fuseki) keeps its previous graph",
                      hint="publish again once the connection is stable")


def _http_error(err: urllib.error.HTTPError, where: str, mask) -> Mc2cmError:
    try:
        body = err.read(4000)
    except Exception:  # noqa: BLE001 - the status is enough
        body = b""
    detail = body.decode("utf-8", "replace").strip()
    if _looks_like_html(err.headers.get("Content-Type", "") if err.headers else "", body):
        detail = _html_text(detail)  # a store's error page: its words, not its markup
    detail = mask(detail[:500])
    hints = {
        401: "give credentials: --user and MC2CM_STORE_PASSWORD (or --password), or check "
             "them",
        403: "these credentials may not write to this store",
        404: "no Graph Store endpoint there: Oxigraph's is http://HOST:7878/store, "
             "Fuseki's http://HOST:3030/DATASET/data",
        405: "this URL does not accept PUT: give the Graph Store endpoint, not the query one",
    }
    return Mc2cmError(f"the store at {where} refused the upload: HTTP {err.code} {err.reason}"
                      + (f": {detail}" if detail else ""),
                      hint=hints.get(err.code, "see the store's log"))


def _html_text(page: str) -> str:
    """The visible text of an HTML page (title and body; no scripts or styles), in one line."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.words: list[str] = []
            self._hidden = 0

        def handle_starttag(self, tag, attrs):
            self._hidden += tag in ("script", "style")

        def handle_endtag(self, tag):
            self._hidden -= tag in ("script", "style") and self._hidden > 0

        def handle_data(self, data):
            if not self._hidden:
                self.words += data.split()

    parser = Text()
    parser.feed(page)
    parser.close()
    return " ".join(parser.words)


def _count_triples(path: Path, body: bytes) -> int:
    import pyoxigraph as ox

    try:
        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
    except SyntaxError as err:
        raise Mc2cmError(f"the built graph does not parse: {err.msg}", file=path,
                         line=err.lineno, hint="rebuild it with `mc2cm-graph build`") from None
