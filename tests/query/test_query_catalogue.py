"""Every saved query parses, carries valid grlc decorators and follows grlc's conventions."""

import re

import pytest
import yaml
from rdflib.plugins.sparql import prepareQuery

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.bind import param_vars
from mc2cm_graph.query.params import VALIDATORS
from mc2cm_graph.query.saved import (
    REQUIRED_DECORATORS,
    decorator_text,
    get_query,
    load_catalogue,
    load_query,
    parse_decorators,
)

CATALOGUE = load_catalogue()
FILES = sorted(paths.QUERIES_DIR.glob("*.rq"))
# The questions issue 3 asks for, plus ours.
REQUIRED = {
    "programmes-by-target", "programmes-by-goal", "programmes-by-theme", "programmes-by-place",
    "programme-profile", "target-coverage", "theme-goal-matrix", "city-summary",
    "activities-by-type", "quantities", "similar-programmes", "external-links",
}


def test_catalogue_has_the_required_queries_and_more():
    assert set(CATALOGUE) >= REQUIRED
    assert len(set(CATALOGUE) - REQUIRED) >= 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_query_parses_with_rdflib(path):
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_query_parses_with_oxigraph(path):
    import pyoxigraph as ox

    # Parsing needs no data; an empty store answers every query quickly.
    list(ox.Store().query(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_decorators_are_valid_yaml_with_required_keys(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#+ summary:"), "grlc reads decorators from the top of the file"
    data = yaml.safe_load(decorator_text(text))
    for key in REQUIRED_DECORATORS:
        assert data.get(key), f"{path.name}: missing #+ {key}"
    assert data["method"] == "GET"
    assert isinstance(data["tags"], list) and all(isinstance(t, str) for t in data["tags"])
    assert isinstance(data["summary"], str) and len(data["summary"]) < 120
    for key in ("defaults", "enumerate"):
        # grlc wants a list of one-key mappings (or bare names for enumerate)
        for item in data.get(key) or []:
            assert isinstance(item, dict | str)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_parameters_follow_grlc_conventions(path):
    query = CATALOGUE[path.stem]
    declared = {m[1] for m in re.finditer(r"(?im)^PREFIX\s+([\w-]*):", query.text)}
    used = set(re.findall(r"(?<![\w?$<])([a-z][\w-]*):[A-Za-z_]", query.text.split("\nPREFIX")[-1]))
    assert used <= declared | {"http", "https"}, f"undeclared prefixes {used - declared}"
    for param in query.params:
        # camelCase names without underscores: grlc splits the variable on "_"
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", param.name), param
        assert param.type in {"string", "iri", "integer"}, param
        assert param.name in VALIDATORS, f"no validator for {param.name}"
    names = [p.name for p in query.params]
    assert len(names) == len(set(names)), "a parameter appears with two spellings"
    for item in query.decorators.get("enumerate") or []:
        for name in item if isinstance(item, dict) else [item]:
            assert name in names, f"enumerate names {name}, which is no parameter"
    for name in query.defaults():
        assert name in names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_label_queries_take_an_optional_lang(path):
    query = CATALOGUE[path.stem]
    if "LANG(" in query.text:
        lang = query.param("lang")
        assert lang is not None and not lang.required
        assert query.defaults().get("lang") == "en"


def test_parameter_inventory():
    def signature(name):
        return {(p.name, p.required, p.type) for p in CATALOGUE[name].params}

    assert signature("programmes-by-target") == {("target", True, "string"),
                                                 ("lang", False, "string")}
    assert signature("programmes-by-goal") == {("goal", True, "integer"), ("lang", False, "string")}
    assert ("theme", True, "iri") in signature("programmes-by-theme")
    assert ("place", True, "string") in signature("programmes-by-place")
    assert ("programme", True, "iri") in signature("programme-profile")
    assert ("type", False, "iri") in signature("activities-by-type")
    assert ("programme", False, "iri") in signature("similar-programmes")
    assert signature("external-links") == set()


def test_unknown_query_lists_the_valid_ones():
    with pytest.raises(Mc2cmError) as info:
        get_query("programmes-by-planet")
    assert "programmes-by-target" in info.value.hint and "external-links" in info.value.hint


def test_bad_decorators_are_reported_with_line(tmp_path):
    with pytest.raises(Mc2cmError) as info:
        parse_decorators("#+ summary: ok\n#+ tags: [a\n#+ method: GET\nSELECT * {}",
                         tmp_path / "x.rq")
    assert "not valid YAML" in info.value.message and info.value.line is not None
    with pytest.raises(Mc2cmError, match="no grlc decorators"):
        parse_decorators("SELECT * {}")


def test_an_unknown_view_is_reported_with_the_file(tmp_path):
    path = tmp_path / "x.rq"
    path.write_text("#+ summary: ok\n#+ view: pie\nSELECT * {}", encoding="utf-8")
    with pytest.raises(Mc2cmError) as info:
        load_query(path)
    assert "unknown view 'pie'" in info.value.message and info.value.file == path
    assert "map" in info.value.hint and "bar" in info.value.hint


def test_param_vars_ignore_strings_iris_and_comments():
    text = '# ?_inComment\nSELECT * { ?s <http://x/?_inIri> "?_inString" FILTER(?s = ?_real) }'
    assert [p.variable for p in param_vars(text)] == ["_real"]


def test_every_query_is_documented():
    doc = (paths.ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in CATALOGUE:
        assert f"| `{name}` |" in doc, f"docs/queries.md does not list {name}"


@pytest.mark.parametrize(("name", "param", "kind"), [
    ("programmes-by-theme", "theme", "theme"),
    ("activities-by-type", "type", "activity type"),
])
def test_enumerated_iris_are_the_ones_in_the_data(engine, name, param, kind):
    """grlc's drop-down lists (written into the decorators) match the data's schemes."""
    from mc2cm_graph.query.run import known_lookup

    listed = next(item[param] for item in CATALOGUE[name].decorators["enumerate"]
                  if isinstance(item, dict) and param in item)
    assert sorted(listed) == sorted(set(known_lookup(engine)(kind).values()))
    assert CATALOGUE[name].decorators["enumerate"][-1] == {"lang": ["ar", "en", "fr"]}


def test_arabic_input_is_normalised_by_the_one_expression():
    """Every saved query that normalises input writes graph/search_key.py's expression,
    with its parameter, and no non-ASCII regular expression (Virtuoso reads those as bytes)."""
    import re

    from mc2cm_graph.graph.search_key import QUERY_INPUT_KEY, QUERY_TARGET_NOTATION

    users = 0
    for query in load_catalogue().values():
        if query.param("target") is not None:
            assert QUERY_TARGET_NOTATION.replace("?input", "?_target") in query.text, query.name
            continue
        if "ENCODE_FOR_URI" in query.text:
            users += 1
            assert any(QUERY_INPUT_KEY.replace("?input", p.token) in query.text
                       for p in query.params), query.name
        for pattern in re.findall(r'(?:REPLACE|REGEX)\([^"]*"([^"]*)"', query.text):
            assert pattern.isascii(), (query.name, pattern)
    assert users >= 2
