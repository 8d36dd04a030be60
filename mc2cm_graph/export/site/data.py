"""The release read into plain objects for the site and the figures.

The facts the pages show are taken from the store in one SPARQL query (the predicates in
SITE_PREDICATES and the stated quantities) and indexed by subject; nothing else of the
release is read. Everything is sorted (programmes by their position in the brochure, the
rest by label or notation) so the pages come out the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from mc2cm_graph.graph.namespaces import GEO, MC2CM, SCHEMA, SDGO

LANGUAGES = ("ar", "en", "fr")
PLACE_ORDER = ("country", "city", "district", "region")

SITE_PREDICATES = (
    RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.broader, RDFS.comment,
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, DCTERMS.title, GEO.lat,
    GEO.long, MC2CM.inCountry, MC2CM.contributesToTarget, MC2CM.linkedTarget, MC2CM.printedWording,
    MC2CM.positionInSource, MC2CM.activityType, MC2CM.involvesPlace, MC2CM.subtitle,
    MC2CM.objective, MC2CM.placeNotNamedInSource, MC2CM.hasActivity, MC2CM.hasOutcome,
    MC2CM.fundedBy, MC2CM.locatedIn, MC2CM.addressesTheme, MC2CM.inCity,
    MC2CM.sourceCorrectionNote, MC2CM.hasStatedQuantity, SCHEMA.propertyID, SCHEMA.value,
    # outside identifiers of places (data/identifiers.ttl), indicators' notations
    MC2CM.m49Code, MC2CM.iso3166Alpha2Code, MC2CM.iso3166Alpha3Code, MC2CM.geonamesId,
    MC2CM.wikidataId, SCHEMA.sameAs, SKOS.notation)


# The predicates Facts.subjects answers for.
_INDEXED_BY_OBJECT = (str(RDF.type), str(RDFS.subPropertyOf), str(MC2CM.linkedTarget))


class Facts:
    """The (subject, predicate, object) facts the site reads, as pyoxigraph terms, indexed
    by subject and predicate (IRIs as strings)."""

    def __init__(self, rows):
        self.by_subject: dict = {}
        self.by_object: dict = {}
        for subject, predicate, obj in rows:
            self.by_subject.setdefault(subject.value, {}).setdefault(
                predicate.value, []).append(obj)
            if predicate.value in _INDEXED_BY_OBJECT:
                self.by_object.setdefault((predicate.value, obj.value), []).append(subject)

    def objects(self, node, predicate) -> list:
        return self.by_subject.get(_iri(node), {}).get(_iri(predicate), [])

    def value(self, node, predicate):
        found = self.objects(node, predicate)
        return found[0] if found else None

    def subjects(self, predicate, obj) -> list:
        return self.by_object.get((str(predicate), _iri(obj)), [])

    def all_objects(self, predicate) -> set:
        predicate = str(predicate)
        return {o for values in self.by_subject.values() for o in values.get(predicate, ())}


def _iri(node) -> str:
    return node.value if isinstance(node, (ox.NamedNode, ox.BlankNode)) else str(node)


# Read for the programme pages only (activities, outcomes, objectives): left out of an
# overview site (export/site/), where they were most of the memory at 100k programmes.
PAGE_ONLY_PREDICATES = (MC2CM.objective, MC2CM.hasActivity, MC2CM.hasOutcome,
                        MC2CM.activityType, MC2CM.involvesPlace)
# The only types the site asks about (inferred super-classes are left in the store).
SITE_CLASSES = (MC2CM.Programme, MC2CM.Country, MC2CM.City, MC2CM.District, MC2CM.Region,
                MC2CM.RecommendationTheme, SDGO.Indicator,
                OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                OWL.Ontology)


def _iris(terms) -> str:
    return " ".join(f"<{t}>" for t in terms)


def read_facts(store: ox.Store, graphs: list | None = None, *,
               programme_pages: bool = True) -> Facts:
    """The facts of SITE_PREDICATES in ``graphs`` of the store (default: the union); without
    ``programme_pages``, not those only programme pages show."""
    predicates = [p for p in SITE_PREDICATES if programme_pages or p not in PAGE_ONLY_PREDICATES]
    quantities = (f"UNION {{ ?p <{RDFS.subPropertyOf}> <{MC2CM.statedQuantity}> }}"
                  if programme_pages else "")
    entries = "" if programme_pages else (
        f"MINUS {{ ?s a ?entry VALUES ?entry {{ <{MC2CM.Activity}> <{MC2CM.Outcome}> }} }}")
    query = (f"SELECT DISTINCT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {_iris(predicates)} }} }} "
             f"{quantities} ?s ?p ?o "
             f"FILTER(?p != <{RDF.type}> || ?o IN ({', '.join(f'<{c}>' for c in SITE_CLASSES)}))"
             f" {entries} }}")
    rows = (store.query(query, default_graph=graphs) if graphs
            else store.query(query, use_default_graph_as_union=True))
    return Facts((row[0], row[1], row[2]) for row in rows)


def texts(graph: Facts, node, predicate) -> dict[str, str]:
    """Language → text (the first in sorted order when a language has several)."""
    found: dict[str, str] = {}
    for value in sorted((v for v in graph.objects(node, predicate)
                         if isinstance(v, ox.Literal) and v.language), key=lambda v: v.value):
        found.setdefault(value.language, value.value)
    return found


@dataclass(eq=False)
class Item:
    """Anything with an IRI and labels. Equal only to itself (``eq=False``): the site data
    holds one object per IRI, and a field-by-field comparison would walk the programmes
    each place, theme and target lists (most of the site's time at 10k programmes)."""

    iri: str
    slug: str
    labels: dict[str, str]

    def label(self, lang: str) -> str:
        return (self.labels.get(lang) or self.labels.get("en")
                or next(iter(sorted(self.labels.values())), self.slug))


@dataclass(eq=False)
class Entry(Item):
    """An activity or an outcome."""

    position: int = 0
    types: list[Item] = field(default_factory=list)
    quantities: list[tuple[Item, str]] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # mc2cm:involvesPlace


@dataclass(eq=False)
class Place(Item):
    kind: str = "city"
    lat: float | None = None
    long: float | None = None
    country: Place | None = None
    cities: list[Place] = field(default_factory=list)
    city: Place | None = None  # a district's city
    districts: list[Place] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    named_in: list[Programme] = field(default_factory=list)  # by an activity or outcome
    codes: list[tuple[str, str]] = field(default_factory=list)  # (scheme, code), data/identifiers
    same_as: list[str] = field(default_factory=list)  # outside IRIs (GeoNames, Wikidata)


@dataclass(eq=False)
class Theme(Item):
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    programmes: list[Programme] = field(default_factory=list)


@dataclass(eq=False)
class Target(Item):
    goal: Item | None = None
    brochure_labels: list[str] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    indicators: list[Item] = field(default_factory=list)  # the UN KOS's, slug "10.7.2"


@dataclass(eq=False)
class Programme(Item):
    position: int = 0
    subtitles: dict[str, str] = field(default_factory=dict)
    objectives: dict[str, str] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)  # mc2cm:sourceCorrectionNote
    places: list[Place] = field(default_factory=list)
    named_places: list[Place] = field(default_factory=list)  # mc2cm:involvesPlace (objective)
    place_not_named: bool = False
    themes: list[Theme] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    activities: list[Entry] = field(default_factory=list)
    outcomes: list[Entry] = field(default_factory=list)
    funders: list[Item] = field(default_factory=list)


