"""Expected rows of every saved query, derived by reading the brochure (source/brochure-ar.txt).

What the brochure prints for each programme (themes; SDG targets), in its order:
 1 Sfax ACMALS: welcome, multilevel, participation; 5.1 17.9 10.7 16.6
 2 Tetouan/Larache/Ksar El Kebir: education, participation, discrimination, multilevel;
   4.a 16.6 11.3 16.b 16.3 17.9
 3 (no place): education, participation, discrimination, multilevel; 4.a 16.6 11.3 16.b 16.3 17.9
 4 I-MIGR Raoued/La Marsa: education, health, labour market, multilevel; 5.1 17.9 11.7 16.10
 5 Lebanon: welcome, participation, discrimination; 10.2 11.7 16.6
 6 Nador: education, participation, discrimination; 4.a 17.9 4.7 11.3
 7 Nador: participation, discrimination; 4.7 17.17 16.10 16.b
 8 Ramallah: participation, discrimination, multilevel; 5.c 16.7 10.2 11.b
 9 Tangier: welcome, participation; 10.2 16.7 10.7 17.9 11.3 17.17
10 Zarqa: welcome, participation, urban planning; 10.2 16.7 10.7 17.9 11.7
11 Casablanca: welcome, labour market, participation, multilevel; 10.7 11.1 11.3
12 Amman: welcome, participation; 10.2 16.7 10.7 17.9 11.7
13 La Marsa: welcome, discrimination; 10.2 11.1 11.3
14 Rabat: urban planning, multilevel, discrimination; 10.7 11.1 17.18 (printed 17.8, beside
   17.18's wording: data/source-corrections.csv)
15 Beirut: urban planning, participation, discrimination; 10.2 16.6 11.1 17.17 11.b
The sets below were worked out by hand from this table, not copied from query output.
"""

from decimal import Decimal

import pytest

from tests.query.conftest import SLUGS, iri

THEME = "https://w3id.org/mc2cm/id/theme/"
SDG = "http://metadata.un.org/sdg/"


def positions(result):
    return [int(p) for p in result.values("position")]


def assert_programmes(result, expected_positions):
    """One row per programme, in brochure order, with the right IRIs."""
    assert positions(result) == sorted(expected_positions)
    assert result.values("programme") == [iri(p) for p in sorted(expected_positions)]


@pytest.mark.parametrize(("target", "expected"), [
    ("10.7", {1, 9, 10, 11, 12, 14}),
    ("١٠.٧", {1, 9, 10, 11, 12, 14}),  # as the brochure prints it
    ("16.b", {2, 3, 7}),
    ("١٦.ب", {2, 3, 7}),
    ("٤.ا", {2, 3, 6}),                 # 4.a, with the alef the brochure uses for "a"
    ("17.9", {1, 2, 3, 4, 6, 9, 10, 12}),
    ("11.b", {8, 15}),
    ("5.c", {8}),
    ("16.10", {4, 7}),
    ("1.1", set()),
])
def test_programmes_by_target(run, target, expected):
    assert_programmes(run("programmes-by-target", target=target), expected)


def test_programmes_by_target_labels_and_places(run):
    result = run("programmes-by-target", target="16.b")
    # Programme 2 is in three cities; 3 names no place; 7 is in Nador.
    places = dict(zip(positions(result), result.values("places"), strict=True))
    assert set(places[2].split(", ")) == {"Tetouan", "Larache", "Ksar El Kebir"}
    assert places[3] in ("", None)  # engines give an empty or no GROUP_CONCAT of nothing
    assert places[7] == "Nador"
    arabic = run("programmes-by-target", lang="ar", target="16.b")
    assert dict(zip(positions(arabic), arabic.values("places"), strict=True))[7] == "الناظور"
    assert {r["subtitle"].language for r in arabic.rows} == {"ar"}


@pytest.mark.parametrize(("goal", "expected"), [
    ("10", {1, 5, 8, 9, 10, 11, 12, 13, 14, 15}),
    ("5", {1, 4, 8}),
    ("4", {2, 3, 6, 7}),
    ("11", {2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15}),
    ("16", {1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 15}),
    ("١٧", {1, 2, 3, 4, 6, 7, 9, 10, 12, 14, 15}),
    ("8", set()),
])
def test_programmes_by_goal(run, goal, expected):
    assert_programmes(run("programmes-by-goal", goal=goal), expected)


