"""The DCAT-AP 3 + VoID catalogue: conforms to the EU shapes, and tells the truth about the
files next to it."""

import hashlib

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from mc2cm_graph.check.dcat_ap import (
    SHAPES_FILES,
    dangling_property_links,
    validate_catalog,
    validate_recommended,
)
from mc2cm_graph.export import catalog
from mc2cm_graph.export.outdir import MARKER, write_marker
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.namespaces import COUNTRY, MC2CM, PROGRAMME
from mc2cm_graph.graph.store import ProjectStore

SPDX = catalog.SPDX
VOID = catalog.VOID
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
DATA_SERVICE_SHAPE = "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape"


@pytest.fixture(scope="module")
def cat(dist):
    return Graph().parse(dist / "catalog.ttl")


@pytest.mark.parametrize("version", ["3.0.0", "3.0.1"])
def test_catalogue_conforms_to_dcat_ap(cat, version):
    result = validate_catalog(cat, version)
    assert result.conforms, result.text


def test_only_the_two_known_dangling_links_of_3_0_1_are_dropped():
    shapes = Graph().parse(SHAPES_FILES["3.0.1"])
    shape = URIRef(DATA_SERVICE_SHAPE)
    assert dangling_property_links(shapes) == [
        (shape, URIRef(f"{shape}/dc08f4dca4377fade57f89454e3fa06a8389d314")),
        (shape, URIRef(f"{shape}/eb3ac4e4fdde2e2588a9502c5956060a18c5c99f")),
    ]
    assert dangling_property_links(Graph().parse(SHAPES_FILES["3.0.0"])) == []


@pytest.mark.parametrize("version", ["3.0.0", "3.0.1"])
def test_a_dataset_without_title_is_rejected(cat, version):
    broken = Graph()
    for triple in cat:
        broken.add(triple)
    broken.remove((catalog.DATASET, ns.DCTERMS.title, None))
    result = validate_catalog(broken, version)
    assert not result.conforms
    assert "dc1:title" in result.text or str(ns.DCTERMS.title) in result.text


