"""Compact, readable JSON-LD written straight from a graph through a context we control.

We do not run a JSON-LD compaction algorithm: the context (``mc2cm_graph/export/context.jsonld``)
says which key each property gets and how its values are written (language map, IRI,
typed string), and this module writes every triple under that key. Values a key cannot
hold (say a plain string under a language-map key) go under the property's prefixed name
in expanded form, so nothing is ever lost: expanding the file gives back the exact graph
(tests check it by isomorphism with the Turtle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from mc2cm_graph.graph import paths

CONTEXT_FILE = paths.PACKAGE_DIR / "export" / "context.jsonld"
CONTEXT_NAME = "context.jsonld"


@dataclass(frozen=True)
class Term:
    name: str
    iri: str
    kind: str  # "language", "id", "datatype" or "plain"
    datatype: str | None = None


class Context:
    """The terms and prefixes of a JSON-LD context, indexed for writing."""

    def __init__(self, context: dict):
        self.document = context
        body = context["@context"]
        self.prefixes = {name: value for name, value in body.items()
                         if isinstance(value, str) and not name.startswith("@")
                         and value.endswith(("/", "#"))}
        self.classes: dict[str, str] = {}
        self.terms: dict[str, Term] = {}
        for name, value in body.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(value, str):
                self.classes[self.expand(value)] = name
                continue
            iri = self.expand(value["@id"])
            if iri in self.terms:
                raise ValueError(f"two terms for {iri}: {self.terms[iri].name}, {name}")
            self.terms[iri] = _term(name, iri, value, self.expand)

    def expand(self, value: str) -> str:
        prefix, _, rest = value.partition(":")
        return self.prefixes[prefix] + rest if prefix in self.prefixes else value

    def compact_iri(self, iri: str) -> str:
        """``prefix:rest`` with the longest matching namespace, else the full IRI."""
        best = None
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace) and (
                    best is None or len(namespace) > len(self.prefixes[best])):
                best = prefix
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def node_id(self, node) -> str:
        return f"_:{node}" if isinstance(node, BNode) else self.compact_iri(str(node))


def _term(name: str, iri: str, definition: dict, expand) -> Term:
    if definition.get("@container") == "@language":
        return Term(name, iri, "language")
    coercion = definition.get("@type")
    if coercion == "@id":
        return Term(name, iri, "id")
    if coercion:
        return Term(name, iri, "datatype", expand(coercion))
    return Term(name, iri, "plain")


def load_context(path: Path = CONTEXT_FILE) -> Context:
    return Context(json.loads(Path(path).read_text(encoding="utf-8")))


class RdfList(tuple):
    """The items of a well-formed RDF list, written as ``{"@list": [...]}``."""


def _list_items(graph: Graph, head) -> RdfList | None:
    """The items if ``head`` starts a list of blank nodes, each used once and holding only
    rdf:first and rdf:rest; else None (then the nodes are written as they are)."""
    items, node, seen = [], head, set()
    while node != RDF.nil:
        if not isinstance(node, BNode) or node in seen:
            return None
        seen.add(node)
        if sorted(p for p, _ in graph.predicate_objects(node)) != [RDF.first, RDF.rest] or \
                len(list(graph.subject_predicates(node))) != 1:
            return None
        items.append(graph.value(node, RDF.first))
        node = graph.value(node, RDF.rest)
    return RdfList(items)


def _lists(graph: Graph) -> tuple[dict, set]:
    """List heads → items, and every blank node that belongs to one of those lists."""
    heads, members = {}, set()
    for _, p, o in graph:
        if isinstance(o, BNode) and p != RDF.rest:
            items = _list_items(graph, o)
            if items is not None:
                heads[o] = items
                node = o
                while node != RDF.nil:
                    members.add(node)
                    node = graph.value(node, RDF.rest)

    def nest(items: RdfList) -> RdfList:  # a list among the items of another
        return RdfList(nest(heads[i]) if i in heads else i for i in items)

    return {head: nest(items) for head, items in heads.items()}, members


def _expanded_value(ctx: Context, value) -> dict | str | int | bool:
    """A value written without any help from a term's coercion."""
    if isinstance(value, RdfList):
        return {"@list": [_expanded_value(ctx, item) for item in value]}
    if not isinstance(value, Literal):
        return {"@id": ctx.node_id(value)}
    if value.language:
        return {"@value": str(value), "@language": value.language}
    datatype = value.datatype
    if datatype is None or datatype == XSD.string:
        return str(value)
    lexical = str(value)
    # Native JSON numbers and booleans expand to xsd:integer / xsd:boolean; use them only
    # when the lexical form is the canonical one, so expansion gives back the same literal.
    if datatype == XSD.integer and lexical.lstrip("-").isdigit() and str(int(lexical)) == lexical:
        return int(lexical)
    if datatype == XSD.boolean and lexical in ("true", "false"):
        return lexical == "true"
    return {"@value": lexical, "@type": ctx.compact_iri(str(datatype))}