def test_programmes_by_goal_names_the_targets(run):
    result = run("programmes-by-goal", goal=10)
    targets = dict(zip(positions(result), result.values("targets"), strict=True))
    assert set(targets[9].split()) == {"10.2", "10.7"}
    assert targets[1] == "10.7"
    assert targets[13] == "10.2"


@pytest.mark.parametrize(("theme", "expected"), [
    ("welcome-instruments", {1, 5, 9, 10, 11, 12, 13}),
    ("multilevel-governance", {1, 2, 3, 4, 8, 11, 14}),
    ("social-political-participation", {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15}),
    ("access-to-education", {2, 3, 4, 6}),
    ("protection-from-discrimination", {2, 3, 5, 6, 7, 8, 13, 14, 15}),
    ("access-to-health", {4}),
    ("labour-market-access", {4, 11}),
    (THEME + "urban-planning-housing", {10, 14, 15}),
])
def test_programmes_by_theme(run, theme, expected):
    assert_programmes(run("programmes-by-theme", theme=theme), expected)


@pytest.mark.parametrize(("place", "expected"), [
    ("Nador", {6, 7}),
    ("الناظور", {6, 7}),
    ("NADOR", {6, 7}),
    ("Morocco", {2, 6, 7, 9, 11, 14}),       # a country finds its cities' programmes
    ("المغرب", {2, 6, 7, 9, 11, 14}),
    ("Maroc", {2, 6, 7, 9, 11, 14}),
    ("Tunisie", {1, 4, 13}),
    ("Lebanon", {5, 15}),                    # 5 names only the country, 15 is in Beirut
    ("الاردن", {10, 12}),                    # typed without the hamza of الأردن
    ("المرسى", {4, 13}),
    ("la marsa", {4, 13}),
    ("الرباط", {14}),                        # the data writes الرّباط, with a shadda
    ("Tétouan", {2}),
    ("Tetouan", {2}),
    ("Palestine", {8}),
    ("Paris", set()),
    ("طنجه", {9}),                           # ة typed as ه
    ("المرسي", {4, 13}),                     # ى typed as ي
    ("عمان", {12}),                          # the data writes عمّان
    ("الأردن", {10, 12}),
    ("وجدة", {6}),                           # named by programme 6's activity (involvesPlace)
    ("Oujda", {6}),
    ("ماركا", {12}),                         # districts named by the texts
    ("مدينه المجد", {10}),
    ("Andalousie", {2}),
])
def test_programmes_by_place(run, place, expected):
    assert_programmes(run("programmes-by-place", place=place), expected)


def profile(run, programme, lang=None):
    result = run("programme-profile", lang=lang, programme=programme)
    return [(r["field"].value, r["item"] and r["item"].value, r["value"].value)
            for r in result.rows]


def test_programme_profile_of_sfax(run):
    rows = profile(run, "sfax-acmals")
    fields = [f for f, _, _ in rows]
    # activity types (ours): 7 kinds over the 6 activities; quantities: activity 1 states
    # 3 training courses and 3 workshops, activity 6 three workshops; «منظمات المجتمع المدني»
    # in the objective: one target group
    assert fields == (["title", "subtitle", "objective", "place"] + ["theme"] * 3
                      + ["target"] * 4 + ["activity"] * 6 + ["outcome"] * 3
                      + ["activity type"] * 7 + ["quantity"] * 3 + ["target group"]
                      + ["funder", "position in brochure"])
    values = {f: v for f, _, v in rows}
    assert values["title"] == "ACMALS"
    assert values["place"] == "Sfax"
    assert values["position in brochure"] == "1"
    targets = [v.split()[0] for f, _, v in rows if f == "target"]
    assert targets == ["5.1", "10.7", "16.6", "17.9"]  # numeric order, not string order
    themes = {i for f, i, _ in rows if f == "theme"}
    assert themes == {THEME + t for t in ("welcome-instruments", "multilevel-governance",
                                          "social-political-participation")}
    activities = [i for f, i, _ in rows if f == "activity"]
    assert activities == [f"https://w3id.org/mc2cm/id/activity/sfax-acmals-{n}"
                          for n in range(1, 7)]


