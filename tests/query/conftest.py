"""Fixtures for the saved-query tests: one build of the project, one store, shared."""

import pytest

from mc2cm_graph.graph.namespaces import PROGRAMME

# Brochure order → the programme slugs (IRIs are https://w3id.org/mc2cm/id/programme/SLUG).
SLUGS = {
    1: "sfax-acmals", 2: "north-morocco-living-together",
    3: "mediterranean-cities-diverse-cities", 4: "raoued-la-marsa-imigr",
    5: "lebanon-local-governance", 6: "nador-living-together-city",
    7: "nador-social-sustainable", 8: "ramallah-social-inclusion", 9: "tangier-dar",
    10: "zarqa-public-spaces", 11: "casablanca-migration", 12: "amman-public-space",
    13: "la-marsa-art", 14: "rabat-evidence-based", 15: "beirut-social-protection",
}


def iri(position: int) -> str:
    return str(PROGRAMME) + SLUGS[position]


@pytest.fixture(scope="session")
def dist_dir(built_dist):
    return built_dist


@pytest.fixture(scope="session")
def engine(dist_dir):
    from mc2cm_graph.query.dist import open_store
    from mc2cm_graph.query.engine import LocalEngine

    return LocalEngine(open_store(dist_dir))


@pytest.fixture(scope="session")
def external_engine(dist_dir):
    """The release with the outside facts in their named graphs (--with-external)."""
    from mc2cm_graph.query.dist import open_store
    from mc2cm_graph.query.engine import LocalEngine

    return LocalEngine(open_store(dist_dir, with_external=True))


@pytest.fixture(scope="session")
def run(engine):
    from mc2cm_graph.query.run import run_query

    def _run(name, lang=None, **params):
        return run_query(name, {k: str(v) for k, v in params.items()}, lang=lang, engine=engine)

    return _run