def _fits(term: Term, value) -> bool:
    """Whether ``value`` can be written in the term's short form."""
    if isinstance(value, RdfList):
        return False
    if term.kind == "language":
        return isinstance(value, Literal) and bool(value.language)
    if term.kind == "id":
        return isinstance(value, (URIRef, BNode))
    if term.kind == "datatype":
        return isinstance(value, Literal) and str(value.datatype) == term.datatype
    return True


def _short_value(ctx: Context, term: Term, value):
    if term.kind == "id":
        return ctx.node_id(value)
    if term.kind == "datatype":
        return str(value)
    return _expanded_value(ctx, value)


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


def _sort_key(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _property_entries(ctx: Context, predicate: URIRef, values: list) -> dict:
    """The key/value pairs one property of one node gives."""
    term = ctx.terms.get(str(predicate))
    fitting = [v for v in values if term is not None and _fits(term, v)]
    rest = [v for v in values if v not in fitting]
    entries: dict = {}
    if fitting and term.kind == "language":
        by_language: dict[str, list[str]] = {}
        for literal in fitting:
            by_language.setdefault(literal.language, []).append(str(literal))
        entries[term.name] = {lang: _one_or_many(sorted(texts))
                              for lang, texts in sorted(by_language.items())}
    elif fitting:
        entries[term.name] = _one_or_many(
            sorted((_short_value(ctx, term, v) for v in fitting), key=_sort_key))
    if rest:
        entries[ctx.compact_iri(str(predicate))] = _one_or_many(
            sorted((_expanded_value(ctx, v) for v in rest), key=_sort_key))
    return entries


def node_object(ctx: Context, graph: Graph, subject, lists: dict | None = None) -> dict:
    node: dict = {"@id": ctx.node_id(subject)}
    types = sorted(ctx.classes.get(str(t), ctx.compact_iri(str(t)))
                   for t in graph.objects(subject, RDF.type))
    if types:
        node["@type"] = _one_or_many(types)
    entries: dict = {}
    for predicate in set(graph.predicates(subject)) - {RDF.type}:
        values = [lists.get(o, o) if lists else o for o in graph.objects(subject, predicate)]
        entries.update(_property_entries(ctx, predicate, values))
    node.update(sorted(entries.items()))
    return node


def document(graph: Graph, ctx: Context, context_ref) -> dict:
    """``{"@context": context_ref, "@graph": [nodes sorted by @id]}``; ``context_ref`` is
    the context's URL (relative is fine) or the context object itself, to embed it."""
    lists, members = _lists(graph)
    nodes = [node_object(ctx, graph, s, lists) for s in set(graph.subjects()) - members]
    nodes.sort(key=lambda n: (n["@id"].startswith("_:"), n["@id"]))
    return {"@context": context_ref, "@graph": nodes}


def dumps(doc: dict) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_jsonld(project, release: Graph, out_dir: Path) -> list[Path]:
    """dist/context.jsonld (a copy of the packaged context) and dist/mc2cm.jsonld, which
    refers to it by the relative URL ``context.jsonld``: the pair works offline and from
    any web folder they are published to together."""
    context_path = Path(out_dir) / CONTEXT_NAME
    context_path.write_bytes(CONTEXT_FILE.read_bytes())
    target = Path(out_dir) / "mc2cm.jsonld"
    target.write_bytes(dumps(document(release, load_context(), CONTEXT_NAME)))
    return [context_path, target]