def test_programme_profile_in_arabic_and_by_position(run):
    rows = profile(run, "1", lang="ar")
    values = {f: v for f, _, v in rows}
    assert values["subtitle"] == "تحسين تنسيق الهجرة من قبل الجهات الفاعلة المحلية في صفاقس"
    assert values["place"] == "صفاقس"
    assert rows == profile(run, iri(1), lang="ar")


def test_programme_profile_of_the_programme_without_place(run):
    rows = profile(run, SLUGS[3])
    assert [v for f, _, v in rows if f == "place"] == ["(not named in the brochure)"]
    targets = [v.split()[0] for f, _, v in rows if f == "target"]
    assert targets == ["4.a", "11.3", "16.3", "16.6", "16.b", "17.9"]


# Target → number of programmes listing it, counted from the table in the docstring.
TARGET_COUNTS = {
    "17.9": 8, "10.2": 7, "10.7": 6, "11.3": 6, "16.6": 5, "11.1": 4, "11.7": 4, "16.7": 4,
    "4.a": 3, "16.b": 3, "17.17": 3, "4.7": 2, "5.1": 2, "11.b": 2, "16.3": 2, "16.10": 2,
    "5.c": 1, "17.18": 1,
}


def test_target_coverage(run):
    result = run("target-coverage")
    assert result.values("notation") == list(TARGET_COUNTS)  # the dict is in expected order
    assert [int(n) for n in result.values("programmes")] == list(TARGET_COUNTS.values())
    assert result.values("target") == [SDG + n for n in TARGET_COUNTS]
    assert result.values("goal") == [n.split(".")[0] for n in TARGET_COUNTS]
    labels = dict(zip(result.values("notation"), result.values("label"), strict=True))
    assert labels["10.7"].startswith("Facilitate orderly, safe, regular and responsible migration")
    wordings = dict(zip(result.values("notation"), result.values("brochureLabel"), strict=True))
    assert wordings["10.7"] == "تسهيل هجرة الأفراد"  # as printed beside ١٠.٧
    assert wordings["17.18"].startswith("تعزيز بناء القدرات من خلال توفير بيانات")
    arabic = run("target-coverage", lang="ar")
    assert arabic.rows[0]["label"].language == "ar"


# Theme → (programmes, {goal: programmes}); cells not listed are 0.
MATRIX = {
    "social-political-participation": (12, {4: 4, 5: 2, 10: 8, 11: 10, 16: 10, 17: 9}),
    "protection-from-discrimination": (9, {4: 4, 5: 1, 10: 5, 11: 8, 16: 6, 17: 6}),
    "welcome-instruments": (7, {5: 1, 10: 7, 11: 6, 16: 5, 17: 4}),
    "multilevel-governance": (7, {4: 2, 5: 3, 10: 4, 11: 6, 16: 5, 17: 5}),
    "access-to-education": (4, {4: 3, 5: 1, 11: 4, 16: 3, 17: 4}),
    "urban-planning-housing": (3, {10: 3, 11: 3, 16: 2, 17: 3}),
    "labour-market-access": (2, {5: 1, 10: 1, 11: 2, 16: 1, 17: 1}),
    "access-to-health": (1, {5: 1, 11: 1, 16: 1, 17: 1}),
}


def test_theme_goal_matrix(run):
    result = run("theme-goal-matrix")
    assert result.variables[:3] == ["theme", "label", "programmes"]
    assert result.variables[3:] == [f"sdg{g}" for g in range(1, 18)]
    got = {}
    for row in result.rows:
        cells = {g: int(row[f"sdg{g}"].value) for g in range(1, 18)}
        got[row["theme"].value[len(THEME):]] = (int(row["programmes"].value),
                                                {g: n for g, n in cells.items() if n})
    assert got == MATRIX
    counts = [n for n, _ in (got[t] for t in [r["theme"].value[len(THEME):]
                                              for r in result.rows])]
    assert counts == sorted(counts, reverse=True)


