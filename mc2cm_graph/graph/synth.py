"""Synthetic programmes in our model, for benchmarks and scale tests.

``synthesise(out_dir, programmes=N, seed=S, violations=K)`` writes a complete data folder:
the project's reference files (themes, activity types, places, organisations) copied as
they are, and ``programmes/synth-NNNN.ttl`` files of 1,000 programmes each (one file per
programme would make 100k files; parsing cost is per triple, not per file). Programmes
link to the real theme, activity-type, city and organisation IRIs and to real UN SDG
target IRIs, carry ar/en/fr labels, and average about 26 triples. The same seed gives
byte-identical files.

With ``violations=K`` the first K programmes (spread over the kinds in ``VIOLATION_KINDS``)
are broken on purpose, and ``violations.json`` lists exactly what validation (shapes/ and
the QC rules of qc/) must report for them (focus, path, constraint component, value), so
tests can check it.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from mc2cm_graph.graph import iris, paths

PROGRAMMES_PER_FILE = 1000
REFERENCE_FILES = ("themes.ttl", "activity-types.ttl", "places.ttl", "organisations.ttl",
                   "geometries.ttl", "identifiers.ttl", "target-groups.ttl")
VIOLATIONS_FILE = "violations.json"

ONTOLOGY = iris.ONTOLOGY_NS
ID = iris.ID
# UN SDG targets that migration programmes plausibly serve (all exist in the UN KOS;
# tests/graph/test_synth.py checks it): the brochure's, each with the wording it prints beside
# the number, so that the target-link check passes on synthetic data.
WORDINGS = {
    "4.7": "الترويج لثقافة تقدير التنوّع الثقافي",
    "4.a": "بناء بيئات تعلّم قائمة على الاندماج للجميع",
    "5.1": "إنهاء التمييز ضد المرأة",
    "5.c": "اعتماد سياسات لتعزيز المساواة بين الجنسين",
    "10.2": "تعزيز الاندماج الاجتماعي والاقتصادي والسياسي للجميع",
    "10.7": "تسهيل هجرة الأفراد",
    "11.1": "ضمان وصول الجميع إلى السكن والخدمات الأساسية",
    "11.3": "تحسين التحضّر القائم على الدمج والاستدامة",
    "11.7": "تأمين وصول الجميع للأماكن العامة الدامجة",
    "11.b": "تطبيق السياسات المتكاملة نحو الإدماج",
    "16.3": "تعزيز الوصول المتساوي إلى العدالة",
    "16.6": "تطوير مؤسسات فعالة ومسؤولة",
    "16.7": "ضمان اتخاذ قرارات تشاركية على جميع المستويات",
    "16.10": "ضمان وصول العامة إلى المعلومات",
    "16.b": "ترويج قوانين وسياسات مكافحة للتمييز",
    "17.9": "تعزيز الدعم الدولي لبناء القدرات المستهدفة",
    "17.17": "تشجيع الشراكات بين القطاعات العامة والمجتمع المدني",
    "17.18": "تعزيز بناء القدرات من خلال توفير بيانات عالية الجودة وموثوقة ضمن وقت مناسب",
}
TARGETS = tuple(WORDINGS)
FUNDERS = ("european-union",)

# ar / en / fr templates; {city} is the city's name in that language.
# Labels carry the programme's number: QC refuses two resources of a class sharing a name.
TITLES = (
    ("مدينة {city} للجميع {n}", "{city} for all {n}", "{city} pour tous {n}"),
    ("الإدماج المحلي في {city} {n}", "Local inclusion in {city} {n}",
     "Inclusion locale à {city} {n}"),
    ("شبكة الهجرة في {city} {n}", "Migration network of {city} {n}",
     "Réseau migration de {city} {n}"),
    ("الترحيب في {city} {n}", "Welcome in {city} {n}", "Accueil à {city} {n}"),
)
SUBTITLES = (
    ("برنامج عمل تجريبي رقم {n} في {city}", "Synthetic action programme {n} in {city}",
     "Programme d'action synthétique {n} à {city}"),
)
SOURCE = f"<{ID}source/brochure-ar>"
ITEM_SUFFIX = (" (البرنامج {n})", " (programme {n})", " (programme {n})")
OBJECTIVES = (
    ("يهدف البرنامج إلى تحسين وصول المهاجرين إلى الخدمات في {city}.",
     "The programme aims to improve migrants' access to services in {city}.",
     "Le programme vise à améliorer l'accès des migrants aux services à {city}."),
    ("يهدف البرنامج إلى تعزيز التنسيق بين الجهات الفاعلة المحلية في {city}.",
     "The programme aims to strengthen coordination between local actors in {city}.",
     "Le programme vise à renforcer la coordination entre les acteurs locaux à {city}."),
    ("يهدف البرنامج إلى دعم مشاركة المهاجرين في الحياة العامة في {city}.",
     "The programme aims to support migrants' participation in public life in {city}.",
     "Le programme vise à soutenir la participation des migrants à la vie publique à {city}."),
)
ACTIVITIES = (
    ("تنظيم {n} دورات تدريبية للموظفين البلديين",
     "Organise {n} training courses for municipal staff",
     "Organiser {n} formations pour le personnel municipal", "training", "trainingCourseCount"),
    ("تنظيم {n} ورش عمل مع المجتمع المدني", "Organise {n} workshops with civil society",
     "Organiser {n} ateliers avec la société civile", "workshop", "workshopCount"),
    ("إعداد دراسة حول احتياجات المهاجرين", "Carry out a study of migrants' needs",
     "Réaliser une étude des besoins des migrants", "study", None),
    ("إنشاء مكتب لاستقبال المهاجرين", "Set up a reception office for migrants",
     "Créer un bureau d'accueil des migrants", "new-institution", None),
    ("تنظيم حملة توعية", "Run an awareness campaign", "Mener une campagne de sensibilisation",
     "awareness-campaign", None),
)
OUTCOMES = (
    ("تحسين وصول {n} مهاجر إلى المعلومات", "{n} migrants have better access to information",
     "{n} migrants accèdent mieux à l'information", "peopleReachedCount"),
    ("تعزيز قدرات الجهات الفاعلة المحلية", "Local actors have stronger capacities",
     "Les acteurs locaux ont des capacités renforcées", None),
)


@dataclass(frozen=True, order=True)
class ExpectedViolation:
    """One result a validator must report, in the short form of validate.Violation."""

    focus: str
    path: str
    constraint: str
    value: str


# Each kind breaks one programme in one way; _expected says what validation reports.
VIOLATION_KINDS = ("no-source", "objective-not-language-tagged", "activity-not-typed",
                   "no-outcome")


@dataclass
class _Reference:
    cities: list[tuple[str, str, str, str]]  # slug, ar, en, fr
    themes: list[str]
    activity_types: set[str]


def _reference(data_dir: Path) -> _Reference:
    import pyoxigraph as ox

    store = ox.Store()
    for name in REFERENCE_FILES:
        store.load(path=str(data_dir / name), format=ox.RdfFormat.TURTLE)
    cities = {}
    rows = store.query(f"SELECT ?c ?l WHERE {{ ?c a <{ONTOLOGY}City> ; "
                       f"<http://www.w3.org/2000/01/rdf-schema#label> ?l }}")
    for row in rows:
        slug = row["c"].value.rsplit("/", 1)[-1]
        cities.setdefault(slug, {})[row["l"].language] = row["l"].value
    themes = sorted(row["t"].value.rsplit("/", 1)[-1] for row in store.query(
        f"SELECT ?t WHERE {{ ?t a <{ONTOLOGY}RecommendationTheme> }}"))
    types = {row["t"].value.rsplit("/", 1)[-1] for row in store.query(
        f"SELECT ?t WHERE {{ ?t a <{ONTOLOGY}ActivityType> }}")}
    return _Reference(
        cities=[(slug, n["ar"], n["en"], n["fr"]) for slug, n in sorted(cities.items())],
        themes=themes, activity_types=types)


def _literal(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _target_link(notation: str, page: int) -> str:
    from mc2cm_graph.graph.target_numbers import printed_number

    return (f"[ a mc2cm:TargetLink ; mc2cm:linkedTarget sdg:{notation} ; "
            f"mc2cm:printedNumber {_literal(printed_number(notation))} ; "
            f"mc2cm:printedWording {_literal(WORDINGS[notation], 'ar')} ; "
            f"mc2cm:pageInSource {page} ]")


def _labels(predicate: str, texts: tuple[str, str, str]) -> str:
    ar, en, fr = texts
    return f"    {predicate} {_literal(ar, 'ar')} , {_literal(en, 'en')} , {_literal(fr, 'fr')} ;\n"


PREFIXES = f"""@prefix mc2cm: <{ONTOLOGY}> .
@prefix programme: <{ID}programme/> .
@prefix activity: <{ID}activity/> .
@prefix outcome: <{ID}outcome/> .
@prefix city: <{ID}city/> .
@prefix theme: <{ID}theme/> .
@prefix atype: <{ID}activity-type/> .
@prefix org: <{ID}organisation/> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

