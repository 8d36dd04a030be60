"""Parameter values are validated and bound as RDF terms; injection attempts are refused."""

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.query.bind import substitute, term_for, tokens
from mc2cm_graph.query.params import VALIDATORS, goal, lang, place, target
from mc2cm_graph.query.run import bind, known_lookup, parse_assignments, run_query
from mc2cm_graph.query.saved import load_catalogue

CATALOGUE = load_catalogue()

ATTACKS = [
    '10.7" } ; DROP ALL ; #',
    '10.7"} UNION { ?s ?p ?o } #',
    "10.7' } #",
    "10.7\n} DROP ALL",
    "10.7 # comment",
    "10.7\\u0022 }",
    "10.7\\\" }",
    "<http://evil/> } ",
    "${x}",
    "x" * 10_000,
    "١٠.٧\u0000",
]


@pytest.mark.parametrize(("raw", "expected"), [
    ("10.7", "10.7"), (" 16.B ", "16.b"), ("١٠.٧", "10.7"), ("١٦.ب", "16.b"), ("٤.ا", "4.a"),
    ("٤.أ", "4.a"), ("٥.ج", "5.c"), ("10-7", "10.7"), ("۱۰.۷", "10.7"), ("١٦٫١٠", "16.10"),
    ("\u200f١١.ب", "11.b"), ("17.17", "17.17"), ("05.1", "5.1"), ("٣.د", "3.d"),
])
def test_target_notations(raw, expected):
    assert target(raw) == expected


@pytest.mark.parametrize("raw", ["18.1", "0.1", "10", "10.7.1", "10.77a", "", "abc", "10.d7",
                                 "10.0", "16.z1", *ATTACKS])
def test_target_refusals(raw):
    with pytest.raises(Mc2cmError) as info:
        target(raw)
    assert "parameter target" in info.value.message and "10.7" in info.value.hint


@pytest.mark.parametrize(("raw", "expected"), [("10", "10"), ("١٠", "10"), ("SDG 10", "10"),
                                                ("goal 5", "5"), (" 17 ", "17"), ("01", "1")])
def test_goal_numbers(raw, expected):
    assert goal(raw) == expected


@pytest.mark.parametrize("raw", ["0", "18", "1.5", "x", "", "-3", "10 } #", "1e1"])
def test_goal_refusals(raw):
    with pytest.raises(Mc2cmError, match="parameter goal"):
        goal(raw)


def test_lang():
    assert lang(" AR ") == "ar"
    with pytest.raises(Mc2cmError, match="parameter lang") as info:
        lang("de")
    assert "ar, en, fr" in info.value.hint


@pytest.mark.parametrize("raw", ["Ksar El Kebir", "الرّباط", "L'Ariana", "Tétouan", "Rabat-Salé"])
def test_place_names(raw):
    assert place(raw) == raw


@pytest.mark.parametrize("raw", ['Nador" } ;', "a{b}", "x" * 101, "", "<script>", "Nador\\",
                                 "Nador #", "12"])
def test_place_refusals(raw):
    with pytest.raises(Mc2cmError, match="parameter place"):
        place(raw)


def test_resource_parameters_resolve_slugs_positions_and_iris(engine):
    known = known_lookup(engine)
    theme = "https://w3id.org/mc2cm/id/theme/access-to-health"
    assert VALIDATORS["theme"]("access-to-health", known) == theme
    assert VALIDATORS["theme"](theme, known) == theme
    assert VALIDATORS["programme"]("١٥", known).endswith("/beirut-social-protection")
    assert VALIDATORS["type"]("training", known).endswith("/activity-type/training")
    with pytest.raises(Mc2cmError) as info:
        VALIDATORS["theme"]("health", known)
    assert "access-to-health" in info.value.hint  # lists the known ones
    with pytest.raises(Mc2cmError, match="programme"):
        VALIDATORS["programme"]("16", known)
    with pytest.raises(Mc2cmError):
        VALIDATORS["programme"]("https://w3id.org/mc2cm/id/programme/elsewhere", known)


@pytest.mark.parametrize("name", ["programmes-by-target", "programmes-by-place",
                                  "programme-profile", "programmes-by-theme",
                                  "programmes-by-goal", "activities-by-type"])
@pytest.mark.parametrize("attack", ATTACKS)
def test_injection_is_refused(engine, name, attack):
    query = CATALOGUE[name]
    param = next(p.name for p in query.params if p.name != "lang")
    with pytest.raises(Mc2cmError):
        run_query(name, {param: attack}, engine=engine)
    with pytest.raises(Mc2cmError, match="parameter lang"):
        run_query(name, {param: SAMPLE[param], "lang": attack}, engine=engine)