def test_city_summary(run):
    result = run("city-summary")
    rows = {r["place"].value.rsplit("/", 1)[1]: r for r in result.rows}
    assert set(rows) == {"sfax", "tetouan", "larache", "ksar-el-kebir", "raoued", "la-marsa",
                         "nador", "lebanon", "ramallah", "tangier", "zarqa", "casablanca",
                         "amman", "rabat", "beirut"}

    def numbers(place):
        row = rows[place]
        return tuple(int(row[k].value) for k in ("programmes", "targets", "themes"))

    assert numbers("nador") == (2, 7, 3)       # programmes 6 and 7
    assert numbers("la-marsa") == (2, 7, 6)    # programmes 4 and 13
    assert numbers("lebanon") == (1, 3, 3)     # programme 5 names only the country
    assert numbers("tetouan") == (1, 6, 4)
    # The brochure's bullets: 9 for Sfax, 7 + 6 for the two Nador programmes.
    assert int(rows["sfax"]["activities"].value) + int(rows["sfax"]["outcomes"].value) == 9
    assert int(rows["nador"]["activities"].value) + int(rows["nador"]["outcomes"].value) == 13
    assert rows["raoued"]["country"].value == "Tunisia"
    assert rows["lebanon"]["country"].value == "Lebanon"
    # Most programmes first, then by country and name: Nador (Morocco), La Marsa (Tunisia).
    assert result.values("place")[:2] == [
        "https://w3id.org/mc2cm/id/city/nador", "https://w3id.org/mc2cm/id/city/la-marsa"]


def test_places_on_map(run):
    result = run("places-on-map", lang="fr")
    rows = {r["place"].value.rsplit("/", 1)[1]: r for r in result.rows}
    assert len(rows) == 15 and "lebanon" in rows  # the places of city-summary
    sfax = rows["sfax"]
    assert (sfax["lat"].value, sfax["long"].value) == ("34.74", "10.76")
    assert sfax["wkt"].value == "POINT(10.76 34.74)"
    assert rows["tangier"]["name"].value == "Tanger"
    assert int(rows["nador"]["programmes"].value) == 2
    assert result.values("place")[0].rsplit("/", 1)[1] in ("la-marsa", "nador")


# Activities the brochure says set up a body (إنشاء / تأسيس / تشكيل an office, unit,
# committee, council, observatory, platform ...), by programme position.
NEW_INSTITUTION_PROGRAMMES = {1, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15}


def test_activities_by_type(run):
    result = run("activities-by-type", type="new-institution")
    assert set(result.values("type")) == {"https://w3id.org/mc2cm/id/activity-type/new-institution"}
    programmes = {p for p, s in SLUGS.items() if iri(p) in set(result.values("programme"))}
    assert programmes == NEW_INSTITUTION_PROGRAMMES
    assert "https://w3id.org/mc2cm/id/activity/sfax-acmals-3" in result.values("activity")
    everything = run("activities-by-type")
    sfax = [(r["activity"].value.rsplit("-", 1)[1], r["type"].value.rsplit("/", 1)[1])
            for r in everything.rows if r["programme"].value == iri(1)]
    # "3 training courses and 3 workshops" is both; "3 awareness workshops" too.
    assert ("1", "training") in sfax and ("1", "workshop") in sfax
    assert {a for a, _ in sfax} == {"1", "2", "3", "4", "5", "6"}
    assert len(everything.rows) > len(result.rows)


def test_activity_type_counts(run):
    result = run("activity-type-counts")
    rows = {r["type"].value.rsplit("/", 1)[1]: r for r in result.rows}
    assert int(rows["new-institution"]["programmes"].value) == len(NEW_INSTITUTION_PROGRAMMES)
    counts = [int(n) for n in result.values("activities")]
    assert counts == sorted(counts, reverse=True)


# Every figure the brochure prints: (programme, measure, value).
QUANTITIES = sorted([
    (1, "number of training courses", 3), (1, "number of workshops", 3),   # تنظيم 3 دورات و3 ورش
    (1, "number of workshops", 3),                                          # 3 ورش عمل توعويّة
    (5, "number of workshops", 3),                                          # 3 ورش عمل تشاركيّة
    (6, "number of workshops", 3),                                          # 3 ورش عمل تدريبية
    (7, "number of people trained", 40), (7, "number of women trained", 18),  # 40 (منهم 18 سيدة)
    (7, "number of people reached", 7000),                                  # 7000 مهاجر
    (11, "number of training courses", 1),                                  # دورة تدريبية
    (11, "number of training courses", 3),                                  # و3 دورات
])


def test_quantities(run):
    result = run("quantities")
    position = {iri(p): p for p in SLUGS}
    got = sorted((position[r["programme"].value], r["measure"].value, int(r["value"].value))
                 for r in result.rows)
    assert got == QUANTITIES
    assert positions_in_order(result, position)