"""


def _programme(number: int, rng: random.Random, ref: _Reference, kind: str | None):
    """Turtle for one programme, and the violations it was made to carry."""
    slug = f"synth-{number:06d}"
    city_slug, *city = rng.choice(ref.cities)
    title = tuple(t.format(city=c, n=number)
                  for t, c in zip(rng.choice(TITLES), city, strict=True))
    subtitle = tuple(t.format(city=c, n=number)
                     for t, c in zip(rng.choice(SUBTITLES), city, strict=True))
    objective = tuple(t.format(city=c) for t, c in zip(rng.choice(OBJECTIVES), city, strict=True))
    themes = rng.sample(ref.themes, rng.randint(1, 2))
    targets = rng.sample(TARGETS, rng.randint(1, 2))
    n_activities = rng.randint(1, 2)
    n_outcomes = 0 if kind == "no-outcome" else 1
    parts = [f"programme:{slug} a mc2cm:Programme ;\n", _labels("rdfs:label", title),
             _labels("mc2cm:subtitle", subtitle)]
    if kind == "objective-not-language-tagged":  # the English one loses its tag
        ar, en, fr = objective
        parts.append(f"    mc2cm:objective {_literal(ar, 'ar')} , {_literal(en)} , "
                     f"{_literal(fr, 'fr')} ;\n")
    else:
        parts.append(_labels("mc2cm:objective", objective))
    if kind != "no-source":
        parts.append(f"    dcterms:source {SOURCE} ;\n")
    parts.append(f"    mc2cm:locatedIn city:{city_slug} ;\n")
    parts.append("    mc2cm:addressesTheme " + " , ".join(f"theme:{t}" for t in themes) + " ;\n")
    parts.append("    mc2cm:contributesToTarget "
                 + " , ".join(f"sdg:{t}" for t in targets) + " ;\n")
    parts.append("    mc2cm:qualifiedTargetLink "
                 + " , ".join(_target_link(t, number) for t in targets) + " ;\n")
    parts.append(f"    mc2cm:fundedBy org:{rng.choice(FUNDERS)} ;\n")
    if n_activities:
        parts.append("    mc2cm:hasActivity "
                     + " , ".join(f"activity:{slug}-{i}" for i in range(1, n_activities + 1))
                     + " ;\n")
    if n_outcomes:
        parts.append(f"    mc2cm:hasOutcome outcome:{slug}-1 ;\n")
    parts.append(f"    mc2cm:positionInSource {number} .\n\n")
    for i in range(1, n_activities + 1):
        ar, en, fr, atype, count_property = rng.choice(ACTIVITIES)
        n = rng.randint(2, 12)
        typed = not (kind == "activity-not-typed" and i == 1)
        head = f"activity:{slug}-{i} a mc2cm:Activity ;\n" if typed else f"activity:{slug}-{i}\n"
        parts.append(head + f"    mc2cm:positionInSource {i} ;\n")
        parts.append(_labels("rdfs:label", _numbered((ar, en, fr), n, number)))
        if count_property:
            parts.append(f"    mc2cm:{count_property} {n} ;\n")
        parts.append(f"    mc2cm:activityType atype:{atype} .\n\n")
    if n_outcomes:
        ar, en, fr, count_property = rng.choice(OUTCOMES)
        n = rng.randint(20, 2000)
        parts.append(f"outcome:{slug}-1 a mc2cm:Outcome ;\n    mc2cm:positionInSource 1 ;\n")
        count = f" ;\n    mc2cm:{count_property} {n}" if count_property else ""
        labels = _labels("rdfs:label", _numbered((ar, en, fr), n, number))
        parts.append(labels.rstrip(" ;\n") + count + " .\n\n")
    return "".join(parts), _expected(slug, kind, objective)


def _numbered(texts, n: int, number: int) -> tuple:
    return tuple(t.format(n=n) + suffix.format(n=number)
                 for t, suffix in zip(texts, ITEM_SUFFIX, strict=True))


def _expected(slug: str, kind: str | None, objective) -> list[ExpectedViolation]:
    """What our shapes and QC rules report for a programme broken in this way."""
    focus = f"programme:{slug}"

    def shape(path, component, value=""):
        return ExpectedViolation(focus, path, f"sh:{component}ConstraintComponent", value)

    if kind == "no-source":
        return [shape("dcterms:source", "MinCount")]
    if kind == "objective-not-language-tagged":  # not a language tag allowed; no English one
        return [shape("mc2cm:objective", "LanguageIn", _literal(objective[1])),
                shape("mc2cm:objective", "QualifiedMinCount")]
    if kind == "activity-not-typed":  # not an mc2cm:Activity; and QC: a resource with no type
        return [shape("mc2cm:hasActivity", "Class", f"activity:{slug}-1"),
                ExpectedViolation(f"activity:{slug}-1", "rdf:type", "qc:untyped-resource", "")]
    if kind == "no-outcome":
        return [shape("mc2cm:hasOutcome", "MinCount")]
    return []


def synthesise(out_dir: Path, programmes: int, *, seed: int = 0, violations: int = 0,
               data_dir: Path | None = None) -> list[Path]:
    """Write a data folder of ``programmes`` synthetic programmes; return the files written."""
    from mc2cm_graph.graph.errors import Mc2cmError

    if programmes < 1 or not 0 <= violations <= programmes:
        raise Mc2cmError("need at least 1 programme and 0 <= violations <= programmes",
                         hint="for example: synth --programmes 1000 --violations 4")
    data_dir = Path(data_dir or paths.DATA_DIR)
    out_dir = Path(out_dir)
    ref = _reference(data_dir)
    (out_dir / "programmes").mkdir(parents=True, exist_ok=True)
    written = []
    for name in REFERENCE_FILES:
        shutil.copyfile(data_dir / name, out_dir / name)
        written.append(out_dir / name)
    rng = random.Random(seed)
    expected: list[ExpectedViolation] = []
    for start in range(1, programmes + 1, PROGRAMMES_PER_FILE):
        chunk = [PREFIXES]
        for number in range(start, min(start + PROGRAMMES_PER_FILE, programmes + 1)):
            kind = VIOLATION_KINDS[(number - 1) % len(VIOLATION_KINDS)] \
                if number <= violations else None
            text, wanted = _programme(number, rng, ref, kind)
            chunk.append(text)
            expected += wanted
        target = out_dir / "programmes" / f"synth-{start // PROGRAMMES_PER_FILE + 1:04d}.ttl"
        target.write_text("".join(chunk), encoding="utf-8")
        written.append(target)
    report = out_dir / VIOLATIONS_FILE
    report.write_text(json.dumps([asdict(v) for v in sorted(expected)], indent=1,
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    return [*written, report]


def read_expected(out_dir: Path) -> list[ExpectedViolation]:
    """The violations a synthetic folder was made to carry (from its violations.json)."""
    rows = json.loads((Path(out_dir) / VIOLATIONS_FILE).read_text(encoding="utf-8"))
    return sorted(ExpectedViolation(**row) for row in rows)
