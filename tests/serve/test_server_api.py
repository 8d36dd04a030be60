"""The saved queries over HTTP (/api/NAME) and their OpenAPI description; bad and hostile
parameter values are refused before any query runs."""

import csv
import io
import json
import urllib.parse

import pytest

from tests.serve.conftest import ROOT, Served, http, sparql_get

FIXTURES = ROOT / "tests" / "serve" / "fixture-queries"
SFAX = "https://w3id.org/mc2cm/id/programme/sfax-acmals"
WELCOME = "https://w3id.org/mc2cm/id/theme/welcome-instruments"


@pytest.fixture(scope="module")
def api_server(built_dist):
    served = Served("--dist", str(built_dist), "--queries", str(FIXTURES), "--timeout", "5",
                    "--workers", "2")
    yield served
    served.stop()


def api(server, name, accept=None, **params):
    url = f"{server.url}/api/{name}?" + urllib.parse.urlencode(params)
    return http(url, headers={"Accept": accept} if accept else {})


def test_saved_query_json_rows_match_the_data(api_server):
    status, headers, body = api(api_server, "by-target", target="10.7")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    rows = json.loads(body)["results"]["bindings"]
    programmes = [r["programme"]["value"] for r in rows]
    assert SFAX in programmes  # programme 1 lists SDG 10.7 (data/programmes/01-...)
    for programme in programmes:  # and every row really is under 10.7
        ask = (f"ASK {{ <{programme}> <https://w3id.org/mc2cm/ontology#contributesToTarget> "
               "<http://metadata.un.org/sdg/10.7> }")
        assert json.loads(sparql_get(api_server.url, ask)[2])["boolean"]


def test_saved_query_csv_by_accept_and_by_format(api_server):
    _, headers, by_accept = api(api_server, "labels-by-theme", "text/csv", theme=WELCOME,
                                lang="ar")
    _, _, by_format = api(api_server, "labels-by-theme", theme=WELCOME, lang="ar",
                          format="csv")
    assert headers["Content-Type"].startswith("text/csv") and by_accept == by_format
    rows = {r["programme"]: r["subtitle"] for r in csv.DictReader(io.StringIO(by_accept))}
    assert rows[SFAX] == "تحسين تنسيق الهجرة من قبل الجهات الفاعلة المحلية في صفاقس"


def test_theme_by_slug_binds_the_theme_iri(api_server):
    _, _, by_slug = api(api_server, "labels-by-theme", theme="welcome-instruments")
    _, _, by_iri = api(api_server, "labels-by-theme", theme=WELCOME)
    assert json.loads(by_slug) == json.loads(by_iri)
    assert SFAX in by_slug


HOSTILE = {
    "quote and brace": '10.7" } UNION { ?s ?p ?o } #',
    "newline": "10.7\n} ?s ?p ?o {",
    "hash": "10.7 # comment",
    "unicode escape": "10.7\\u0022 } #",
    "very long": "1" * 20_000,
    "empty": "",
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_parameter_values_are_refused(api_server, value):
    status, _, body = api(api_server, "by-target", target=value)
    assert status == 400, body
    assert "target" in body and "how to fix" in body
    assert "results" not in body


def test_hostile_theme_is_refused(api_server):
    status, _, body = api(api_server, "labels-by-theme", theme='"> } ?s ?p ?o {<x')
    assert status == 400 and "theme" in body


@pytest.mark.parametrize(("params", "phrase"), [
    ({}, "needs the parameter target"),
    ({"target": "10.7", "colour": "red"}, "unknown parameter 'colour'"),
    ({"target": "ten"}, "invalid value for parameter target"),
])
def test_bad_parameters(api_server, params, phrase):
    status, _, body = api(api_server, "by-target", **params)
    assert status == 400 and phrase in body


def test_repeated_parameter_is_refused(api_server):
    status, _, body = http(f"{api_server.url}/api/by-target?target=10.7&target=5.1")
    assert status == 400 and "given 2 times" in body


def test_unknown_saved_query_lists_the_known_ones(api_server):
    status, _, body = api(api_server, "no-such-query")
    assert status == 404 and "by-target" in body and "labels-by-theme" in body


def test_openapi_describes_every_saved_query(api_server):
    from openapi_spec_validator import validate

    status, _, body = http(f"{api_server.url}/api/openapi.json")
    assert status == 200
    spec = json.loads(body)
    validate(spec)
    assert set(spec["paths"]) == {"/api/by-target", "/api/labels-by-theme"}
    target = spec["paths"]["/api/by-target"]["get"]
    assert target["summary"].startswith("Programmes under one SDG target")
    assert [(p["name"], p["required"]) for p in target["parameters"]] == [("target", True)]
    params = {p["name"]: p for p in spec["paths"]["/api/labels-by-theme"]["get"]["parameters"]}
    assert params["lang"]["schema"] == {"type": "string", "default": "en",
                                        "enum": ["ar", "en", "fr"]}
    assert "welcome-instruments" in params["theme"]["schema"]["enum"]
    assert params["lang"]["required"] is False and params["theme"]["required"] is True


def test_the_listing_gives_each_parameter_what_the_openapi_gives(api_server):
    """/api/ (what the query page's forms read) carries each parameter's default, allowed
    values and example as /api/openapi.json describes them."""
    listing = json.loads(http(f"{api_server.url}/api/")[2])
    paths = json.loads(http(f"{api_server.url}/api/openapi.json")[2])["paths"]
    for query in listing["queries"]:
        described = paths[query["url"]]["get"]["parameters"]
        assert [p["name"] for p in query["parameters"]] == [p["name"] for p in described]
        for given, spec in zip(query["parameters"], described, strict=True):
            assert given.get("example") == spec.get("example"), query["name"]
            assert given.get("enum") == spec["schema"].get("enum"), query["name"]
            assert given.get("default") == spec["schema"].get("default"), query["name"]
    by_name = {q["name"]: q for q in listing["queries"]}
    assert by_name["by-target"]["parameters"] == [
        {"name": "target", "kind": "string", "required": True, "example": "10.7"}]


def test_openapi_names_each_saved_querys_default_view(server):
    """`#+ view:` of a saved query (table when none) is the operation's x-view."""
    status, _, body = http(f"{server.url}/api/openapi.json")
    views = {path.rsplit("/", 1)[-1]: item["get"]["x-view"]
             for path, item in json.loads(body)["paths"].items()}
    assert views["places-on-map"] == "map" and views["activity-type-counts"] == "bar"
    assert views["programmes"] == "table"


def test_project_catalogue_openapi_is_valid(server):
    from openapi_spec_validator import validate

    status, _, body = http(f"{server.url}/api/openapi.json")
    assert status == 200
    spec = json.loads(body)
    validate(spec)
    for path, item in spec["paths"].items():
        assert item["get"]["summary"], path


def test_a_5000_digit_goal_over_http_is_a_400_naming_the_parameter(server):
    status, _, body = http(f"{server.url}/api/programmes-by-goal?goal={'1' * 5000}")
    assert status == 400 and "goal" in body and "request path" not in body
