"""The data against the brochure: completeness, numbers, and verbatim Arabic.

The expected values below were read from the brochure (source/brochure-ar.txt) by hand, not
taken from the data files, so a slip in either shows up here.
"""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.load import load_graph
from mc2cm_graph.graph.namespaces import MC2CM, PROGRAMME, SDG, SDGO, THEME
from mc2cm_graph.graph.source_text import (
    BROCHURE_FILE,
    brochure_pages,
    mended_brochure_text,
    normalise,
    read_mends,
    unmirror,
)

# programme slug → (brochure order, targets (Arabic-Indic digits read; a misprinted number
#                   corrected as data/source-corrections.csv records), themes,
#                   number of activities, number of results)
BROCHURE = {
    "sfax-acmals": (1, {"5.1", "17.9", "10.7", "16.6"},
                    {"welcome-instruments", "multilevel-governance",
                     "social-political-participation"}, 6, 3),
    "north-morocco-living-together": (2, {"4.a", "16.6", "11.3", "16.b", "16.3", "17.9"},
                                      {"access-to-education", "social-political-participation",
                                       "protection-from-discrimination",
                                       "multilevel-governance"}, 5, 2),
    "mediterranean-cities-diverse-cities": (3, {"4.a", "16.6", "11.3", "16.b", "16.3", "17.9"},
                                            {"access-to-education",
                                             "social-political-participation",
                                             "protection-from-discrimination",
                                             "multilevel-governance"}, 5, 3),
    "raoued-la-marsa-imigr": (4, {"5.1", "17.9", "11.7", "16.10"},
                              {"access-to-education", "access-to-health",
                               "labour-market-access", "multilevel-governance"}, 6, 3),
    "lebanon-local-governance": (5, {"10.2", "11.7", "16.6"},
                                 {"welcome-instruments", "social-political-participation",
                                  "protection-from-discrimination"}, 3, 2),
    "nador-living-together-city": (6, {"4.a", "17.9", "4.7", "11.3"},
                                   {"access-to-education", "social-political-participation",
                                    "protection-from-discrimination"}, 4, 3),
    "nador-social-sustainable": (7, {"4.7", "17.17", "16.10", "16.b"},
                                 {"social-political-participation",
                                  "protection-from-discrimination"}, 4, 2),
    "ramallah-social-inclusion": (8, {"5.c", "16.7", "10.2", "11.b"},
                                  {"social-political-participation",
                                   "protection-from-discrimination",
                                   "multilevel-governance"}, 3, 4),
    "tangier-dar": (9, {"10.2", "16.7", "10.7", "17.9", "11.3", "17.17"},
                    {"welcome-instruments", "social-political-participation"}, 3, 5),
    "zarqa-public-spaces": (10, {"10.2", "16.7", "10.7", "17.9", "11.7"},
                            {"welcome-instruments", "social-political-participation",
                             "urban-planning-housing"}, 8, 3),
    "casablanca-migration": (11, {"10.7", "11.1", "11.3"},
                             {"welcome-instruments", "labour-market-access",
                              "social-political-participation", "multilevel-governance"}, 6, 4),
    "amman-public-space": (12, {"10.2", "16.7", "10.7", "17.9", "11.7"},
                           {"welcome-instruments", "social-political-participation"}, 8, 3),
    "la-marsa-art": (13, {"10.2", "11.1", "11.3"},
                     {"welcome-instruments", "protection-from-discrimination"}, 3, 3),
    "rabat-evidence-based": (14, {"10.7", "11.1", "17.18"},  # printed ١٧.٨, 17.18's wording
                             {"urban-planning-housing", "multilevel-governance",
                              "protection-from-discrimination"}, 5, 4),
    "beirut-social-protection": (15, {"10.2", "16.6", "11.1", "17.17", "11.b"},
                                 {"urban-planning-housing", "social-political-participation",
                                  "protection-from-discrimination"}, 4, 3),
}


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_graph(paths.data_files())


@pytest.fixture(scope="module")
def sdg_kos() -> Graph:
    return load_graph([paths.SDG_KOS_FILE])


def test_all_fifteen_programmes_and_no_others(data):
    found = {str(p).rsplit("/", 1)[-1] for p in data.subjects(RDF.type, MC2CM.Programme)}
    assert found == set(BROCHURE)


@pytest.mark.parametrize("slug", sorted(BROCHURE))
def test_programme_matches_brochure(data, slug):
    position, targets, themes, n_activities, n_outcomes = BROCHURE[slug]
    programme = PROGRAMME[slug]
    assert data.value(programme, MC2CM.positionInSource).toPython() == position
    assert set(data.objects(programme, MC2CM.contributesToTarget)) == {SDG[t] for t in targets}
    assert set(data.objects(programme, MC2CM.addressesTheme)) == {THEME[t] for t in themes}
    assert len(set(data.objects(programme, MC2CM.hasActivity))) == n_activities
    assert len(set(data.objects(programme, MC2CM.hasOutcome))) == n_outcomes


def test_every_target_is_a_un_target(data, sdg_kos):
    for target in set(data.objects(None, MC2CM.contributesToTarget)):
        assert (target, RDF.type, SDGO.Target) in sdg_kos, target


