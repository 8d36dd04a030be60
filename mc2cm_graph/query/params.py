"""Validating parameter values of saved queries, by parameter name.

Each validator takes the raw text a user typed and returns the lexical value to bind (a
notation, a number, an IRI ...), or raises an Mc2cmError saying what a good value looks like.
Values naming project resources (themes, activity types, programmes) are checked against what
the graph holds, through ``known(kind) -> {alias: iri}``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from mc2cm_graph.graph.errors import Mc2cmError, ParameterError
from mc2cm_graph.graph.iris import ID, ONTOLOGY_NS
from mc2cm_graph.graph.namespaces import ACTIVITY_TYPE, PROGRAMME, THEME
from mc2cm_graph.graph.target_numbers import DIGITS, TARGET_LETTERS

TARGET_GROUP = ID + "target-group/"
ORGANISATION = ID + "organisation/"

LANGUAGES = ("ar", "en", "fr")
MAX_LENGTH = 200

# The brochure prints targets in Arabic: digits ٠-٩ and the letters of the abjad order for
# the lettered targets (٤.ا is 4.a, ١٦.ب is 16.b, ٣.د is 3.d; graph/target_numbers.py).
# Accepting them lets a reader type what the page shows.
_SEPARATORS = {"٫": ".", "-": ".", "،": "."}
_TARGET = re.compile(r"(?P<goal>[0-9]{1,2})\.(?P<target>[1-9][0-9]?|[a-z])")

Known = Callable[[str], dict[str, str]]


def _invalid(name: str, raw: str, hint: str) -> Mc2cmError:
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    return ParameterError(f"invalid value for parameter {name}: {shown!r}", hint=hint)


def _clean(raw: str) -> str:
    # Drop invisible format characters (RLM/LRM marks that come along when copying Arabic).
    text = "".join(c for c in unicodedata.normalize("NFC", raw)
                   if unicodedata.category(c) != "Cf")
    return text.strip()


def _ascii_digits(text: str) -> str:
    return text.translate(DIGITS)


def _goal_number(text: str) -> int | None:
    if not (text.isascii() and text.isdigit() and len(text) <= 3):  # int() of 5,000 digits
        return None                                                   # is refused by Python
    return int(text) if 1 <= int(text) <= 17 else None


def target(raw: str, known: Known | None = None) -> str:
    text = "".join(_SEPARATORS.get(c, TARGET_LETTERS.get(c, c))
                   for c in _ascii_digits(_clean(raw))).lower()
    match = _TARGET.fullmatch(text)
    if not match or _goal_number(match["goal"]) is None:
        raise _invalid("target", raw, "an SDG target notation such as 10.7 or 16.b "
                       "(goal 1-17, a dot, a number or a letter; ١٠.٧ and ١٦.ب work too)")
    return f"{int(match['goal'])}.{match['target']}"


def goal(raw: str, known: Known | None = None) -> str:
    text = _ascii_digits(_clean(raw))
    text = re.sub(r"(?i)^(sdg|goal)\s*", "", text)
    number = _goal_number(text)
    if number is None:
        raise _invalid("goal", raw, "an SDG goal number from 1 to 17")
    return str(number)


def lang(raw: str, known: Known | None = None) -> str:
    text = _clean(raw).lower()
    if text not in LANGUAGES:
        raise _invalid("lang", raw, "one of " + ", ".join(LANGUAGES))
    return text


def place(raw: str, known: Known | None = None) -> str:
    text = " ".join(_clean(raw).split())
    allowed = all(unicodedata.category(c)[0] in "LM" or c in " -'’.()" for c in text)
    if not text or len(text) > 100 or not allowed:
        raise _invalid("place", raw, "a city or country name in Arabic, English or French "
                       "(letters, spaces, hyphens, apostrophes), e.g. Nador, الناظور or Maroc")
    return text


def text(raw: str, known: Known | None = None) -> str:
    """Words to search for: letters, marks, digits, spaces and common punctuation."""
    value = " ".join(_clean(raw).split())
    allowed = all(unicodedata.category(c)[0] in "LMN" or c in " -'’.,()/«»:؛،" for c in value)
    if len(value) < 2 or len(value) > 100 or not allowed:
        raise _invalid("text", raw, "2 to 100 letters, digits and spaces to search for, "
                       "e.g. الشباب, refugees or réfugiés")
    return value


KINDS = ("theme", "activity-type", "place", "target-group")


def kind(raw: str, known: Known | None = None) -> str:
    text = _clean(raw).lower().replace(" ", "-").replace("_", "-")
    text = {"type": "activity-type", "group": "target-group", "themes": "theme",
            "places": "place"}.get(text, text)
    if text not in KINDS:
        raise _invalid("kind", raw, "one of " + ", ".join(KINDS))
    return text


def _natural(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part]


def short_names(aliases: dict[str, str]) -> list[str]:
    """The slugs, notations and positions among ``aliases`` (not the labels, which are
    accepted too but would make a long list), in natural order: 1, 2, ... 10, not 1, 10."""
    return sorted((a for a, iri in aliases.items()
                   if a.isdigit() or iri.rsplit("/", 1)[-1] == a), key=_natural)


def _resource(name: str, namespace: str, kind: str, example: str) -> Callable[..., str]:
    """A validator for a project resource named by its IRI, its slug (or notation), or, for
    programmes, its position in the brochure."""

    def validate(raw: str, known: Known | None = None) -> str:
        text = _ascii_digits(_clean(raw))
        if len(text) > MAX_LENGTH:
            raise _invalid(name, raw, f"at most {MAX_LENGTH} characters")
        aliases = known(kind) if known else {}
        if not aliases:  # nothing to check against (no graph at hand): a slug or an IRI
            if "://" in text:
                return text
            if re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
                return str(namespace) + text
            raise _invalid(name, raw, f"an IRI or a slug such as {example}")
        iri = aliases.get(text) or aliases.get(text.lower())
        if iri is None and text in aliases.values():
            iri = text
        if iri is None:
            # Slugs, notations and positions only (labels are accepted too, but would make
            # the list long), in natural order: 1, 2, ... 10, not 1, 10, 11, ... 2.
            choices = short_names(aliases)
            raise _invalid(name, raw, f"the IRI or slug of a known {kind}: " + ", ".join(choices))
        return iri

    validate.__name__ = name
    return validate


theme = _resource("theme", THEME, "theme", "welcome-instruments")
activity_type = _resource("type", ACTIVITY_TYPE, "activity type", "training")
programme = _resource("programme", PROGRAMME, "programme", "sfax-acmals")
target_group = _resource("group", TARGET_GROUP, "target group", "refugees")
organisation = _resource("organisation", ORGANISATION, "organisation", "hudc")

VALIDATORS: dict[str, Callable[..., str]] = {
    "target": target,
    "goal": goal,
    "lang": lang,
    "place": place,
    "text": text,
    "theme": theme,
    "type": activity_type,
    "programme": programme,
    "group": target_group,
    "organisation": organisation,
    "kind": kind,
}

def _concept_aliases(scheme: str) -> str:
    """(?iri ?alias) of a scheme's concepts: notations, and the ar/en/fr labels as they are
    and in lower case (a label is matched as typed or lower-cased)."""
    return f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?iri ?alias WHERE {{
  ?iri skos:inScheme <{ID}scheme/{scheme}> .
  {{ ?iri skos:notation ?alias }}
  UNION {{ ?iri skos:prefLabel|skos:altLabel ?label BIND(STR(?label) AS ?alias) }}
  UNION {{ ?iri skos:prefLabel|skos:altLabel ?label BIND(LCASE(STR(?label)) AS ?alias) }} }}"""