@dataclass(eq=False)
class OntologyTerm(Item):
    kind: str = "class"
    comments: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)


@dataclass
class SiteData:
    programmes: list[Programme]
    places: list[Place]
    themes: list[Theme]
    targets: list[Target]
    classes: list[OntologyTerm]
    properties: list[OntologyTerm]
    ontology: Item


def slug_of(iri) -> str:
    return _iri(iri).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _labels(graph: Facts, node) -> dict[str, str]:
    return texts(graph, node, SKOS.prefLabel) or texts(graph, node, RDFS.label)


def _item(graph: Facts, node, cls=Item, **extra):
    return cls(iri=_iri(node), slug=slug_of(node), labels=_labels(graph, node), **extra)


def _int(graph: Facts, node, predicate, default=0) -> int:
    value = graph.value(node, predicate)
    return int(value.value) if value is not None else default


def _float(graph: Facts, node, predicate) -> float | None:
    value = graph.value(node, predicate)
    return float(value.value) if value is not None else None


CODE_SCHEMES = (("UN M49", MC2CM.m49Code), ("ISO 3166-1 alpha-2", MC2CM.iso3166Alpha2Code),
                ("ISO 3166-1 alpha-3", MC2CM.iso3166Alpha3Code),
                ("GeoNames", MC2CM.geonamesId), ("Wikidata", MC2CM.wikidataId))


def _places(graph: Facts) -> dict[ox.NamedNode, Place]:
    places: dict[ox.NamedNode, Place] = {}
    kinds = (("country", MC2CM.Country), ("city", MC2CM.City), ("district", MC2CM.District),
             ("region", MC2CM.Region))
    for kind, cls in kinds:
        for node in graph.subjects(RDF.type, cls):
            places[node] = _item(graph, node, Place, kind=kind, lat=_float(graph, node, GEO.lat),
                                 long=_float(graph, node, GEO.long))
    for node, place in places.items():
        place.codes = [(scheme, value.value) for scheme, predicate in CODE_SCHEMES
                       for value in graph.objects(node, predicate)]
        place.same_as = sorted(o.value for o in graph.objects(node, SCHEMA.sameAs))
        country = places.get(graph.value(node, MC2CM.inCountry))
        if place.kind == "city" and country is not None:
            place.country = country
            country.cities.append(place)
        city = places.get(graph.value(node, MC2CM.inCity))
        if place.kind == "district" and city is not None:
            place.city = city
            city.districts.append(place)
    return places


