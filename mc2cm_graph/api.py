"""The public Python API: the release as a researcher uses it, in a notebook or a script.

>>> import mc2cm_graph as mc
>>> release = mc.load()                       # dist/ when it is current, else built in memory
>>> table = release.query("programmes-by-target", target="10.7")
>>> len(table), table.variables[:3]
(6, ['position', 'programme', 'title'])
>>> table[0]["title"], table[0]["position"]
('ACMALS', 1)

``release.sparql(text)`` runs any query: a SELECT gives a :class:`Table`, an ASK a ``bool``,
a CONSTRUCT or DESCRIBE an ``rdflib.Graph``. ``mc.connect(url)`` gives an :class:`Endpoint`
with the same calls over any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, our own
``mc2cm-graph serve``), so a notebook moves from the embedded store to a server unchanged.
Every error is an :class:`~mc2cm_graph.graph.errors.Mc2cmError` (the tree is drawn in
that module).
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mc2cm_graph.graph.errors import Mc2cmError, QueryError
from mc2cm_graph.query.engine import LocalEngine, RemoteEngine, Result

if TYPE_CHECKING:
    import pandas
    import pyoxigraph
    import rdflib

__all__ = ["Table", "SavedQueryInfo", "Release", "Endpoint", "load", "connect",
           "saved_queries"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
             "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
             "unsignedLong", "unsignedShort", "unsignedByte")
_CONVERTERS: dict[str, Any] = {
    **{_XSD + name: int for name in _INTEGERS},
    _XSD + "decimal": Decimal,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda text: text.strip() in ("true", "1"),
    _XSD + "date": datetime.date.fromisoformat,
}

#: What a row holds for one variable: an IRI or a literal's value, or None when unbound.
Value = str | int | float | Decimal | bool | datetime.date | None


def python_value(term: Any) -> Value:
    """A pyoxigraph term as a Python value: numbers, booleans and dates converted, IRIs,
    blank nodes and other literals as their string; None for an unbound variable."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    convert = _CONVERTERS.get(datatype.value) if datatype is not None else None
    if convert is not None:
        try:
            return convert(term.value)  # type: ignore[no-any-return]
        except (ValueError, ArithmeticError):  # an ill-typed literal stays as written
            return str(term.value)
    return str(term.value)