def test_one_distribution_per_graph_file_with_true_size_and_checksum(cat, dist):
    distributions = set(cat.objects(catalog.DATASET, ns.DCAT.distribution))
    names = set()
    for node in distributions:
        url = str(cat.value(node, ns.DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        names.add(name)
        content = (dist / name).read_bytes()
        assert int(cat.value(node, ns.DCAT.byteSize)) == len(content)
        checksum = cat.value(node, SPDX.checksum)
        assert cat.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = cat.value(checksum, SPDX.checksumValue)
        assert value.datatype == ns.XSD.hexBinary
        assert str(value) == hashlib.sha256(content).hexdigest()
        assert str(cat.value(node, ns.DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert cat.value(node, ns.DCTERMS.license) == catalog.LICENCE
    assert names == {"mc2cm.ttl", "mc2cm.nt", "mc2cm.jsonld", "places.geojson"}
    geojson = catalog.DATASET + "/distribution/places.geojson"
    assert str(cat.value(URIRef(geojson), ns.DCAT.mediaType)).endswith("/application/geo+json")
    assert str(cat.value(URIRef(geojson), ns.DCTERMS.conformsTo)).endswith("rfc7946")


def test_void_counts_match_the_graph(cat, dist):
    graph = Graph().parse(dist / "mc2cm.ttl")
    assert int(cat.value(catalog.DATASET, VOID.triples)) == len(graph)
    programmes = set(graph.subjects(ns.RDF.type, MC2CM.Programme))
    partitions = {cat.value(p, VOID["class"]): int(cat.value(p, VOID.entities))
                  for p in cat.objects(catalog.DATASET, VOID.classPartition)}
    assert partitions[MC2CM.Programme] == len(programmes)
    named = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert int(cat.value(catalog.DATASET, VOID.entities)) == len(named)


def test_spatial_coverage_is_the_programmes_countries(cat, dist):
    graph = Graph().parse(dist / "mc2cm.ttl")
    expected = set()
    for place in graph.objects(None, MC2CM.locatedIn):
        country = graph.value(place, MC2CM.inCountry) or place
        code = catalog.release.EU_COUNTRY_CODES[str(country).removeprefix(str(COUNTRY))]
        expected.add(URIRef(EU_COUNTRY + code))
    spatial = set(cat.objects(catalog.DATASET, ns.DCTERMS.spatial))
    assert {s for s in spatial if isinstance(s, URIRef)} == expected
    assert URIRef(EU_COUNTRY + "TUN") in expected  # Sfax, programme 1


def test_dates_version_and_languages(cat):
    assert str(cat.value(catalog.DATASET, catalog.DCAT_VERSION)) == catalog.release.VERSION
    assert str(cat.value(catalog.DATASET, ns.DCTERMS.modified)) == catalog.release.RELEASE_DATE
    assert str(cat.value(catalog.PERIOD, ns.DCAT.startDate)) == "2020-01-09"
    assert str(cat.value(catalog.PERIOD, ns.DCAT.endDate)) == "2021-09-15"
    for node in (catalog.DATASET, catalog.CATALOG):
        assert {t.language for t in cat.objects(node, ns.DCTERMS.title)} == {"ar", "en", "fr"}
        assert {t.language for t in cat.objects(node, ns.DCTERMS.description)} == {"ar", "en", "fr"}
    assert {k.language for k in cat.objects(catalog.DATASET, ns.DCAT.keyword)} == {"ar", "en", "fr"}
    rights = cat.value(catalog.DATASET, ns.DCTERMS.rights)
    assert (rights, ns.RDF.type, ns.DCTERMS.RightsStatement) in cat
    english = [t for t in cat.objects(rights, None) if getattr(t, "language", None) == "en"]
    assert "unknown" in str(english[0])


def test_catalogue_jsonld_is_the_turtle_catalogue(cat, dist, expand):
    assert isomorphic(expand(dist / "catalog.jsonld"), cat)


def test_a_country_without_eu_code_is_an_error():
    import pyoxigraph as ox

    from mc2cm_graph.graph.store import DATA_GRAPH, ProjectStore

    store = ox.Store()
    store.load(f"<{PROGRAMME.p}> <{MC2CM.locatedIn}> <{COUNTRY.atlantis}> . "
               f"<{COUNTRY.atlantis}> a <{MC2CM.Country}> .", format=ox.RdfFormat.TURTLE,
               to_graph=DATA_GRAPH)
    with pytest.raises(Mc2cmError, match="no EU country code"):
        catalog.catalog_graph(ProjectStore(store), {}, "https://example.org/")


def test_a_failing_export_leaves_the_previous_release_alone(tmp_path, monkeypatch):
    from mc2cm_graph.build import build

    out = tmp_path / "dist"
    out.mkdir()
    (out / "mc2cm.ttl").write_text("previous release\n")
    write_marker(out)
    codes = dict(catalog.release.EU_COUNTRY_CODES)
    del codes["tunisia"]
    monkeypatch.setattr(catalog.release, "EU_COUNTRY_CODES", codes)
    with pytest.raises(Mc2cmError, match="tunisia"):
        build(out_dir=out)
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "mc2cm.ttl"]
    assert (out / "mc2cm.ttl").read_text() == "previous release\n"
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # no staging folder left


def test_temporal_coverage_agrees_with_the_external_facts():
    from mc2cm_graph.graph import paths
    from mc2cm_graph.graph.load import add_quads, parse_quads

    facts = add_quads(Graph(), parse_quads(paths.DATA_DIR / "external" / "external-facts.trig"))
    schema = "http://schema.org/"
    events = [e for e in facts.subjects(ns.RDF.type, URIRef(schema + "Event"))
              if str(facts.value(e, URIRef(schema + "about"))).startswith(
                  "https://w3id.org/mc2cm/id/programme/")]
    dates = sorted(str(d) for e in events for p in ("startDate", "endDate")
                   for d in facts.objects(e, URIRef(schema + p)))
    assert len(events) >= 2
    assert (dates[0], dates[-1]) == (catalog.release.TEMPORAL_START,
                                     catalog.release.TEMPORAL_END)



def test_external_facts_are_published_apart(cat, dist):
    from mc2cm_graph.graph import paths

    trig = dist / "mc2cm-external.trig"
    assert trig.read_bytes() == (paths.DATA_DIR / "external" / "external-facts.trig").read_bytes()
    (node,) = set(cat.objects(catalog.EXTERNAL_DATASET, ns.DCAT.distribution))
    assert str(cat.value(node, ns.DCAT.downloadURL)).endswith("/mc2cm-external.trig")
    assert int(cat.value(node, ns.DCAT.byteSize)) == len(trig.read_bytes())
    assert (catalog.CATALOG, ns.DCAT.dataset, catalog.EXTERNAL_DATASET) in cat
    # The main graph holds none of it: programme 3 stays without a place there.
    main = Graph().parse(dist / "mc2cm.ttl")
    assert not set(main.objects(URIRef(str(PROGRAMME) + "mediterranean-cities-diverse-cities"),
                                MC2CM.locatedIn))


# The recommended level and DCAT-AP 2.1.1 (check/dcat_ap.py SPLIT_SHAPES).

@pytest.fixture(scope="module")
def cat2(dist):
    return Graph().parse(dist / "catalog-dcat-ap-2.ttl")


def test_no_violation_and_no_warning_at_the_recommended_level(cat, cat2):
    for graph, version in ((cat, "3.0.1"), (cat2, "2.1.1")):
        result = validate_recommended(graph, version)
        assert (result.violations, result.warnings) == ([], []), version


def test_a_distribution_without_description_is_warned_about(cat):
    broken = Graph()
    for triple in cat:
        broken.add(triple)
    node = URIRef(catalog.DATASET + "/distribution/mc2cm.ttl")
    broken.remove((node, ns.DCTERMS.description, None))
    result = validate_recommended(broken, "3.0.1")
    assert result.violations == []
    assert [w.split(": ", 1)[0] for w in result.warnings] == [
        f"{node} {ns.DCTERMS.description}"]


def test_why_two_files_the_3_0_1_catalogue_breaks_2_1_1(cat):
    paths = {v.split(" ")[1].rstrip(":") for v in validate_recommended(cat, "2.1.1").violations}
    assert paths == {str(ns.DCAT.byteSize), str(SPDX.algorithm)}


def test_the_2_1_1_catalogue_is_the_3_0_1_one_with_sha1_and_decimal_sizes(cat, cat2, dist):
    for node in cat.objects(catalog.DATASET, ns.DCAT.distribution):
        name = str(cat.value(node, ns.DCAT.downloadURL)).rsplit("/", 1)[-1]
        content = (dist / name).read_bytes()
        size = cat2.value(node, ns.DCAT.byteSize)
        assert size.datatype == ns.XSD.decimal and int(size.toPython()) == len(content)
        checksum = cat2.value(node, SPDX.checksum)
        assert cat2.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha1
        assert str(cat2.value(checksum, SPDX.checksumValue)) == hashlib.sha1(content).hexdigest()
    dropped = {t for t in cat - cat2 if t[1] not in (ns.DCAT.byteSize, SPDX.checksum)
               and not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}
    assert dropped == {(SPDX.checksumAlgorithm_sha256, ns.RDF.type, SPDX.ChecksumAlgorithm)}


def test_a_file_over_one_mebibyte_is_summed_whole(dist, tmp_path):
    """The checksum and size cover every byte, not the first read buffer's worth."""
    from mc2cm_graph.query.dist import open_store

    big = tmp_path / "mc2cm.nt"
    lines = [f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" .\n"
             for i in range(60000)]
    big.write_text("".join(lines), encoding="utf-8")
    assert big.stat().st_size > 3 << 20
    project = ProjectStore(open_store(dist))
    catalog.export_catalog(project, tmp_path, [big], base_url="https://example.org/r/")
    for name, algorithm in (("catalog.ttl", "sha256"), ("catalog-dcat-ap-2.ttl", "sha1")):
        graph = Graph().parse(tmp_path / name)
        node = URIRef(catalog.DATASET + "/distribution/mc2cm.nt")
        assert int(graph.value(node, ns.DCAT.byteSize).toPython()) == big.stat().st_size
        value = graph.value(graph.value(node, SPDX.checksum), SPDX.checksumValue)
        assert str(value) == hashlib.new(algorithm, big.read_bytes()).hexdigest(), name


def test_the_external_facts_dates_fall_in_the_stated_period(cat, dist):
    from mc2cm_graph.graph.load import add_quads, parse_quads

    facts = add_quads(Graph(), parse_quads(dist / "mc2cm-external.trig"))
    dates = {str(o) for o in facts.objects() if getattr(o, "datatype", None) == ns.XSD.date}
    period = catalog.EXTERNAL_PERIOD
    assert dates and (catalog.EXTERNAL_DATASET, ns.DCTERMS.temporal, period) in cat
    start = str(cat.value(period, ns.DCAT.startDate))
    end = str(cat.value(period, ns.DCAT.endDate))
    assert (start, end) == (min(dates), max(dates)), sorted(dates)
    # the actions' own period is within it (the dataset's facts are about them too)
    assert start <= str(cat.value(catalog.PERIOD, ns.DCAT.startDate))
    assert end >= str(cat.value(catalog.PERIOD, ns.DCAT.endDate))


def test_every_country_has_its_box_and_the_area_holds_them_all(cat):
    def box(node):
        text = str(cat.value(node, ns.DCAT.bbox))
        xs, ys = zip(*(map(float, p.split()) for p in text[9:-2].split(", ")), strict=True)
        return min(xs), min(ys), max(xs), max(ys)

    spatial = list(cat.objects(catalog.DATASET, ns.DCTERMS.spatial))
    countries = [s for s in spatial if isinstance(s, URIRef)]
    (area_node,) = [s for s in spatial if isinstance(s, BNode)]
    area = box(area_node)
    assert len(countries) == 5
    for country in countries:
        west, south, east, north = box(country)
        assert area[0] <= west < east <= area[2] and area[1] <= south < north <= area[3]
        long, lat = map(float, str(cat.value(country, ns.DCAT.centroid))[6:-1].split())
        assert west <= long <= east and south <= lat <= north, country
