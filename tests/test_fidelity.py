"""Findings of a line-by-line audit of the graph against the brochure (and the outside
sources): each test would have caught the slip it is named after."""

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

from mc2cm_graph import paths
from mc2cm_graph.load import load_graph
from mc2cm_graph.namespaces import MC2CM, PROGRAMME, SCHEMA

EXTERNAL_FACTS = paths.DATA_DIR / "external" / "external-facts.trig"


@pytest.fixture(scope="module")
def data():
    return load_graph(paths.data_files())


@pytest.fixture(scope="module")
def external():
    dataset = Dataset(default_union=True)
    dataset.parse(EXTERNAL_FACTS, format="trig")
    return dataset


def texts(graph, node, prop):
    return {v.language: str(v) for v in graph.objects(node, prop)}


# --- Programme 3: title and subtitle ----------------------------------------------------------

def test_programme_3_title_is_governance_and_interculturality(data):
    programme = PROGRAMME["mediterranean-cities-diverse-cities"]
    assert texts(data, programme, RDFS.label)["ar"] == "الحوكمة وتعدّد الثقافات"
    assert texts(data, programme, MC2CM.subtitle)["ar"] == "مدن متوسطية؛ مدن متنوعة"


def test_programme_3_title_and_subtitle_read_as_the_outside_french_title(data, external):
    """« Gouvernance et Interculturalité : villes méditerranéennes, villes diverses »: the
    title before the colon, the subtitle after it."""
    programme = PROGRAMME["mediterranean-cities-diverse-cities"]
    outside = {str(v) for v in external.objects(programme, SCHEMA.alternateName)
               if v.language == "fr"}
    assert len(outside) == 1
    title, subtitle = (part.strip().lower() for part in outside.pop().split(":"))
    assert texts(data, programme, RDFS.label)["fr"].lower() == title
    assert texts(data, programme, MC2CM.subtitle)["fr"].lower() == subtitle


# --- Casablanca, activity 2: the counts the brochure states ------------------------------------

def test_casablanca_activity_2_records_the_stated_figures_not_their_sum(data):
    from mc2cm_graph.namespaces import ACTIVITY

    activity = ACTIVITY["casablanca-migration-2"]
    counts = sorted(v.toPython() for v in data.objects(activity, MC2CM.trainingCourseCount))
    assert counts == [1, 3]
    assert Literal(4) not in set(data.objects(activity, MC2CM.trainingCourseCount))
