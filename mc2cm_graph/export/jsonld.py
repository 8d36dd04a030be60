"""Compact, readable JSON-LD written straight from the store through a context we control.

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

import pyoxigraph as ox

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.jsontext import indented_without_floats

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
        self._by_namespace = {namespace: prefix for prefix, namespace in self.prefixes.items()}
        self._compacted: dict[str, str] = {}
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
        found = self._compacted.get(iri)
        if found is None:
            found = self._compacted[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        # Namespaces end in "/" or "#": the longest one that fits ends at the rightmost
        # such character that starts a namespace of ours (and leaves a local name).
        end = len(iri) - 1
        while end > 0:
            end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            prefix = self._by_namespace.get(iri[:end + 1])
            if prefix is not None:
                return f"{prefix}:{iri[end + 1:]}"
        return iri

    def node_id(self, node) -> str:
        return f"_:{node.value}" if isinstance(node, ox.BlankNode) else \
            self.compact_iri(node.value)


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


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = ox.NamedNode(_RDF + "type")
RDF_FIRST = ox.NamedNode(_RDF + "first")
RDF_REST = ox.NamedNode(_RDF + "rest")
RDF_NIL = ox.NamedNode(_RDF + "nil")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_JSON_STRING = json.encoder.encode_basestring


class Source:
    """The triples of some graphs of a store, read a subject at a time (each triple once,
    however many of the graphs hold it)."""

    def __init__(self, store: ox.Store, graphs: list):
        self.store, self.graphs = store, list(graphs)
        self._in = set(self.graphs)

    def _sparql(self, query: str):
        return self.store.query(query, default_graph=self.graphs)

    def pairs(self, subject) -> list[tuple]:
        """(predicate, object) pairs of ``subject``, each once."""
        found = dict.fromkeys(
            (q.predicate, q.object) for q in self.store.quads_for_pattern(subject, None, None)
            if q.graph_name in self._in)
        return list(found)

    def subjects(self) -> list:
        return [row[0] for row in self._sparql("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")]

    def list_heads(self) -> list:
        """Blank nodes that may start an RDF list (objects of something but rdf:rest)."""
        return [row[0] for row in self._sparql(
            f"SELECT DISTINCT ?h WHERE {{ ?x ?p ?h . ?h <{RDF_FIRST.value}> ?f "
            f"FILTER(isBlank(?h) && ?p != <{RDF_REST.value}>) }}")]

    def references(self, node) -> int:
        return len({(q.subject, q.predicate) for q in self.store.quads_for_pattern(
            None, None, node) if q.graph_name in self._in})


def _list_items(source: Source, head) -> RdfList | None:
    """The items if ``head`` starts a list of blank nodes, each used once and holding only
    rdf:first and rdf:rest; else None (then the nodes are written as they are)."""
    items, node, seen = [], head, set()
    while node != RDF_NIL:
        if not isinstance(node, ox.BlankNode) or node in seen:
            return None
        seen.add(node)
        pairs = source.pairs(node)
        if sorted(p.value for p, _ in pairs) != [RDF_FIRST.value, RDF_REST.value] or \
                source.references(node) != 1:
            return None
        values = dict(pairs)
        items.append(values[RDF_FIRST])
        node = values[RDF_REST]
    return RdfList(items)


def _lists(source: Source) -> tuple[dict, set]:
    """List heads → items, and every blank node that belongs to one of those lists."""
    heads, members = {}, set()
    for head in source.list_heads():
        items = _list_items(source, head)
        if items is not None:
            heads[head] = items
            node = head
            while node != RDF_NIL:
                members.add(node)
                node = dict(source.pairs(node))[RDF_REST]

    def nest(items: RdfList) -> RdfList:  # a list among the items of another
        return RdfList(nest(heads[i]) if i in heads else i for i in items)

    return {head: nest(items) for head, items in heads.items()}, members


def _expanded_value(ctx: Context, value) -> dict | str | int | bool:
    """A value written without any help from a term's coercion."""
    if isinstance(value, RdfList):
        return {"@list": [_expanded_value(ctx, item) for item in value]}
    if not isinstance(value, ox.Literal):
        return {"@id": ctx.node_id(value)}
    if value.language:
        return {"@value": value.value, "@language": value.language}
    datatype = value.datatype.value
    lexical = value.value
    if datatype == _XSD + "string":
        return lexical
    # Native JSON numbers and booleans expand to xsd:integer / xsd:boolean; use them only
    # when the lexical form is the canonical one, so expansion gives back the same literal.
    if datatype == _XSD + "integer" and lexical.lstrip("-").isdigit() and \
            str(int(lexical)) == lexical:
        return int(lexical)
    if datatype == _XSD + "boolean" and lexical in ("true", "false"):
        return lexical == "true"
    return {"@value": lexical, "@type": ctx.compact_iri(datatype)}


def _fits(term: Term, value) -> bool:
    """Whether ``value`` can be written in the term's short form."""
    if isinstance(value, RdfList):
        return False
    if term.kind == "language":
        return isinstance(value, ox.Literal) and bool(value.language)
    if term.kind == "id":
        return isinstance(value, (ox.NamedNode, ox.BlankNode))
    if term.kind == "datatype":
        return isinstance(value, ox.Literal) and value.datatype.value == term.datatype
    return True


def _short_value(ctx: Context, term: Term, value):
    if term.kind == "id":
        return ctx.node_id(value)
    if term.kind == "datatype":
        return value.value
    return _expanded_value(ctx, value)


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


