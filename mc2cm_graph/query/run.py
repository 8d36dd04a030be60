"""Saved queries end to end: pick one from the catalogue, validate and bind its parameters,
run it on the local store or a remote endpoint. Formatting lives in query/format.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from mc2cm_graph.graph.errors import ParameterError, QueryError
from mc2cm_graph.query.bind import substitute, term_for
from mc2cm_graph.query.budget import QueryLimits
from mc2cm_graph.query.engine import LocalEngine, RemoteEngine, Result
from mc2cm_graph.query.params import KNOWN_QUERIES, VALIDATORS
from mc2cm_graph.query.saved import SavedQuery, get_query, load_catalogue

__all__ = ["bind", "engine_for", "load_catalogue", "get_query", "run_query", "run_sparql",
           "Result", "parse_assignments"]


def engine_for(dist_dir: Path | str | None = None, endpoint: str | None = None,
               with_external: bool = False):
    """A remote engine if an endpoint is given, else the local store of ``dist_dir`` (with
    the outside facts in their named graphs if ``with_external``)."""
    if endpoint:
        return RemoteEngine(endpoint)
    from mc2cm_graph.query.dist import open_store

    return LocalEngine(open_store(dist_dir, with_external=with_external))


def known_lookup(engine) -> Callable[[str], dict[str, str]]:
    """``kind -> {alias: iri}`` read from the graph the query will run on (cached)."""

    @cache
    def known(kind: str) -> dict[str, str]:
        result = engine.select(KNOWN_QUERIES[kind])
        return {row["alias"].value: row["iri"].value for row in result.rows
                if row.get("alias") is not None}

    return known


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """``["target=10.7", ...]`` from the command line into a dict."""
    values: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param needs NAME=VALUE, got {item!r}",
                             hint="for example --param target=10.7")
        if key.strip() in values:  # the HTTP API refuses a repeated parameter the same way
            raise ParameterError(f"parameter {key.strip()} given more than once",
                             hint=f"give --param {key.strip()}=VALUE once")
        values[key.strip()] = value
    return values


def _describe(query: SavedQuery) -> str:
    if not query.params:
        return f"query {query.name} takes no parameters"
    return f"parameters of {query.name}: " + ", ".join(
        p.name + ("" if p.required else " (optional)") for p in query.params)


def bind(query: SavedQuery, values: dict[str, str],
         known: Callable[[str], dict[str, str]] | None = None) -> str:
    """The query text with each given parameter validated and bound as an RDF term."""
    names = {p.name for p in query.params}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ParameterError(f"unknown parameter {unknown[0]!r} for query {query.name}",
                         hint=_describe(query))
    terms = {}
    for param in query.params:
        raw = values.get(param.name)
        if raw is None:
            if param.required:
                raise ParameterError(f"query {query.name} needs the parameter {param.name}",
                                 hint=_describe(query) + f"; pass --param {param.name}=VALUE")
            continue
        validator = VALIDATORS.get(param.name)
        if validator is None:
            raise ParameterError(f"parameter {param.name} of {query.name} has no validator",
                             file=query.path, hint="add one in mc2cm_graph/query/params.py")
        terms[param.variable] = term_for(validator(raw, known), param.type)
    return substitute(query.text, terms)


def run_query(name: str, params: dict[str, str] | None = None, *, lang: str | None = None,
              engine=None, dist_dir: Path | str | None = None, endpoint: str | None = None,
              queries_dir: Path | None = None, with_external: bool = False) -> Result:
    """Run a saved query by name. ``lang`` fills the query's ``lang`` parameter if it has one.
    A query tagged ``outside facts`` needs them: ``with_external`` on the local store (an
    endpoint must hold them in named graphs)."""
    query = get_query(name, queries_dir)
    if query.needs_external and not (with_external or endpoint or engine):
        raise QueryError(f"query {name} reads the facts from outside the brochure",
                         hint="add --with-external (Python: with_external=True)")
    values = dict(params or {})
    if lang is not None and query.param("lang") is not None:
        values.setdefault("lang", lang)
    engine = engine or engine_for(dist_dir, endpoint, with_external)
    text = bind(query, values, known_lookup(engine))
    return engine.select(text, source=str(query.path))


def run_sparql(text: str, *, engine=None, dist_dir: Path | str | None = None,
               endpoint: str | None = None, source: str | None = None,
               limits: QueryLimits | None = None,
               with_external: bool = False) -> Result:
    """Run an ad-hoc SELECT or ASK query (``with_external``: see run_query); ``limits``
    (their time and memory): on the local graph without the outside facts, in a worker
    stopped past them (LimitedEngine)."""
    if not text.strip():
        raise QueryError("the query is empty", file=source, hint="write a SELECT or ASK query")
    if engine is None and endpoint is None and limits is not None and not with_external:
        from mc2cm_graph.query.dist import release_file
        from mc2cm_graph.query.engine import LimitedEngine

        engine = LimitedEngine(release_file(dist_dir).parent, limits)
    engine = engine or engine_for(dist_dir, endpoint, with_external)
    return engine.select(text, source=source)
