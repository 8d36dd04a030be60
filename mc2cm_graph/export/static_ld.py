"""Our IRIs as static files: what a static host serves behind the w3id.org redirect.

For every resource of ours (``https://w3id.org/mc2cm/id/KIND/NAME``) and for the ontology,
the release holds its description in three formats, at a path made from the IRI alone:

    id/KIND/NAME.ttl  .jsonld  .nt          ontology.ttl  .jsonld  .nt

written by ``query.describe`` (what ``mc2cm-graph serve`` answers for the IRI) from a
pyoxigraph store of the release. The HTML of an IRI is a page of the site, in ar, en or
fr (``html_page``): the site's own page for programmes, places, themes and the ontology;
the programme's page, at the entry, for activities and results; and for the other kinds
(activity types, organisations, the project, the source, the schemes) a page written here
in the site's layout. The w3id rules (``export/w3id.py``) make the same mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mc2cm_graph.export.site import ui
from mc2cm_graph.export.site.data import LANGUAGES
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.describe import BASE, ONTOLOGY, document_path, graph_bytes

SUFFIXES = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples"}
# Kinds of resource whose HTML is a page the site already has, in this site folder.
SITE_FOLDERS = {"programme": "programme", "city": "place", "country": "place",
                "district": "place", "region": "place", "theme": "theme"}
# Kinds shown on their programme's page: IRI id/KIND/{programme slug}-{n}, anchor KIND-NAME.
PROGRAMME_ENTRIES = {"activity": "hasActivity", "outcome": "hasOutcome"}
_ENTRY_NAME = re.compile(r"(.+)-[0-9]+")
# Site folders of pages that are not one kind's: a kind of that name would overwrite them.
_SITE_OWN = {"place", "target", "img"}
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_~-]*")
MAX_INCOMING = 200
# Above this many programmes (``build --ld-max N``), the resources of a programme (below)
# get no static files: they are the bulk (about 10 files per programme, 98 %) and
# ``mc2cm-graph serve`` answers for them. docs/scale.md, "Static linked data at scale".
LD_MAX_PROGRAMMES = 2000
PER_PROGRAMME_KINDS = {"programme", *PROGRAMME_ENTRIES, "target-group-mention"}
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>"


def resource_path(iri: str) -> str:
    """``id/KIND/NAME`` (or ``ontology``) of one of our IRIs, refused unless every segment
    is a plain name: the path becomes file names in the release and a redirect target."""
    if iri == ONTOLOGY:
        return "ontology"
    path = document_path(iri)
    segments = path.split("/")
    if len(segments) != 3 or segments[0] != "id" or not all(
            _SEGMENT.fullmatch(s) for s in segments[1:]) or "#" in iri or "?" in iri or \
            segments[1] in _SITE_OWN - SITE_FOLDERS.keys():
        raise Mc2cmError(f"cannot publish {iri} as a static file",
                         hint=f"our IRIs are {BASE}/id/KIND/NAME, with letters, digits, "
                              "'-', '_' or '~' in KIND and NAME (no '.': it starts a suffix); "
                              f"KIND is not one of the site's own folders {sorted(_SITE_OWN)}")
    return path


def html_page(path: str, lang: str) -> str:
    """The site page (below the release folder) for a resource path, in ``lang``."""
    if path == "ontology":
        return f"site/{lang}/ontology.html"
    _, kind, name = path.split("/")
    if kind in PROGRAMME_ENTRIES:
        programme = _ENTRY_NAME.fullmatch(name).group(1)
        return f"site/{lang}/programme/{programme}.html#{kind}-{name}"
    return f"site/{lang}/{SITE_FOLDERS.get(kind, kind)}/{name}.html"


@dataclass
class Resource:
    iri: str
    path: str  # id/KIND/NAME or ontology

    @property
    def kind(self) -> str:
        return self.path.split("/")[1] if "/" in self.path else self.path

    @property
    def has_site_page(self) -> bool:
        return self.path == "ontology" or self.kind in SITE_FOLDERS or \
            self.kind in PROGRAMME_ENTRIES


def our_resources(store) -> list[Resource]:
    """Every IRI of ours that is the subject of a triple, and the ontology, sorted."""
    rows = store.query(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && '
                       f'STRSTARTS(STR(?s), "{BASE}/id/")) }}')
    iris = sorted(row["s"].value for row in rows)
    return [Resource(iri, resource_path(iri)) for iri in [ONTOLOGY, *iris]]


def check_entries(store) -> None:
    """Activities and results are found on their programme's page from their IRI alone:
    ``id/activity/{programme slug}-{n}``. Refuse a release where that does not hold."""
    wanted = " ".join(f"<{ONTOLOGY}#{p}>" for p in PROGRAMME_ENTRIES.values())
    rows = store.query(f"SELECT ?p ?x WHERE {{ VALUES ?link {{ {wanted} }} ?p ?link ?x }}")
    for row in rows:
        entry, programme = row["x"].value, row["p"].value
        name = entry.rsplit("/", 1)[-1]
        match = _ENTRY_NAME.fullmatch(name)
        if match is None or f"{BASE}/id/programme/{match.group(1)}" != programme:
            raise Mc2cmError(f"{entry} is not named after its programme {programme}",
                             hint="name activities and results "
                                  f"{BASE}/id/activity/{{programme slug}}-{{n}} (and "
                                  ".../outcome/...): the w3id rules find their page that way")


def write_documents(store, resource: Resource, out_dir: Path, triples_of=None) -> list[Path]:
    """The resource's description as Turtle, JSON-LD and N-Triples. ``triples_of``: see
    query.describe.describe_triples."""
    from mc2cm_graph.query.describe import describe_triples, used_prefixes

    triples = describe_triples(store, resource.iri, triples_of=triples_of)
    prefixes = used_prefixes(triples)
    written = []
    (out_dir / resource.path).parent.mkdir(parents=True, exist_ok=True)
    for suffix, fmt in SUFFIXES.items():
        target = out_dir / f"{resource.path}.{suffix}"
        target.write_bytes(graph_bytes(triples, fmt, prefixes))
        written.append(target)
    return written


def programme_count(store) -> int:
    rows = store.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{ONTOLOGY}#Programme> }}")
    return int(next(iter(rows))["n"].value)


def ld_capped(programmes: int, ld_max: int | None = None) -> bool:
    """Whether a release of ``programmes`` leaves out the programmes' own resources."""
    return programmes > (LD_MAX_PROGRAMMES if ld_max is None else ld_max)


