"""Property-based: whatever text arrives, the guard and the HTTP API answer cleanly (a
query form, a refusal or a 4xx), never a crash."""

import json
import urllib.parse

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph.errors import QueryError
from mc2cm_graph.serve.errors import QUERY_ERROR_STATUS
from mc2cm_graph.serve.guard import check_query
from tests.serve.conftest import http

KEYWORDS = st.sampled_from(["SERVICE", "FROM", "LOAD", "INSERT", "DROP", "service", "From"])


@settings(deadline=None)  # the first call starts the parser thread and imports rdflib
@given(st.text(max_size=300))
def test_guard_never_crashes(text):
    try:
        info = check_query(text)
    except QueryError as err:
        assert QUERY_ERROR_STATUS[err.kind] in (400, 403) and str(err)
    else:
        assert info.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@given(st.lists(st.one_of(KEYWORDS, st.text(alphabet=st.characters(
    blacklist_characters='"\\', blacklist_categories=("Cs", "Cc")), max_size=20)), max_size=6))
def test_keywords_inside_a_string_literal_never_count(parts):
    literal = " ".join(parts)
    query = f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}'
    assert check_query(query).form == "SELECT"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=80), name=st.sampled_from(
    ["programmes-by-target", "programmes-by-theme", "programmes-by-place"]))
def test_api_answers_any_parameter_value_with_rows_or_a_400(server, value, name):
    param = {"programmes-by-target": "target", "programmes-by-theme": "theme",
             "programmes-by-place": "place"}[name]
    url = f"{server.url}/api/{name}?" + urllib.parse.urlencode({param: value})
    status, _, body = http(url)
    assert status in (200, 400), body
    if status == 200:
        assert "results" in json.loads(body)
    else:
        assert param in body
