"""Running SPARQL text: on the local pyoxigraph store, or on a remote SPARQL 1.1 endpoint.

Both give a Result of pyoxigraph terms, so formatting and tests see no difference between
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mc2cm_graph.graph.errors import Mc2cmError


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
    return Mc2cmError(f"SPARQL syntax error: {message}", file=source, line=err.lineno,
                      column=err.offset, hint="fix the query at that position")


class LocalEngine:
    """SPARQL over a pyoxigraph Store."""

    def __init__(self, store):
        self.store = store

    def select(self, text: str, source: str | None = None) -> Result:
        import pyoxigraph as ox

        try:
            answer = self.store.query(text)
        except SyntaxError as err:
            raise _syntax_error(err, source) from None
        except (OSError, ValueError, TypeError) as err:
            raise Mc2cmError(f"query failed: {err}", file=source) from None
        if isinstance(answer, ox.QueryBoolean):
            return Result(["ask"], [], bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise Mc2cmError("only SELECT and ASK queries are supported here", file=source,
                             hint="for CONSTRUCT or DESCRIBE use a SPARQL endpoint")
        variables = [v.value for v in answer.variables]
        rows = [{name: solution[name] for name in variables} for solution in answer]
        return Result(variables, rows)


def _term_from_json(binding: dict):
    import pyoxigraph as ox

    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


def result_from_json(data: dict) -> Result:
    """A Result from the SPARQL 1.1 Query Results JSON format."""
    if "boolean" in data:
        return Result(["ask"], [], bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = [{name: _term_from_json(b[name]) if name in b else None for name in variables}
            for b in data.get("results", {}).get("bindings", [])]
    return Result(variables, rows)


class RemoteEngine:
    """SPARQL over HTTP (SPARQL 1.1 Protocol) through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: float = 60):
        if not endpoint.startswith(("http://", "https://")):
            raise Mc2cmError(f"not an HTTP(S) endpoint URL: {endpoint!r}",
                             hint="give the endpoint's query URL, e.g. http://localhost:7878/query")
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, text: str, source: str | None = None) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        from mc2cm_graph.query.bind import query_form

        form = query_form(text)
        if form not in ("SELECT", "ASK"):
            raise Mc2cmError("only SELECT and ASK queries are supported here", file=source,
                             hint="write a SELECT or ASK query")
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)  # long queries do not fit in a URL
        client.setQuery(text)
        client.queryType = form  # SPARQLWrapper's guess is misled by words in comments
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        try:
            data = client.queryAndConvert()
        except SPARQLWrapperException as err:
            raise Mc2cmError(f"the endpoint refused the query: {err}", file=source,
                             hint=f"check the query and the endpoint {self.endpoint}") from None
        except OSError as err:  # URLError, timeouts, refused connections
            raise Mc2cmError(f"cannot reach the endpoint {self.endpoint}: {err}",
                             hint="check the URL and that the server is running") from None
        if not isinstance(data, dict):
            raise Mc2cmError(f"the endpoint {self.endpoint} did not answer in SPARQL JSON",
                             hint="only SELECT and ASK queries are supported here")
        return result_from_json(data)