def _targets(graph: Facts) -> dict[ox.NamedNode, Target]:
    """The targets programmes link to; their slug is the notation in the UN IRI ("10.7")."""
    targets = {}
    for node in graph.all_objects(MC2CM.contributesToTarget):
        goal = graph.value(node, SKOS.broader)
        notation = slug_of(node)
        targets[node] = Target(
            iri=node.value, slug=notation, labels=_labels(graph, node),
            goal=Item(goal.value, slug_of(goal), _labels(graph, goal)) if goal else None,
            brochure_labels=sorted({v.value for link in graph.subjects(MC2CM.linkedTarget, node)
                                    for v in graph.objects(link, MC2CM.printedWording)}),
            indicators=_indicators(graph, node))
    return targets


def _indicators(graph: Facts, target) -> list[Item]:
    """The target's indicators in the UN KOS (skos:broader to the target), by notation."""
    found = []
    for node in graph.subjects(RDF.type, SDGO.Indicator):
        if any(b.value == _iri(target) for b in graph.objects(node, SKOS.broader)):
            # a repeated indicator has a code under each of its targets: this target's
            compact = [n.value for n in graph.objects(node, SKOS.notation)
                       if getattr(n, "datatype", None) == ox.NamedNode(SDGO.SDGCodeCompact)
                       and n.value.startswith(slug_of(target) + ".")]
            found.append(Item(_iri(node), compact[0] if compact else slug_of(node),
                              _labels(graph, node)))
    return sorted(found, key=lambda i: notation_key(i.slug))


def notation_key(notation: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 1000 + ord(p[0]) for p in notation.split("."))


def _quantities(graph: Facts, node) -> list[tuple[Item, str]]:
    found = []
    for prop in graph.subjects(RDFS.subPropertyOf, MC2CM.statedQuantity):
        for value in graph.objects(node, prop):
            found.append((_item(graph, prop), value))
    for quantity in graph.objects(node, MC2CM.hasStatedQuantity):  # one node per figure
        prop, value = (graph.value(quantity, p) for p in (SCHEMA.propertyID, SCHEMA.value))
        if prop is not None and value is not None:
            found.append((_item(graph, prop), value))
    # Two figures of one kind (Casablanca: a course, and 3 courses) in numeric order.
    found.sort(key=lambda q: (q[0].iri, _number(q[1]), q[1].value))
    return [(prop, value.value) for prop, value in found]


def _number(value) -> float:
    try:
        return float(value.value) if isinstance(value, ox.Literal) else 0
    except ValueError:
        return 0


def _entries(graph: Facts, programme, predicate, places: dict) -> list[Entry]:
    entries = []
    for node in graph.objects(programme, predicate):
        entries.append(_item(
            graph, node, Entry, position=_int(graph, node, MC2CM.positionInSource),
            types=sorted((_item(graph, t) for t in graph.objects(node, MC2CM.activityType)),
                         key=lambda t: t.iri),
            quantities=_quantities(graph, node),
            places=sorted((places[p] for p in graph.objects(node, MC2CM.involvesPlace)
                           if p in places), key=lambda p: p.iri)))
    return sorted(entries, key=lambda e: (e.position, e.iri))


def _programme(graph, node, places, themes, targets) -> Programme:
    programme = _item(
        graph, node, Programme, position=_int(graph, node, MC2CM.positionInSource, 10**6),
        subtitles=texts(graph, node, MC2CM.subtitle),
        objectives=texts(graph, node, MC2CM.objective),
        corrections=texts(graph, node, MC2CM.sourceCorrectionNote),
        place_not_named=any(v.value in ("true", "1")
                            for v in graph.objects(node, MC2CM.placeNotNamedInSource)),
        activities=_entries(graph, node, MC2CM.hasActivity, places),
        outcomes=_entries(graph, node, MC2CM.hasOutcome, places),
        funders=sorted((_item(graph, f) for f in graph.objects(node, MC2CM.fundedBy)),
                       key=lambda f: f.iri))
    programme.places = sorted((places[p] for p in graph.objects(node, MC2CM.locatedIn)
                               if p in places), key=lambda p: p.iri)
    programme.named_places = sorted((places[p] for p in graph.objects(node, MC2CM.involvesPlace)
                                     if p in places), key=lambda p: p.iri)
    programme.themes = sorted((themes[t] for t in graph.objects(node, MC2CM.addressesTheme)
                               if t in themes), key=lambda t: t.iri)
    programme.targets = sorted((targets[t] for t in graph.objects(node, MC2CM.contributesToTarget)),
                               key=lambda t: notation_key(t.slug))
    return programme