class Table:
    """A SELECT query's answer: ``variables`` and ``rows`` of Python values (see
    :func:`python_value`); ``terms`` keeps the RDF terms (language tags, datatypes).

    Iterating gives the rows as dicts; ``to_pandas()``, ``to_csv()`` and, in a notebook,
    an HTML table (Arabic shown right to left) give the other usual shapes."""

    def __init__(self, result: Result):
        self.terms = result
        self.variables: list[str] = list(result.variables)
        self.rows: list[dict[str, Value]] = [
            {name: python_value(row.get(name)) for name in self.variables}
            for row in result.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict[str, Value]:
        return self.rows[index]

    def __repr__(self) -> str:
        return f"<Table {len(self.rows)} rows × {', '.join(self.variables)}>"

    def column(self, variable: str) -> list[Value]:
        """The values of one variable, in row order."""
        if variable not in self.variables:
            raise QueryError(f"no variable {variable!r} in this table",
                             hint=f"the variables are {', '.join(self.variables)}")
        return [row[variable] for row in self.rows]

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (pandas is the optional extra ``[pandas]``)."""
        try:
            import pandas
        except ImportError:
            raise Mc2cmError("pandas is not installed",
                             hint="pip install 'mc2cm-graph[pandas]'") from None
        return pandas.DataFrame.from_records(self.rows, columns=self.variables)

    def to_csv(self, path: str | Path | None = None, *, bom: bool = False) -> str:
        """The table as CSV (RFC 4180; IRIs and lexical forms as the CLI writes them).
        Written to ``path`` too when given; ``bom`` starts it with a UTF-8 byte order
        mark, which Excel needs to read Arabic."""
        from mc2cm_graph.query.format import format_result

        text = format_result(self.terms, "csv")
        if path is not None:
            Path(path).write_text(("\ufeff" if bom else "") + text, encoding="utf-8",
                                  newline="")
        return text

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>" + "".join(f'<td dir="auto">{html.escape(_shown(row[v]))}</td>'
                             for v in self.variables) + "</tr>"
            for row in self.rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _shown(value: Value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class SavedQueryInfo:
    """A saved query of ``queries/``: its name, what it answers, and its parameters."""

    name: str
    summary: str
    description: str
    parameters: tuple[str, ...]
    required: tuple[str, ...]


def saved_queries() -> list[SavedQueryInfo]:
    """The saved queries that :meth:`Release.query` and :meth:`Endpoint.query` run."""
    from mc2cm_graph.query.saved import load_catalogue

    return [SavedQueryInfo(q.name, q.summary, q.description,
                           tuple(p.name for p in q.params),
                           tuple(p.name for p in q.params if p.required))
            for q in load_catalogue().values()]


class _Queryable:
    """What a release and an endpoint share: saved queries and any SPARQL."""

    _engine: LocalEngine | RemoteEngine

    def queries(self) -> list[SavedQueryInfo]:
        """The saved queries (``mc2cm-graph queries`` lists the same)."""
        return saved_queries()

    def query(self, name: str, *, lang: str | None = None, **params: object) -> Table:
        """Run the saved query ``name`` with its parameters (as the CLI's ``--param``:
        ``target="10.7"``, ``place="عمّان"``); ``lang`` chooses the labels' language."""
        from mc2cm_graph.query.run import run_query

        values = {key: str(value) for key, value in params.items()}
        return Table(run_query(name, values, lang=lang, engine=self._engine))

    def sparql(self, text: str) -> Table | bool | rdflib.Graph:
        """Run any query: SELECT → Table, ASK → bool, CONSTRUCT/DESCRIBE → rdflib Graph."""
        from mc2cm_graph.query.bind import query_form

        if not text.strip():
            raise QueryError("the query is empty", hint="write a SELECT, ASK or CONSTRUCT")
        if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
            graph: rdflib.Graph = self._engine.construct(text)
            return graph
        result = self._engine.select(text)
        if result.boolean is not None:
            return result.boolean
        return Table(result)


class Release(_Queryable):
    """The release in an embedded pyoxigraph store: ``store`` (pyoxigraph), ``graph``
    (rdflib over the same store, no copy), and the query calls of :class:`_Queryable`.
    ``origin`` says where it came from: the release file read, or "built in memory"."""

    def __init__(self, store: pyoxigraph.Store, origin: str):
        self.store = store
        self.origin = origin
        self._engine = LocalEngine(store)

    def __repr__(self) -> str:
        return f"<Release {len(self.store)} triples, {self.origin}>"

    @property
    def graph(self) -> rdflib.Graph:
        """An rdflib Graph over the store (oxrdflib): rdflib's API with no copy."""
        import rdflib
        from oxrdflib import OxigraphStore

        from mc2cm_graph.graph.namespaces import bind_prefixes

        return bind_prefixes(rdflib.Graph(store=OxigraphStore(store=self.store),
                                          identifier=rdflib.graph.DATASET_DEFAULT_GRAPH_ID))


class Endpoint(_Queryable):
    """A remote SPARQL 1.1 endpoint with the same query calls as a :class:`Release`."""

    def __init__(self, url: str, timeout: float = 60):
        self.url = url
        self._engine = RemoteEngine(url, timeout=timeout)

    def __repr__(self) -> str:
        return f"<Endpoint {self.url}>"


def load(dist: str | Path | None = None, *, data: str | Path | None = None,
         reason: bool = False, external: bool = False) -> Release:
    """The release, ready to query.

    - ``dist``: a built release folder to read (``mc2cm-graph build --out``); by default
      ``dist/`` when it is current (no source newer than it), else
    - the project (or the folder ``data``) loaded, validated (a
      :class:`~mc2cm_graph.graph.errors.ValidationError` if it breaks a shape), reasoned
      over when ``reason`` (the OWL-RL entailments of ``build --reason``), in memory.
    - ``external``: add the facts from outside the brochure, one named graph per source
      (query them with ``GRAPH ?source { … }``).
    """
    from mc2cm_graph.build import newer_source
    from mc2cm_graph.query.dist import open_store, release_file

    if dist is None and data is None and not reason:
        target = release_file(None)
        if target.is_file() and newer_source(target) is None:
            dist = target.parent
    if dist is not None:
        release = Release(open_store(dist), f"read from {release_file(dist)}")
        external_file: Path | None = Path(dist) / "mc2cm-external.trig"
    else:
        release, external_file = _built_in_memory(data, reason)
    if external:
        _add_external(release.store, external_file)
    return release


def _built_in_memory(data: str | Path | None, reason: bool) -> tuple[Release, Path | None]:
    import pyoxigraph as ox

    from mc2cm_graph.build import validated_project
    from mc2cm_graph.export.external import external_facts_file
    from mc2cm_graph.export.pipeline import prepare_release
    from mc2cm_graph.graph.store import RELEASE_GRAPHS

    project = prepare_release(validated_project(Path(data) if data else None, reason=reason))
    store = ox.Store()
    for graph in RELEASE_GRAPHS:  # the release's graphs, as dist/mc2cm.ttl holds them
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in project.quads(graph))
    origin = f"built in memory from {data or 'the project'}" + (" with reasoning" if reason
                                                                 else "")
    return Release(store, origin), external_facts_file(project)


def _add_external(store: pyoxigraph.Store, path: Path | None) -> None:
    from mc2cm_graph.query.dist import load_external

    if path is None:
        raise Mc2cmError("no facts from outside the brochure to add",
                         hint="build the release (mc2cm-graph build), or load without "
                              "external=True")
    load_external(store, path)


def connect(url: str, *, timeout: float = 60) -> Endpoint:
    """A remote SPARQL 1.1 endpoint (its query URL), queried with the same calls as
    :func:`load`'s release."""
    return Endpoint(url, timeout)