def write_linked_data(store, out_dir: Path, ld_max: int | None = None) -> list[Path]:
    """Every resource's documents, and a site page for those the site does not have: the
    store (a pyoxigraph store of the release, or a ReleaseView) is read once
    (``SubjectIndex``), not queried per resource. Above ``ld_max``
    programmes (default LD_MAX_PROGRAMMES), not those of the kinds PER_PROGRAMME_KINDS."""
    from mc2cm_graph.query.describe import SubjectIndex

    out_dir = Path(out_dir)
    check_entries(store)
    resources = our_resources(store)
    view = store if isinstance(store, ReleaseView) else None
    if ld_capped(programme_count(store), ld_max):
        # A few resources of a large release: a query each costs less than indexing it all.
        resources = [r for r in resources if r.kind not in PER_PROGRAMME_KINDS]
        index = view or StoreIndex(store)
    else:
        index = view.subject_index() if view else SubjectIndex(store)
    written: list[Path] = []
    for resource in resources:
        written += write_documents(store, resource, out_dir, index)
    pages = [r for r in resources if not r.has_site_page]
    if pages:
        written += ResourcePages(store, index).write(pages, out_dir)
    return written


def export_static_ld(project, out_dir: Path, advance=None,
                     ld_max: int | None = None) -> list[Path]:
    """The exporter hook: describes the release as a parse of the release file already
    written into ``out_dir`` (mc2cm.ttl, what the server's workers load) holds it, blank
    nodes named by the file's content (the server's store names them at random), so the
    files are the same from one export to the next: a ReleaseView of the project's
    store, without parsing the file again. ``ld_max``: see write_linked_data."""
    return write_linked_data(ReleaseView(project, Path(out_dir) / "mc2cm.ttl"), out_dir,
                             ld_max)


