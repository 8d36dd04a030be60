"""Fixtures of the export tests: one export of the project's data for the whole session,
and offline JSON-LD expansion with PyLD."""

import json

import pytest


@pytest.fixture(scope="session")
def dist(built_dist):
    """The project's data exported once (the session's shared build); tests only read it."""
    return built_dist


@pytest.fixture(scope="session")
def release_store(dist):
    """dist/mc2cm.ttl in a pyoxigraph store (what the site reads the release from)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(dist / "mc2cm.ttl"), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="session")
def expand():
    """``expand(path)``: a JSON-LD file expanded offline by PyLD into an rdflib graph."""
    return expand_to_graph


def offline_loader(folder):
    """A PyLD document loader that serves context files from ``folder`` and refuses the
    network, so expansion tests prove the files work offline."""

    def load(url, options=None):
        name = url.rsplit("/", 1)[-1]
        path = folder / name
        if not url.startswith("file:") or not path.is_file():
            raise AssertionError(f"JSON-LD processing tried to fetch {url}")
        return {"contextUrl": None, "documentUrl": url,
                "document": json.loads(path.read_text(encoding="utf-8"))}

    return load


def expand_to_graph(path, loader=None):
    """Expand a JSON-LD file with PyLD (offline) into an rdflib graph."""
    from pyld import jsonld
    from rdflib import Graph

    doc = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"base": path.resolve().as_uri(), "format": "application/n-quads",
                                 "documentLoader": loader or offline_loader(path.parent)})
    return Graph().parse(data=nquads, format="nt")