def test_unknown_and_missing_parameters(engine):
    with pytest.raises(Mc2cmError) as info:
        run_query("programmes-by-target", {"targte": "10.7"}, engine=engine)
    assert "targte" in info.value.message and "target" in info.value.hint
    assert "lang (optional)" in info.value.hint
    with pytest.raises(Mc2cmError, match="needs the parameter target"):
        run_query("programmes-by-target", {}, engine=engine)
    with pytest.raises(Mc2cmError, match="takes no parameters"):
        run_query("external-links", {"x": "1"}, engine=engine)


def test_parse_assignments():
    assert parse_assignments(["target=10.7", "place=a=b"]) == {"target": "10.7", "place": "a=b"}
    with pytest.raises(Mc2cmError, match="NAME=VALUE"):
        parse_assignments(["target"])


def test_term_for_refuses_backslashes_and_controls():
    for bad in ["a\\u0022", "a\\", "a\u0000", "a\u001b[31m"]:
        with pytest.raises(Mc2cmError, match="forbidden character"):
            term_for(bad, "string")
    with pytest.raises(Mc2cmError, match="not an IRI"):
        term_for("not an iri", "iri")
    with pytest.raises(Mc2cmError, match="not an integer"):
        term_for("1 } #", "integer")
    assert str(term_for('a"b', "string")) == '"a\\"b"'
    assert str(term_for("x", "fr")) == '"x"@fr'


def _round_trip(term):
    """The term a serialised term stands for when SPARQL reads it back."""
    rows = list(ox.Store().query(f"SELECT ?x WHERE {{ VALUES ?x {{ {term} }} }}"))
    assert len(rows) == 1
    return rows[0]["x"]


def _assert_only_the_variable_changed(text, variable, term):
    bound = substitute(text, {variable: term})
    expected = []
    for kind, tok in tokens(text):
        replaced = kind == "var" and tok[1:] == variable
        expected += list(tokens(str(term))) if replaced else [(kind, tok)]
    assert list(tokens(bound)) == expected
    assert _round_trip(term) == term


def _forbidden(raw: str) -> bool:
    """What a string parameter may not hold (engines disagree on backslash escapes; control
    characters and lone surrogates are no text): the refusals the test expects, no more."""
    import unicodedata

    return any(c == "\\" or unicodedata.category(c) in ("Cc", "Cs") for c in raw)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60) | st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                                                    blacklist_characters="\\"), max_size=60))
def test_any_string_is_bound_exactly_or_refused(raw):
    """A string is refused exactly when it holds a forbidden character; any other is bound
    as itself and changes nothing else in the query."""
    text = CATALOGUE["programmes-by-place"].text
    if _forbidden(raw):
        with pytest.raises(Mc2cmError, match="forbidden character"):
            term_for(raw, "string")
        return
    term = term_for(raw, "string")
    assert term.value == raw
    _assert_only_the_variable_changed(text, "_place", term)


# Good values in the forms users type them, which must be bound (a validator that refused
# everything would otherwise pass the random-text test below).
GOOD_FORMS = {
    "target": ["10.7", " 16.B ", "١٠.٧", "١٦.ب", "\u200f١١.ب"],
    "goal": ["10", "SDG 10", "١٠", "goal 5"],
    "place": ["Nador", "الناظور", "Tétouan", "L'Ariana", "Rabat-Salé"],
    "lang": ["ar", " EN ", "fr"],
    "theme": ["welcome-instruments", "https://w3id.org/mc2cm/id/theme/access-to-health"],
    "programme": ["amman-public-space", "١٥", "15",
                  "https://w3id.org/mc2cm/id/programme/sfax-acmals"],
    "type": ["training", "https://w3id.org/mc2cm/id/activity-type/training"],
    "text": ["الشباب", "refugees", "réfugiés", "طنجه", "مدينة المجد", " Sfax  (ACMALS) "],
    "group": ["refugees", "migrant-workers", "https://w3id.org/mc2cm/id/target-group/children"],
    "organisation": ["hudc", "HUDC", "https://w3id.org/mc2cm/id/organisation/hudc"],
    "kind": ["theme", "activity-type", "type", "Places", "target-group"],
}