def _link_back(programmes: list[Programme]) -> None:
    for programme in programmes:
        for place in programme.places:
            place.programmes.append(programme)
            if place.country is not None:
                _append_once(place.country.programmes, programme)
        for theme in programme.themes:
            theme.programmes.append(programme)
        for target in programme.targets:
            target.programmes.append(programme)
        for place in programme.named_places:
            _append_once(place.named_in, programme)
        for entry in programme.activities + programme.outcomes:
            for place in entry.places:
                _append_once(place.named_in, programme)


def _append_once(programmes: list[Programme], programme: Programme) -> None:
    """Append unless already there. _link_back appends one programme at a time, so it can
    only be the last one: checking the whole list (with dataclass equality) made the site
    quadratic in the number of programmes (46 s at 10k)."""
    if not programmes or programmes[-1] is not programme:
        programmes.append(programme)


def _ontology_terms(graph: Facts, kinds: dict) -> list[OntologyTerm]:
    terms = []
    for kind, cls in kinds.items():
        for node in graph.subjects(RDF.type, cls):
            if not _iri(node).startswith(str(MC2CM)):
                continue
            terms.append(_item(
                graph, node, OntologyTerm, kind=kind,
                comments=texts(graph, node, RDFS.comment),
                parents=sorted(_iri(p) for p in graph.objects(node, RDFS.subClassOf)) + sorted(
                    _iri(p) for p in graph.objects(node, RDFS.subPropertyOf)),
                domain=sorted(d.value for d in graph.objects(node, RDFS.domain)
                              if isinstance(d, ox.NamedNode)),
                range=sorted(r.value for r in graph.objects(node, RDFS.range)
                             if isinstance(r, ox.NamedNode))))
    return sorted(terms, key=lambda t: t.slug.lower())


def _alt_labels(graph: Facts, node) -> dict[str, list[str]]:
    return {lang: sorted(v.value for v in graph.objects(node, SKOS.altLabel)
                         if isinstance(v, ox.Literal) and v.language == lang)
            for lang in LANGUAGES}


def read_site_data(store: ox.Store, graphs: list | None = None, *,
                   programme_pages: bool = True) -> SiteData:
    """The site's objects from ``graphs`` of the store (default: its union); without
    ``programme_pages``, programmes without their activities, outcomes and objectives.
    A small rdflib graph (tests) is read through a store of its own."""
    if not isinstance(store, ox.Store):
        from mc2cm_graph.graph.load import to_ox_term

        rdflib_graph, store = store, ox.Store()
        store.extend(ox.Quad(*(to_ox_term(t) for t in triple)) for triple in rdflib_graph)
    graph = read_facts(store, graphs, programme_pages=programme_pages)
    places = _places(graph)
    themes = {node: _item(graph, node, Theme, alt_labels=_alt_labels(graph, node))
              for node in graph.subjects(RDF.type, MC2CM.RecommendationTheme)}
    targets = _targets(graph)
    programmes = sorted((_programme(graph, node, places, themes, targets)
                         for node in graph.subjects(RDF.type, MC2CM.Programme)),
                        key=lambda p: (p.position, p.iri))
    _link_back(programmes)
    for city_list in (p.cities for p in places.values()):
        city_list.sort(key=lambda c: c.label("en"))
    for district_list in (p.districts for p in places.values()):
        district_list.sort(key=lambda d: d.label("en"))
    ontology = min(graph.subjects(RDF.type, OWL.Ontology), key=_iri, default=None)
    return SiteData(
        programmes=programmes,
        places=sorted(places.values(), key=lambda p: (PLACE_ORDER.index(p.kind), p.label("en"))),
        themes=sorted(themes.values(), key=lambda t: t.label("en")),
        targets=sorted(targets.values(), key=lambda t: notation_key(t.slug)),
        classes=_ontology_terms(graph, {"class": OWL.Class}),
        properties=_ontology_terms(graph, {"object": OWL.ObjectProperty,
                                           "datatype": OWL.DatatypeProperty,
                                           "annotation": OWL.AnnotationProperty}),
        ontology=Item(_iri(ontology), "ontology",
                      texts(graph, ontology, RDFS.label) or _dcterms_title(graph, ontology)),
    )


def _dcterms_title(graph: Facts, node) -> dict[str, str]:
    return texts(graph, node, DCTERMS.title)