def positions_in_order(result, position):
    seen = [position[p] for p in result.values("programme")]
    return seen == sorted(seen)


def test_similar_programmes(run):
    result = run("similar-programmes")
    top = [(SLUG_POS[r["programmeA"].value], SLUG_POS[r["programmeB"].value],
            r["score"].value) for r in result.rows[:6]]
    # 2 and 3 list the same 6 targets and 4 themes; Zarqa and Amman share 7 of 8 items;
    # Tangier-Amman 6 of 9; Tangier-Zarqa 6 of 10; 2 or 3 with Nador (6) 6 of 11.
    assert [(a, b) for a, b, _ in top[:4]] == [(2, 3), (10, 12), (9, 12), (9, 10)]
    assert [Decimal(s) for _, _, s in top[:4]] == [Decimal(1), Decimal("0.875"),
                                                   Decimal("0.667"), Decimal("0.6")]
    assert {(a, b) for a, b, _ in top[4:6]} == {(2, 6), (3, 6)}
    assert all(Decimal(s) == Decimal("0.545") for _, _, s in top[4:6])
    first = result.rows[0]
    assert (int(first["sharedTargets"].value), int(first["sharedThemes"].value)) == (6, 4)
    amman = run("similar-programmes", programme="amman-public-space")
    assert all(iri(12) in (r["programmeA"].value, r["programmeB"].value) for r in amman.rows)
    assert SLUG_POS[amman.rows[0]["programmeA"].value] == 10


SLUG_POS = {iri(p): p for p in SLUGS}


def test_external_links(run):
    result = run("external-links")
    assert sorted(result.values("notation")) == sorted(TARGET_COUNTS)
    rows = {r["notation"].value: r for r in result.rows}
    assert rows["10.7"]["targetSdgio"].value == "http://purl.unep.org/sdg/SDGIO_00000157"
    assert rows["10.7"]["goal"].value == SDG + "10"
    assert rows["10.7"]["goalWikidata"].value == "http://www.wikidata.org/entity/Q53581222"
    assert rows["4.a"]["targetSdgio"].value == "http://purl.unep.org/sdg/SDGIO_00000106"
    assert all(r["goalWikidata"] is not None and r["goalSdgio"] is not None
               for r in result.rows)
    # The UN vocabulary gives 16.10 no SDGIO match (it gives 16.1 two, one of them
    # SDGIO_00000219, probably 16.10's); every other target has one.
    assert [n for n, r in rows.items() if r["targetSdgio"] is None] == ["16.10"]
    assert result.values("notation")[:3] == ["4.7", "4.a", "5.1"]


def test_goal_coverage(run):
    result = run("goal-coverage")
    assert [int(g) for g in result.values("goalNumber")] == [11, 16, 17, 10, 4, 5]
    assert [int(n) for n in result.values("programmes")] == [13, 11, 11, 10, 4, 3]
    targets = dict(zip(result.values("goalNumber"), result.values("targets"), strict=True))
    assert set(targets["11"].split()) == {"11.1", "11.3", "11.7", "11.b"}
    assert result.rows[0]["wikidata"].value == "http://www.wikidata.org/entity/Q53581228"


def test_country_summary(run):
    result = run("country-summary")
    assert result.values("name") == ["Morocco", "Tunisia", "Jordan", "Lebanon", "Palestine"]
    assert [int(n) for n in result.values("programmes")] == [6, 3, 2, 2, 1]
    cities = dict(zip(result.values("name"), result.values("cities"), strict=True))
    assert set(cities["Morocco"].split(", ")) == {
        "Tetouan", "Larache", "Ksar El Kebir", "Nador", "Tangier", "Casablanca", "Rabat"}
    assert cities["Lebanon"] == "Beirut"
    # 14 in the rows; programme 3 names no place, and every row says so
    assert [int(n) for n in result.values("unplaced")] == [1] * 5


def test_theme_cooccurrence(run):
    result = run("theme-cooccurrence")
    pairs = {(r["themeA"].value[len(THEME):], r["themeB"].value[len(THEME):]):
             int(r["programmes"].value) for r in result.rows}
    assert result.rows[0]["programmes"].value == "7"
    assert pairs[("protection-from-discrimination", "social-political-participation")] == 7
    assert pairs[("social-political-participation", "welcome-instruments")] == 6
    assert pairs[("multilevel-governance", "social-political-participation")] == 5
    assert pairs[("access-to-education", "social-political-participation")] == 3
    assert pairs[("access-to-health", "labour-market-access")] == 1
    assert ("access-to-health", "welcome-instruments") not in pairs


