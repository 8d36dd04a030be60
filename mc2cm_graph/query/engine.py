"""Running SPARQL text: on the local pyoxigraph store, or on a remote SPARQL 1.1 endpoint.

Both give a Result of pyoxigraph terms, so formatting and tests see no difference between
them.
"""

from __future__ import annotations

import http.client
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

from mc2cm_graph.graph.errors import EndpointError, Mc2cmError, QueryError
from mc2cm_graph.query.budget import QueryLimits


@dataclass
class Result:
    """A SELECT result (variables + rows of terms, None where unbound), or an ASK answer."""

    variables: list[str]
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None

    def values(self, variable: str) -> list:
        """The plain values (IRI or lexical form) of one column, in row order."""
        return [None if row.get(variable) is None else row[variable].value for row in self.rows]


def _syntax_error(err: SyntaxError, source: str | None) -> Mc2cmError:
    message = err.msg or str(err)
    return QueryError(f"SPARQL syntax error: {message}", file=source, line=err.lineno,
                      column=err.offset, hint="fix the query at that position")


class LocalEngine:
    """SPARQL over a pyoxigraph Store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def select(self, text: str, source: str | None = None) -> Result:
        from mc2cm_graph.query.limits import check_nesting, on_big_stack

        check_nesting(text, source)
        return on_big_stack(lambda: self._select(text, source))

    def _select(self, text: str, source: str | None) -> Result:
        import pyoxigraph as ox

        try:
            answer = self.store.query(text)
            if isinstance(answer, ox.QueryBoolean):
                return Result(["ask"], [], bool(answer))
            if not isinstance(answer, ox.QuerySolutions):
                raise QueryError("only SELECT and ASK queries are supported here", file=source,
                                 hint="for CONSTRUCT or DESCRIBE use a SPARQL endpoint")
            variables = [v.value for v in answer.variables]
            # Solutions are computed while iterated: a SERVICE call can fail here too.
            rows = [{name: solution[name] for name in variables} for solution in answer]
        except SyntaxError as err:
            raise _syntax_error(err, source) from None
        except (OSError, ValueError, TypeError) as err:
            raise QueryError(f"query failed: {err}", file=source,
                             hint="check the query (and any SERVICE it calls)") from None
        return Result(variables, rows)


    def construct(self, text: str, source: str | None = None) -> rdflib.Graph:
        """A CONSTRUCT or DESCRIBE query's answer as an rdflib Graph."""
        from mc2cm_graph.query.limits import check_nesting, on_big_stack

        check_nesting(text, source)
        return on_big_stack(lambda: self._construct(text, source))

    def _construct(self, text: str, source: str | None):
        import pyoxigraph as ox

        try:
            answer = self.store.query(text)
            if not isinstance(answer, ox.QueryTriples):
                raise QueryError("only CONSTRUCT and DESCRIBE queries give a graph",
                                 file=source, hint="use select() for SELECT and ASK")
            data = answer.serialize(format=ox.RdfFormat.N_TRIPLES)
        except SyntaxError as err:
            raise _syntax_error(err, source) from None
        except (OSError, ValueError, TypeError) as err:
            raise QueryError(f"query failed: {err}", file=source,
                             hint="check the query (and any SERVICE it calls)") from None
        return graph_from_rdf(data or b"", "nt")


def graph_from_rdf(data: bytes, fmt: str) -> rdflib.Graph:
    """An rdflib Graph, with the project's prefixes bound, from N-Triples or Turtle bytes."""
    from rdflib import Graph

    from mc2cm_graph.graph.namespaces import bind_prefixes

    return bind_prefixes(Graph()).parse(data=data, format=fmt)