# What each kind's aliases are, as a SPARQL query over the graph: (?iri ?alias) rows.
KNOWN_QUERIES = {
    "theme": _concept_aliases("recommendation-themes"),
    "activity type": _concept_aliases("activity-types"),
    # Notations and the labels in any language (matched as typed or in lower case).
    "target group": _concept_aliases("target-groups"),
    "organisation": f"""PREFIX mc2cm: <{ONTOLOGY_NS}>
SELECT ?iri ?alias WHERE {{
  {{ ?iri a mc2cm:Organisation
    BIND(STRAFTER(STR(?iri), "{ORGANISATION}") AS ?alias) }}
  UNION {{ ?iri a mc2cm:Organisation ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
          BIND(STR(?label) AS ?alias) }}
  UNION {{ ?iri a mc2cm:Organisation ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label
          BIND(LCASE(STR(?label)) AS ?alias) }} }}""",
    "programme": f"""PREFIX mc2cm: <{ONTOLOGY_NS}>
SELECT ?iri ?alias WHERE {{
  {{ ?iri a mc2cm:Programme
    BIND(STRAFTER(STR(?iri), "{PROGRAMME}") AS ?alias) }}
  UNION
  {{ ?iri a mc2cm:Programme ; mc2cm:positionInSource ?position BIND(STR(?position) AS ?alias) }}
  UNION
  {{ ?iri a mc2cm:Programme ; <http://www.w3.org/2000/01/rdf-schema#label> ?label
    BIND(STR(?label) AS ?alias) }}
  UNION
  {{ ?iri a mc2cm:Programme ; <http://www.w3.org/2000/01/rdf-schema#label> ?label
    BIND(LCASE(STR(?label)) AS ?alias) }} }}""",
}