def test_programmes_without_target(run):
    result = run("programmes-without-target", target="10.7")
    assert_programmes(result, {2, 3, 4, 5, 6, 7, 8, 13, 15})
    targets = dict(zip(positions(result), result.values("targets"), strict=True))
    assert set(targets[8].split()) == {"5.c", "16.7", "10.2", "11.b"}


def test_programmes_overview(run):
    result = run("programmes")
    assert_programmes(result, set(SLUGS))
    themes = [int(n) for n in result.values("themes")]
    targets = [int(n) for n in result.values("targets")]
    assert themes == [3, 4, 4, 4, 3, 3, 2, 3, 2, 3, 4, 2, 2, 3, 3]
    assert targets == [4, 6, 6, 4, 3, 4, 4, 4, 6, 5, 3, 5, 3, 3, 5]


def test_labels_fall_back_when_the_language_is_missing(dist_dir):
    """A label missing in the asked language comes out in English, then Arabic: never empty."""
    from mc2cm_graph.query.dist import open_store
    from mc2cm_graph.query.engine import LocalEngine
    from mc2cm_graph.query.run import run_query

    engine = LocalEngine(open_store(dist_dir))  # a copy to change
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    beirut = "<https://w3id.org/mc2cm/id/city/beirut>"

    def place_of_beirut_programme():
        result = run_query("programmes-by-target", {"target": "11.b"}, lang="fr", engine=engine)
        return dict(zip(positions(result), result.values("places"), strict=True))[15]

    assert place_of_beirut_programme() == "Beyrouth"
    engine.store.update(f'DELETE DATA {{ {beirut} {label} "Beyrouth"@fr }}')
    assert place_of_beirut_programme() == "Beirut"
    engine.store.update(f'DELETE DATA {{ {beirut} {label} "Beirut"@en }}')
    assert place_of_beirut_programme() == "بيروت"


@pytest.mark.parametrize(("text", "expected"), [
    # «الشباب» is printed in five texts, two of them with a shadda (الشّباب): all five.
    ("الشباب", [(10, "activity", 5), (10, "outcome", 2), (11, "activity", 1),
                (12, "activity", 4), (12, "outcome", 2)]),
    ("الشّباب", [(10, "activity", 5), (10, "outcome", 2), (11, "activity", 1),
                 (12, "activity", 4), (12, "outcome", 2)]),
    # Syrian refugees: the objectives of 10 and 12, and the outcomes that name them.
    ("اللاجئين السوريين", [(10, "programme", None), (10, "outcome", 3),
                           (12, "programme", None), (12, "outcome", 3)]),
    ("HUDC", [(10, "activity", 1), (10, "activity", 7), (10, "outcome", 1)]),
    ("وجده", [(6, "activity", 4)]),                  # وجدة with ه
    ("xyzzy", []),
])
def test_search(run, text, expected):
    result = run("search", text=text)
    got = [(int(r["position"].value), r["kind"].value,
            int(r["itemPosition"].value) if r["itemPosition"] is not None else None)
           for r in result.rows]
    assert got == expected


@pytest.mark.parametrize(("group", "expected"), [
    # Worked out from the brochure: «اللاجئين السوريين» in the objectives of 10 and 12 ...
    ("refugees", {10, 12}),
    ("اللاجئين", {10, 12}),                          # its Arabic label
    ("Réfugiés", {10, 12}),                          # its French label
    ("persons-with-disabilities", {10, 12}),
    ("children", {6, 10, 12}),                       # «المجلس البلدي للأطفال» in 6
    ("youth", {10, 11, 12}),
    ("women", {7, 10, 11, 12}),                      # «منهم 18 سيدة» in 7
    ("teachers", {6}),
    ("civil-society-organisations", {1, 2, 11}),
    ("municipal-staff", {2, 4, 9, 10, 11, 12, 14, 15}),
])
def test_programmes_by_target_group(run, group, expected):
    result = run("programmes-by-target-group", group=group)
    assert_programmes(result, expected)
    assert all(r["evidence"].value for r in result.rows)