def test_positions_within_each_list_run_from_one(data):
    for programme in data.subjects(RDF.type, MC2CM.Programme):
        for link in (MC2CM.hasActivity, MC2CM.hasOutcome):
            positions = sorted(data.value(item, MC2CM.positionInSource).toPython()
                               for item in data.objects(programme, link))
            assert positions == list(range(1, len(positions) + 1)), (programme, link)


@pytest.mark.parametrize("resource, prop, value", [
    ("activity/sfax-acmals-1", MC2CM.trainingCourseCount, 3),
    ("activity/sfax-acmals-1", MC2CM.workshopCount, 3),
    ("activity/sfax-acmals-6", MC2CM.workshopCount, 3),
    ("activity/lebanon-local-governance-2", MC2CM.workshopCount, 3),
    ("activity/nador-living-together-city-1", MC2CM.workshopCount, 3),
    ("outcome/nador-social-sustainable-1", MC2CM.peopleTrainedCount, 40),
    ("outcome/nador-social-sustainable-1", MC2CM.womenTrainedCount, 18),
    ("outcome/nador-social-sustainable-2", MC2CM.peopleReachedCount, 7000),
])
def test_stated_quantities_are_typed_numbers(data, resource, prop, value):
    """Each figure as the brochure states it: where it states two of one kind for one
    activity (a course, and 3 courses), both values, never their sum."""
    literals = list(data.objects(URIRef(f"https://w3id.org/mc2cm/id/{resource}"), prop))
    assert all(isinstance(v, Literal) for v in literals)
    expected = value if isinstance(value, set) else {value}
    assert {v.toPython() for v in literals} == expected and len(literals) == len(expected)


def test_only_the_third_programme_names_no_place(data):
    unplaced = set(data.subjects(MC2CM.placeNotNamedInSource, Literal(True)))
    assert unplaced == {PROGRAMME["mediterranean-cities-diverse-cities"]}
    assert data.value(PROGRAMME["mediterranean-cities-diverse-cities"], MC2CM.locatedIn) is None


def _brochure_literals(data):
    """Arabic text we claim is the brochure's: programme, activity, outcome and theme texts."""
    texts = [RDFS.label, MC2CM.subtitle, MC2CM.objective]
    classes = (MC2CM.Programme, MC2CM.Activity, MC2CM.Outcome)
    for cls in classes:
        for resource in data.subjects(RDF.type, cls):
            for prop in texts:
                for literal in data.objects(resource, prop):
                    if literal.language == "ar":
                        yield resource, literal
    for theme in data.subjects(RDF.type, MC2CM.RecommendationTheme):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for literal in data.objects(theme, prop):
                if literal.language == "ar":
                    yield theme, literal
    for link, literal in data.subject_objects(MC2CM.printedWording):
        yield link, literal


def test_arabic_texts_are_verbatim_from_the_mended_brochure(data):
    brochure = mended_brochure_text()
    literals = list(_brochure_literals(data))
    # 15 programmes × (title, subtitle, objective) + 73 activities + 47 results
    # + 8 theme names and 4 variants + the wordings of the 65 target links.
    assert len(literals) == 15 * 3 + 73 + 47 + 12 + 65
    missing = [(str(r), str(t)) for r, t in literals if normalise(str(t)) not in brochure]
    assert missing == []


def test_every_recorded_mend_is_needed_and_applied():
    raw = unmirror(normalise(BROCHURE_FILE.read_text(encoding="utf-8")))
    mended = mended_brochure_text()
    for mend in read_mends():
        assert mend.pattern().search(raw), f"{mend.extracted} is not in the brochure"
        assert not mend.pattern().search(mended), f"{mend.extracted} left unmended"


def test_every_activity_is_classified(data):
    for activity in data.subjects(RDF.type, MC2CM.Activity):
        assert list(data.objects(activity, MC2CM.activityType)), activity


def test_english_and_french_are_marked_as_our_translations(data):
    for programme in data.subjects(RDF.type, MC2CM.Programme):
        note = str(data.value(programme, SKOS.editorialNote))
        assert "translations by the mc2cm-graph project" in note


def test_each_target_link_is_printed_on_its_page_as_recorded(data):
    """The number and the wording, side by side, on the page the link names, and the
    page is the programme's; the link resolves to a target the programme lists."""
    pages = brochure_pages()
    links = list(data.subjects(RDF.type, MC2CM.TargetLink))
    assert len(links) == sum(len(targets) for _, targets, *_ in BROCHURE.values())
    for link in links:
        programme = data.value(predicate=MC2CM.qualifiedTargetLink, object=link)
        number = str(data.value(link, MC2CM.printedNumber))
        wording = data.value(link, MC2CM.printedWording)
        page = data.value(link, MC2CM.pageInSource).toPython()
        assert wording.language == "ar"
        assert page == data.value(programme, MC2CM.positionInSource).toPython()
        assert normalise(f"{number} {wording}") in pages[page - 1], (programme, number)
        assert data.value(link, MC2CM.linkedTarget) in set(
            data.objects(programme, MC2CM.contributesToTarget))


def test_every_target_a_programme_lists_has_its_link(data):
    for programme in data.subjects(RDF.type, MC2CM.Programme):
        linked = [data.value(link, MC2CM.linkedTarget)
                  for link in data.objects(programme, MC2CM.qualifiedTargetLink)]
        assert sorted(linked) == sorted(data.objects(programme, MC2CM.contributesToTarget))