class LimitedEngine:
    """SPARQL over the built graph in a worker process the server's way (query/pool.py):
    stopped at ``timeout`` seconds or past ``memory_mb`` MB with a clear error, instead of
    running for ever or dying with SIGABRT when memory runs out. The worker keeps the
    network (a query of the user's own may call SERVICE)."""

    def __init__(self, dist_dir, limits: QueryLimits | None = None):
        from dataclasses import replace

        from mc2cm_graph.query.pool import QueryPool

        # time and memory as given; the rows and bytes of the answer are not bounded here
        self.limits = replace(limits or QueryLimits(), max_results=10**9, max_bytes=2**62)
        self.pool = QueryPool(dist_dir, workers=1, limits=self.limits, network=True)

    def select(self, text: str, source: str | None = None) -> Result:
        import json

        from mc2cm_graph.query.bind import query_form
        from mc2cm_graph.query.limits import check_nesting
        from mc2cm_graph.query.pool import Job

        check_nesting(text, source)  # the same fence as the local engine (query/limits.py)
        if query_form(text) not in ("SELECT", "ASK"):
            raise QueryError("only SELECT and ASK queries are supported here", file=source,
                             hint="for CONSTRUCT or DESCRIBE use a SPARQL endpoint")
        self.pool.start()
        try:
            answer = self.pool.run(Job(text, "json", None, self.limits))
        except QueryError as err:
            raise self._failed(err, source) from None
        finally:
            self.pool.close()
        return result_from_json(json.loads(answer.body))

    def _failed(self, err: QueryError, source: str | None) -> QueryError:
        lifted = "or pass --no-limits to run without limits"
        if err.kind == "timeout":
            return QueryError(f"the query ran longer than {self.limits.timeout:g} s and was "
                              "stopped", file=source, hint="make it more selective (a LIMIT, "
                              "fewer unbound patterns, shorter paths), raise --timeout, "
                              f"{lifted}", kind=err.kind)
        if err.kind == "out-of-memory":
            return QueryError(f"the query needed more than {self.limits.memory_mb} MB and was "
                              "stopped", file=source, hint="make it more selective, raise "
                              f"--query-memory, {lifted}", kind=err.kind)
        return QueryError(err.message, file=source, hint="fix the query", kind=err.kind)


class BadResults(ValueError):
    """An answer that is not in the SPARQL 1.1 Query Results JSON format."""


_TERM_KINDS = ("uri", "bnode", "literal", "typed-literal")


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _term_from_json(binding, where: str):
    import pyoxigraph as ox

    if not isinstance(binding, dict):
        raise BadResults(f"{where} is {_shown(binding)}, not a term object")
    kind, value = binding.get("type"), binding.get("value")
    if kind not in _TERM_KINDS or not isinstance(value, str):
        raise BadResults(f"{where} needs a \"type\" (uri, bnode or literal) and a string "
                         f"\"value\", got {_shown(binding)}")
    language, datatype = binding.get("xml:lang"), binding.get("datatype")
    try:
        if kind == "uri":
            return ox.NamedNode(value)
        if kind == "bnode":
            return ox.BlankNode(value)
        if language is not None:
            return ox.Literal(value, language=str(language))
        if datatype is not None:
            return ox.Literal(value, datatype=ox.NamedNode(str(datatype)))
        return ox.Literal(value)
    except ValueError as err:  # an IRI with a space, a malformed language tag ...
        raise BadResults(f"{where}: {err} in {_shown(binding)}") from None


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BadResults(message)


def result_from_json(data) -> Result:
    """A Result from the SPARQL 1.1 Query Results JSON format; raises BadResults, naming
    what is wrong, for anything else."""
    _require(isinstance(data, dict), f"the answer is {type(data).__name__}, not a JSON object")
    if "boolean" in data:
        _require(isinstance(data["boolean"], bool), "\"boolean\" is not true or false")
        return Result(["ask"], [], data["boolean"])
    head, results = data.get("head"), data.get("results")
    _require(isinstance(head, dict), "no \"head\" object")
    _require(isinstance(results, dict), "no \"results\" object")
    variables = head.get("vars", [])
    _require(isinstance(variables, list) and all(isinstance(v, str) for v in variables),
             f"\"head\".\"vars\" is {_shown(variables)}, not a list of variable names")
    bindings = results.get("bindings")
    _require(isinstance(bindings, list),
             f"\"results\".\"bindings\" is {_shown(bindings)}, not a list of rows")
    rows = []
    for number, row in enumerate(bindings, 1):
        _require(isinstance(row, dict), f"row {number} is {_shown(row)}, not an object")
        rows.append({name: _term_from_json(row[name], f"row {number}, ?{name}")
                     if name in row else None for name in variables})
    return Result(variables, rows)