# The targets of each programme (the table above) and the country each is set in (its city's;
# programme 3 names no place; 4's two cities are both in Tunisia).
TARGETS_BY_POSITION = {
    1: "5.1 17.9 10.7 16.6", 2: "4.a 16.6 11.3 16.b 16.3 17.9", 3: "4.a 16.6 11.3 16.b 16.3 17.9",
    4: "5.1 17.9 11.7 16.10", 5: "10.2 11.7 16.6", 6: "4.a 17.9 4.7 11.3",
    7: "4.7 17.17 16.10 16.b",
    8: "5.c 16.7 10.2 11.b", 9: "10.2 16.7 10.7 17.9 11.3 17.17", 10: "10.2 16.7 10.7 17.9 11.7",
    11: "10.7 11.1 11.3", 12: "10.2 16.7 10.7 17.9 11.7", 13: "10.2 11.1 11.3",
    14: "10.7 11.1 17.18", 15: "10.2 16.6 11.1 17.17 11.b"}
# UN M49 / ISO 3166-1 alpha-3 of each programme's country (ISO 3166-1 numeric, as published).
COUNTRY_BY_POSITION = {1: ("788", "TUN"), 2: ("504", "MAR"), 4: ("788", "TUN"),
                       5: ("422", "LBN"), 6: ("504", "MAR"), 7: ("504", "MAR"),
                       8: ("275", "PSE"), 9: ("504", "MAR"), 10: ("400", "JOR"),
                       11: ("504", "MAR"), 12: ("400", "JOR"), 13: ("788", "TUN"),
                       14: ("504", "MAR"), 15: ("422", "LBN")}