@st.composite
def _parameter_values(draw):
    """(name, raw, must_bind): random text that may be refused, or a good form that must
    be bound."""
    name = draw(st.sampled_from(sorted(VALIDATORS)))
    if draw(st.booleans()):
        return name, draw(st.text(max_size=40)), False
    return name, draw(st.sampled_from(GOOD_FORMS[name])), True


def test_every_parameter_has_good_forms():
    assert set(GOOD_FORMS) == set(VALIDATORS)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_parameter_values())
def test_validated_values_bind_safely_or_are_refused(engine, case):
    """Random text for any parameter: an Mc2cmError naming the parameter, or a term that
    changes nothing else; a good form is always bound."""
    name, raw, must_bind = case
    query = next(q for q in CATALOGUE.values() if q.param(name) is not None)
    param = query.param(name)
    try:
        value = VALIDATORS[name](raw, known_lookup(engine))
    except Mc2cmError as err:
        assert not must_bind, f"{name}={raw!r} refused: {err}"
        assert f"parameter {name}" in err.message or name in err.message, err.message
        return
    term = term_for(value, param.type)
    _assert_only_the_variable_changed(query.text, param.variable, term)
    assert bind(query, {**{p.name: SAMPLE[p.name] for p in query.params if p.required},
                        name: raw}, known_lookup(engine))


SAMPLE = {
    "target": "10.7", "goal": "10", "place": "Nador", "lang": "fr", "text": "الشباب",
    "theme": "https://w3id.org/mc2cm/id/theme/welcome-instruments",
    "programme": "https://w3id.org/mc2cm/id/programme/amman-public-space",
    "type": "https://w3id.org/mc2cm/id/activity-type/training",
    "group": "https://w3id.org/mc2cm/id/target-group/refugees",
    "organisation": "https://w3id.org/mc2cm/id/organisation/hudc",
    "kind": "place",
}


def _grlc_rewrite(query, values):
    """What grlc does to the same file (grlc/gquery.py rewrite_query): plain text replace of
    ?_name by "value", <value> for _iri, "value"^^xsd:integer for _integer."""
    text = query.text
    for param in query.params:
        if param.name not in values:
            continue
        value = values[param.name]
        rendered = {"iri": f"<{value}>", "integer": f'"{value}"^^xsd:integer'}.get(
            param.type, f'"{value}"')
        text = text.replace(param.token, rendered)
        xsd = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
        if param.type == "integer" and xsd not in text:
            text = text.replace("SELECT", xsd + "\n\nSELECT")
    return text


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_grlc_gives_the_same_rows(engine, external_engine, name):
    """The files run unchanged in grlc: its textual rewrite gives the rows our binding gives,
    with every parameter given and with only the required ones."""
    query = CATALOGUE[name]
    engine = external_engine if query.needs_external else engine
    for values in ({p.name: SAMPLE[p.name] for p in query.params},
                   {p.name: SAMPLE[p.name] for p in query.params if p.required}):
        ours = engine.select(bind(query, values, known_lookup(engine)))
        theirs = engine.select(_grlc_rewrite(query, values))
        assert ours == theirs
        assert ours.rows, f"{name} with {values} gives no rows"


def test_resource_parameters_without_a_graph_take_slugs_and_iris():
    assert VALIDATORS["theme"]("access-to-health").endswith("/theme/access-to-health")
    assert VALIDATORS["programme"]("https://example.org/p") == "https://example.org/p"
    with pytest.raises(Mc2cmError, match="parameter type"):
        VALIDATORS["type"]("Not A Slug")


@pytest.mark.parametrize(("name", "raw", "slug"), [
    ("theme", "Access to education", "access-to-education"),
    ("theme", "الحصول على خدمات التعليم", "access-to-education"),   # an Arabic altLabel
    ("theme", "ACCESS-TO-EDUCATION", "access-to-education"),
    ("type", "Training", "training"),
    ("programme", "Zarqa", "zarqa-public-spaces"),
    ("programme", "١٠", "zarqa-public-spaces"),
    ("group", "Réfugiés", "refugees"),
    ("group", "اللاجئين", "refugees"),
    ("organisation", "بلدية بيروت", "municipality-of-beirut"),
])
def test_resources_by_label_in_any_language(engine, name, raw, slug):
    assert VALIDATORS[name](raw, known_lookup(engine)).endswith("/" + slug)


def test_valid_values_are_listed_in_natural_order(engine):
    with pytest.raises(Mc2cmError) as info:
        VALIDATORS["programme"]("99", known_lookup(engine))
    assert ("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, amman-public-space,"
            in info.value.hint)