def _sort_key(value) -> str:
    """The value's JSON text (``json.dumps(value, ensure_ascii=False, sort_keys=True)``),
    for a string through the C encoder that call ends in."""
    if type(value) is str:
        return _JSON_STRING(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _sorted(values, key=None) -> list:
    """``sorted(values, key=key)``, without calling ``key`` for a single value (the JSON
    text a value is sorted by is most of the time spent sorting, and most properties of
    a node have one value)."""
    values = list(values)
    return values if len(values) < 2 else sorted(values, key=key)


def _property_entries(ctx: Context, predicate: str, values: list) -> dict:
    """The key/value pairs one property of one node gives."""
    term = ctx.terms.get(predicate)
    fitting, rest = [], []
    for value in values:
        (fitting if term is not None and _fits(term, value) else rest).append(value)
    entries: dict = {}
    if fitting and term.kind == "language":
        by_language: dict[str, list[str]] = {}
        for literal in fitting:
            by_language.setdefault(literal.language, []).append(literal.value)
        entries[term.name] = {lang: _one_or_many(_sorted(texts))
                              for lang, texts in sorted(by_language.items())}
    elif fitting:
        entries[term.name] = _one_or_many(
            _sorted((_short_value(ctx, term, v) for v in fitting), key=_sort_key))
    if rest:
        entries[ctx.compact_iri(predicate)] = _one_or_many(
            _sorted((_expanded_value(ctx, v) for v in rest), key=_sort_key))
    return entries


def node_object(ctx: Context, subject, pairs: list[tuple], lists: dict) -> dict:
    """The JSON-LD node of ``subject`` from its (predicate, object) pairs."""
    node: dict = {"@id": ctx.node_id(subject)}
    by_predicate: dict[str, list] = {}
    for predicate, obj in pairs:
        by_predicate.setdefault(predicate.value, []).append(lists.get(obj, obj))
    types = sorted(ctx.classes.get(t.value, ctx.compact_iri(t.value))
                   for t in by_predicate.pop(RDF_TYPE.value, []))
    if types:
        node["@type"] = _one_or_many(types)
    entries: dict = {}
    for predicate, values in by_predicate.items():
        entries.update(_property_entries(ctx, predicate, values))
    node.update(sorted(entries.items()))
    return node


def nodes(source: Source, ctx: Context):
    """The node objects of the source's subjects, sorted by @id (blank nodes last), one at
    a time: a release of millions of triples is never held as JSON whole."""
    lists, members = _lists(source)
    keyed = sorted(((ctx.node_id(s), s) for s in source.subjects() if s not in members),
                   key=lambda pair: (pair[0].startswith("_:"), pair[0]))
    for _, subject in keyed:
        yield node_object(ctx, subject, source.pairs(subject), lists)


def write(out, source: Source, ctx: Context, context_ref) -> None:
    """``{"@context": context_ref, "@graph": [nodes]}`` into the binary file ``out``, byte
    for byte what ``dumps(document(...))`` gives, a node at a time."""
    head = json.dumps({"@context": context_ref}, ensure_ascii=False, indent=2)[:-2]
    out.write((head + ',\n  "@graph": [').encode("utf-8"))
    first = True
    for node in nodes(source, ctx):
        text = indented_without_floats(node, "\n    ")
        out.write((("\n    " if first else ",\n    ") + text).encode("utf-8"))
        first = False
    out.write(b"]\n}\n" if first else b"\n  ]\n}\n")


class GraphSource(Source):
    """A Source over a small rdflib graph (the catalogue, tests), its literals as written
    (a store would turn them to canonical form, "ab12"^^xsd:hexBinary into "AB12")."""

    def __init__(self, graph):
        from mc2cm_graph.graph.load import to_ox_term

        self.graph, self.term = graph, to_ox_term

    def _back(self, term):
        from mc2cm_graph.graph.load import to_rdflib_term

        return to_rdflib_term(term)

    def pairs(self, subject) -> list[tuple]:
        return [(self.term(p), self.term(o)) for p, o in
                self.graph.predicate_objects(self._back(subject))]

    def subjects(self) -> list:
        return [self.term(s) for s in set(self.graph.subjects())]

    def list_heads(self) -> list:
        rdf_first = self._back(RDF_FIRST)
        return [self.term(o) for o in {o for _, p, o in self.graph
                                       if p != self._back(RDF_REST)}
                if isinstance(self.term(o), ox.BlankNode)
                and (o, rdf_first, None) in self.graph]

    def references(self, node) -> int:
        return len(set(self.graph.subject_predicates(self._back(node))))


def document(graph, ctx: Context, context_ref) -> dict:
    """``{"@context": context_ref, "@graph": [nodes sorted by @id]}`` of a small rdflib
    graph; ``context_ref`` is the context's URL (relative is fine) or the context object
    itself, to embed it."""
    return {"@context": context_ref, "@graph": list(nodes(GraphSource(graph), ctx))}


def dumps(doc: dict) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_jsonld(project, out_dir: Path, advance=None) -> list[Path]:
    """dist/context.jsonld (a copy of the packaged context) and dist/mc2cm.jsonld, which
    refers to it by the relative URL ``context.jsonld``: the pair works offline and from
    any web folder they are published to together. Written from the store, a resource at
    a time."""
    from mc2cm_graph.graph.store import RELEASE_GRAPHS

    context_path = Path(out_dir) / CONTEXT_NAME
    context_path.write_bytes(CONTEXT_FILE.read_bytes())
    target = Path(out_dir) / "mc2cm.jsonld"
    with open(target, "wb") as out:
        write(out, Source(project.store, list(RELEASE_GRAPHS)), load_context(), CONTEXT_NAME)
    return [context_path, target]