class ReleaseView:
    """What a store holding a parse of the release's Turtle (``turtle``, written from
    ``project`` by ``export_turtle``; parsed by ``graph.store.load_file``) answers, read
    from the project's store itself: no second parse of that file (most of this
    exporter's time at 10k programmes) and no second store.

    Three things make it the same: the release graphs (RELEASE_GRAPHS) as one graph,
    each triple once; blank nodes named as the loader names the file's
    (StableBlankNodes: by the file's digest and the order the file names them in, the
    order the store iterates each graph in, graph after graph); and a node's triples in
    the order such a store gives them, the reverse of the order they came in (the
    file's). tests/export/test_static_ld.py compares it with a parse of the file."""

    def __init__(self, project, turtle: Path):
        import hashlib

        import pyoxigraph as ox

        from mc2cm_graph.graph.store import RELEASE_GRAPHS, StableBlankNodes

        self.store, self.graphs, self._blank = project.store, RELEASE_GRAPHS, ox.BlankNode
        self._triple = ox.Triple
        digest = hashlib.sha1()
        with open(turtle, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
        self.names = StableBlankNodes(digest.hexdigest())
        for graph in self.graphs:  # named in the file's order
            for s, o in self.store.query(
                    f"SELECT ?s ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} "
                    "FILTER(isBlank(?s) || isBlank(?o)) }"):
                for term in (s, o):
                    if type(term) is ox.BlankNode:
                        self.names(term)
        self.original = {name: term for term, name in self.names.names.items()}

    def query(self, sparql: str):
        """A SPARQL query over the release graphs; its blank nodes keep the project
        store's names (the describing is done with the triples below)."""
        return self.store.query(sparql, default_graph=list(self.graphs))

    def _named(self, term):
        return self.names.names[term] if type(term) is self._blank else term

    def _triples(self, quads_of) -> list:
        """Each triple once, blank nodes named, in the order of a store holding the
        file: ``quads_of(graph)`` in each graph's order, graph after graph, reversed."""
        named, triple, seen, found = self._named, self._triple, set(), []
        for graph in self.graphs:
            for quad in quads_of(graph):
                t = triple(named(quad.subject), quad.predicate, named(quad.object))
                if t not in seen:
                    seen.add(t)
                    found.append(t)
        found.reverse()
        return found

    def __call__(self, node) -> list:
        """The triples whose subject is ``node`` (``describe_triples``'s ``triples_of``)."""
        node = self.original.get(node, node)
        return self._triples(lambda g: self.store.quads_for_pattern(node, None, None, g))

    def incoming(self, node) -> list:
        """The triples whose object is ``node`` and subject an IRI."""
        node = self.original.get(node, node)
        return [t for t in self._triples(
            lambda g: self.store.quads_for_pattern(None, None, node, g))
            if type(t.subject) is not self._blank]

    def subject_index(self):
        """A SubjectIndex of the whole release (one pass over the graphs)."""
        from mc2cm_graph.query.describe import SubjectIndex

        return SubjectIndex(self._triples(
            lambda g: self.store.quads_for_pattern(None, None, None, g)))


class StoreIndex:
    """What SubjectIndex gives, by a pattern query on the store per node (no index built)."""

    def __init__(self, store):
        import pyoxigraph as ox

        self.store, self.graph, self.iri = store, ox.DefaultGraph(), ox.NamedNode

    def __call__(self, node) -> list:
        return [q.triple for q in self.store.quads_for_pattern(node, None, None, self.graph)]

    def incoming(self, node) -> list:
        return [q.triple for q in self.store.quads_for_pattern(None, None, node, self.graph)
                if isinstance(q.subject, self.iri)]


class ResourcePages:
    """Site pages for the resources the site has no page for: their properties and values
    with labels in the page's language, and what refers to them."""

    def __init__(self, store, index=None):
        from mc2cm_graph.query.describe import SubjectIndex

        self.store = store
        self.index = index if index is not None else SubjectIndex(store)
        self.labels: dict[str, dict[str, str]] = {}
        self._label_cache: dict[tuple[str, str], str] = {}
        for row in store.query(f"SELECT ?x ?l WHERE {{ ?x {LABEL} ?l FILTER(isLiteral(?l)) }}"):
            lang = row["l"].language or ""
            self.labels.setdefault(row["x"].value, {}).setdefault(lang, row["l"].value)

    def label(self, iri: str, lang: str) -> str:
        """The IRI's label in ``lang`` (else en, ar, fr, none), else its compact form;
        worked out once per IRI and language (a page names hundreds of IRIs)."""
        key = (iri, lang)
        if key not in self._label_cache:
            from mc2cm_graph.graph.namespaces import compact_iri

            texts = self.labels.get(iri, {})
            self._label_cache[key] = next(
                (texts[tag] for tag in (lang, "en", "ar", "fr", "") if tag in texts),
                compact_iri(iri) or iri)
        return self._label_cache[key]

    def link(self, iri: str, lang: str, root: str) -> str | None:
        """Where a value links to: our resources' site pages, other http(s) IRIs as they
        are (never another scheme)."""
        if iri == ONTOLOGY or iri.startswith(BASE + "/id/"):
            return root + html_page(resource_path(iri), lang).removeprefix("site/")
        return iri if iri.startswith(("http://", "https://")) else None

    def write(self, resources: list[Resource], out_dir: Path) -> list[Path]:
        from mc2cm_graph.export.site import environment

        template = environment().get_template("resource.html.j2")
        written = []
        for resource in resources:
            outgoing, incoming = self._rows(resource.iri)
            for lang in LANGUAGES:
                page = html_page(resource.path, lang).removeprefix(f"site/{lang}/")
                root = "../" * (page.count("/") + 1)
                html = template.render(
                    r=resource, outgoing=outgoing, incoming=incoming, lang=lang,
                    dir=ui.DIRECTION[lang], t=ui.TEXT[lang], page=page, root=root,
                    languages=LANGUAGES, language_names=ui.LANGUAGE_NAMES,
                    directions=ui.DIRECTION, documents=list(SUFFIXES),
                    documents_root=root + "../" + resource.path.rsplit("/", 1)[0] + "/",
                    name=resource.path.rsplit("/", 1)[-1],
                    label=lambda iri, lang=lang: self.label(iri, lang),
                    link=lambda iri, lang=lang, root=root: self.link(iri, lang, root),
                    text=lambda values, lang=lang: _in_language(values, lang))
                target = out_dir / "site" / lang / page
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
                written.append(target)
        return written

    def _rows(self, iri: str) -> tuple[list, list]:
        """(property, values) sorted by property, and (subject, property) pointing here
        (IRI subjects, sorted, at most MAX_INCOMING)."""
        import pyoxigraph as ox

        node = ox.NamedNode(iri)
        grouped: dict[str, list] = {}
        for triple in self.index(node):
            grouped.setdefault(triple.predicate.value, []).append(triple.object)
        outgoing = [(p, sorted(vs, key=lambda v: (type(v).__name__, v.value)))
                    for p, vs in sorted(grouped.items())]
        incoming = sorted((t.subject.value, t.predicate.value)
                          for t in self.index.incoming(node))[:MAX_INCOMING]
        return outgoing, incoming


def _in_language(values: list, lang: str) -> list:
    """Of a property's values, the literals in ``lang`` when there are any, else all."""
    if not any(getattr(v, "language", None) == lang for v in values):
        return values
    return [v for v in values if getattr(v, "language", None) in (lang, None)]