class RemoteEngine:
    """SPARQL over HTTP (SPARQL 1.1 Protocol) through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: float = 60):
        from mc2cm_graph.graph.credentials import split_credentials

        # the credentials go to SPARQLWrapper apart; messages show the URL without them
        endpoint, self._user, self._password = split_credentials(endpoint)
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError(f"not an HTTP(S) endpoint URL: {endpoint!r}",
                             hint="give the endpoint's query URL, e.g. http://localhost:7878/query")
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, text: str, source: str | None = None) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        from mc2cm_graph.query.bind import query_form

        form = query_form(text)
        if form not in ("SELECT", "ASK"):
            raise QueryError("only SELECT and ASK queries are supported here", file=source,
                             hint="write a SELECT or ASK query")
        client = SPARQLWrapper(self.endpoint)
        if self._user is not None or self._password is not None:
            client.setCredentials(self._user or "", self._password or "")
        client.setMethod(POST)  # long queries do not fit in a URL
        client.setQuery(text)
        client.queryType = form  # SPARQLWrapper's guess is misled by words in comments
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        try:
            with warnings.catch_warnings():  # its "unknown content type" warning: we say it
                warnings.simplefilter("ignore", RuntimeWarning)
                data = client.queryAndConvert()
        except SPARQLWrapperException as err:
            raise EndpointError(f"the endpoint refused the query: {err}", file=source,
                             hint=f"check the query and the endpoint {self.endpoint}") from None
        except (OSError, http.client.HTTPException) as err:  # URLError, timeouts, not HTTP
            raise EndpointError(f"cannot reach the endpoint {self.endpoint}: {err}",
                             hint="check the URL and that the server is running") from None
        except ValueError as err:  # JSON that does not parse, or not UTF-8
            raise self._bad_answer(f"the answer is not JSON ({err})") from None
        except TypeError:  # SPARQLWrapper's word for JSON that is not an object
            raise self._bad_answer("the answer is JSON, but not an object") from None
        try:
            return result_from_json(data)
        except BadResults as err:
            raise self._bad_answer(str(err)) from None

    def construct(self, text: str, source: str | None = None) -> rdflib.Graph:
        """A CONSTRUCT or DESCRIBE query's answer, asked for as Turtle, as an rdflib Graph."""
        from SPARQLWrapper import POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        from mc2cm_graph.query.bind import query_form

        form = query_form(text)
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("only CONSTRUCT and DESCRIBE queries give a graph", file=source,
                             hint="use select() for SELECT and ASK")
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setQuery(text)
        client.queryType = form
        client.setReturnFormat(TURTLE)
        client.setTimeout(int(self.timeout))
        try:
            response = client.query().response
            data = response.read()
        except SPARQLWrapperException as err:
            raise EndpointError(f"the endpoint refused the query: {err}", file=source,
                                hint=f"check the query and the endpoint {self.endpoint}") from None
        except (OSError, http.client.HTTPException) as err:
            raise EndpointError(f"cannot reach the endpoint {self.endpoint}: {err}",
                                hint="check the URL and that the server is running") from None
        try:
            return graph_from_rdf(data, "turtle")
        except Exception as err:  # rdflib raises several kinds on text that is not Turtle
            raise self._bad_answer(f"the answer is not Turtle ({err})") from None

    def _bad_answer(self, detail: str) -> Mc2cmError:
        return EndpointError(f"the endpoint {self.endpoint} did not answer in SPARQL JSON "
                          f"results: {detail}",
                          hint="check that --endpoint is a SPARQL 1.1 query endpoint (the "
                               "answer must follow https://www.w3.org/TR/sparql11-results-json/)")