def _kos_indicators() -> dict[str, set[str]]:
    """Target notation → compact codes of its indicators, read from the vendored UN KOS."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF, SKOS

    from mc2cm_graph.graph import paths
    sdgo = Namespace("http://metadata.un.org/sdg/ontology#")
    kos = Graph().parse(paths.SDG_KOS_FILE)
    found: dict[str, set[str]] = {}
    for indicator in kos.subjects(RDF.type, sdgo.Indicator):
        codes = [str(n) for n in kos.objects(indicator, SKOS.notation)
                 if n.datatype == sdgo.SDGCodeCompact]
        for target in kos.objects(indicator, SKOS.broader):
            notation = str(target).removeprefix(SDG)
            # a repeated indicator has a code under each of its targets: this target's
            found.setdefault(notation, set()).update(
                c for c in codes if c.startswith(notation + "."))
    return found


def test_indicators_by_programme_are_those_of_its_targets_in_the_kos(run):
    kos = _kos_indicators()
    expected = {(p, code) for p, targets in TARGETS_BY_POSITION.items()
                for t in targets.split() for code in kos[t]}
    assert {"10.7.2", "11.3.2", "16.7.2", "17.18.1", "11.b.1"} <= {c for _p, c in expected}
    assert "1.5.3" not in {c for _p, c in expected}  # 11.b.1's code under another target
    result = run("indicators-by-programme", lang="en")
    got = [(int(r["position"].value), r["indicatorCode"].value) for r in result.rows]
    assert len(got) == len(set(got)) and set(got) == expected
    assert all(r["indicatorName"].value for r in result.rows)
    assert all(r["indicator"].value.startswith(SDG + "C") for r in result.rows)


def test_sdg_database_keys_give_m49_iso3_and_indicator_per_programme(run):
    kos = _kos_indicators()
    expected = {(p, COUNTRY_BY_POSITION[p][0], COUNTRY_BY_POSITION[p][1], t, code)
                for p, targets in TARGETS_BY_POSITION.items() if p in COUNTRY_BY_POSITION
                for t in targets.split() for code in kos[t]}
    result = run("sdg-database-keys")
    got = [(int(r["position"].value), r["GeoAreaCode"].value, r["ISO3"].value,
            r["Target"].value, r["Indicator"].value) for r in result.rows]
    assert len(got) == len(set(got)) and set(got) == expected
    assert all(r["Goal"].value == r["Target"].value.split(".")[0] for r in result.rows)


@pytest.mark.parametrize(("organisation", "expected"), [
    # Worked out from the brochure's texts (data/organisations-named.ttl quotes each).
    ("hudc", {10}),
    ("HUDC", {10}),
    ("UNHCR", set()),                                   # not named by the brochure: refused
    ("أمانة عمّان الكبرى", {12}),
    ("Municipality of Beirut", {15}),
    ("municipality-of-oujda", {6}),
    ("cies-onlus", {4}),
    ("european-union", set(range(1, 16))),             # the funder, on every page
])
def test_programmes_by_organisation(run, organisation, expected):
    from mc2cm_graph.graph.errors import Mc2cmError

    if not expected:
        with pytest.raises(Mc2cmError, match="known organisation: .*hudc"):
            run("programmes-by-organisation", organisation=organisation)
        return
    assert_programmes(run("programmes-by-organisation", organisation=organisation), expected)


def test_programmes_by_organisation_without_one_leaves_out_the_funder(run):
    result = run("programmes-by-organisation")
    assert positions(result) == [4, 6, 8, 9, 10, 12, 13, 14, 15]
    assert "funder" not in {r["relation"].value for r in result.rows}


def test_implementers_need_the_outside_facts(dist_dir):
    """From the outside facts (data/external/external-facts.trig): 4 CIES and UTSS, 5 Cités
    Unies Liban, 7 ASTICUDE and ACPP, 9 MedCities, 15 the municipality and UN-Habitat
    Lebanon; each with the source of its graph."""
    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.query.run import run_query

    with pytest.raises(Mc2cmError, match="--with-external"):
        run_query("implementers", dist_dir=dist_dir)
    result = run_query("implementers", dist_dir=dist_dir, with_external=True)
    rows = {(int(r["position"].value), r["organisation"].value.rsplit("/", 1)[1])
            for r in result.rows}
    assert rows == {(4, "cies-onlus"), (4, "utss"), (5, "cites-unies-liban"), (7, "asticude"),
                    (7, "acpp"), (9, "medcities"), (15, "municipality-of-beirut"),
                    (15, "un-habitat-lebanon")}
    assert all(r["source"].value and "/graph/external/" in r["graph"].value
               for r in result.rows)


def test_the_printed_17_8_answers_with_the_correction(run):
    """The brochure prints ١٧.٨ beside 17.18's wording (data/source-corrections.csv): asking
    for 17.8 gives programme 14 with the note; asking for 17.18 gives it without one."""
    for printed in ("17.8", "١٧.٨"):
        result = run("programmes-by-target", lang="en", target=printed)
        assert_programmes(result, {14})
        assert "17.18" in result.rows[0]["note"].value
    result = run("programmes-by-target", target="17.18")
    assert_programmes(result, {14})
    assert result.rows[0]["note"].value == ""
    assert all(r["note"].value == "" for r in run("programmes-by-target", target="10.7").rows)


def test_programme_profile_is_complete(run):
    """Places the texts name, target groups, organisations and the correction note."""
    zarqa = profile(run, "10")
    items = {(f, i.rsplit("/", 1)[1]) for f, i, _ in zarqa if i}
    assert ("place named", "al-majd") in items and ("organisation", "hudc") in items
    assert {("target group", g) for g in ("refugees", "women", "children", "youth",
                                          "persons-with-disabilities")} <= items
    rabat = profile(run, "14")
    notes = [v for f, _, v in rabat if f == "correction note"]
    assert len(notes) == 1 and "17.18" in notes[0]
    assert "correction note" not in {f for f, _, _ in zarqa}
    assert ("place named", "oujda") in {(f, i.rsplit("/", 1)[1])
                                        for f, i, _ in profile(run, "6") if i}


def test_lists_of_values(run):
    """Counted from the table in the docstring and the target-group mentions."""
    def counts(kind):
        result = run("list", kind=kind)
        return dict(zip(result.values("name"), (int(n) for n in result.values("programmes")),
                        strict=True))

    themes = counts("theme")
    assert len(themes) == 8 and themes["social-political-participation"] == 12
    assert themes["access-to-health"] == 1                    # programme 4 only
    assert len(counts("activity-type")) == 15
    places = counts("place")
    assert places["morocco"] == 6 and places["oujda"] == 1 and places["al-majd"] == 1
    assert len(places) == 24      # 5 countries, 15 cities, 3 districts, Andalusia
    groups = counts("target-group")
    assert len(groups) == 15 and groups["refugees"] == 2 and groups["municipal-staff"] == 8
    assert run("list", kind="type").values("name") == run("list", kind="activity-type").values(
        "name")
