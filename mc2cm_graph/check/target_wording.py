"""QC check: does each brochure target wording fit the target it is attached to?

The brochure prints a short Arabic wording beside each SDG target number
(``mc2cm:brochureTargetLabel``). A misprinted number shows as a wording that fits another
target's UN title clearly better than its own. This check compares every wording with the
Arabic UN titles of all the targets in the graph (the 169 of vocab/), and reports a wording
whose best other target scores at least ``RATIO`` times its own target, naming both.

The measure is general, not a list of known cases:

- Arabic is normalised: diacritics and tatweel dropped; alef forms (أ إ آ ٱ) to ا; hamza on
  waw and yeh to the bare letter; ta marbuta to ha; alef maqsura to ya; the article and the
  attached conjunctions and prepositions (ال و ب ل) stripped from the start of words.
- Similarity is IDF-weighted containment of character 4-grams: the share of the wording's
  4-grams (each weighted by how rare it is among the UN titles) that the title contains.
  Containment, not cosine, because a brochure wording abridges a long UN title.

Calibrated on the 21 wordings of 18 targets (docs/validation.md): on the corrected data the
highest ratio of best-other to own score is 1.26 (10.7's three-word wording); the wording
printed beside 17.8 scores 3.3 times higher on 17.18 (0.67 against 0.20). ``RATIO`` sits
between the two. With these settings, each of the 21 wordings moved to any other target is
reported in 97 % of the 3,528 cases, and names the target it came from in 79 %.

It runs with the QC rules of qc/ in ``validate`` and ``build``, on both engines: ``check``
takes anything with ``.query(sparql)`` (a pyoxigraph store or the fast engine's view).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from mc2cm_graph.check.report import Violation

NAME = "target-wording-mismatch"
RATIO = 2.0  # best other target's score / own target's score at which a wording is reported
MIN_SCORE = 0.3  # and the other title must contain at least this share of the wording
GRAM = 4
PROPERTY = "mc2cm:brochureTargetLabel"
FIX = ("the brochure wording fits another SDG target's UN title far better than the target it "
       "is attached to: check the number the brochure prints against the wording; if the "
       "number is misprinted, link the programme and the wording to the right target and "
       "record the correction in data/source-corrections.csv")

WORDINGS_QUERY = """
PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
SELECT ?target ?wording WHERE { ?target mc2cm:brochureTargetLabel ?wording }
"""
TITLES_QUERY = """
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?target ?title WHERE {
  ?target a sdgo:Target ; skos:prefLabel ?title . FILTER(LANGMATCHES(LANG(?title), "ar"))
}
"""

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # and tatweel
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي",
                          "ء": "", "ة": "ه", "ى": "ي"})
_NOT_ARABIC = re.compile(r"[^\u0621-\u064a\s]")
_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")


def normalise_arabic(text: str) -> list[str]:
    """The words of an Arabic text, normalised and without their leading particles."""
    text = _NOT_ARABIC.sub(" ", _MARKS.sub("", text).translate(_LETTERS))
    return [_strip_prefix(word) for word in text.split()]


def _strip_prefix(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    return word


def grams(text: str, n: int = GRAM) -> set[str]:
    """Character n-grams of the normalised words, each word padded with spaces."""
    found = set()
    for word in normalise_arabic(text):
        padded = f" {word} "
        found.update(padded[i:i + n] for i in range(len(padded) - n + 1))
    return found


def idf(titles: dict[str, set[str]]) -> dict[str, float]:
    counts = Counter(gram for title in titles.values() for gram in title)
    return {gram: _idf(count, len(titles)) for gram, count in counts.items()}


def _idf(count: int, total: int) -> float:
    return math.log((total + 1) / (count + 1)) + 1


def containment(wording: set[str], title: set[str], weights: dict[str, float],
                unseen: float) -> float:
    """Weighted share of the wording's n-grams found in the title (0 to 1)."""
    total = sum(weights.get(g, unseen) for g in wording)
    return sum(weights[g] for g in wording if g in title) / total if total else 0.0


def mismatches(wordings: list[tuple[str, str]], titles: dict[str, str]) -> list[tuple]:
    """(target, wording, own score, best other target, its score) for each wording that
    fits another target at least RATIO times better than its own."""
    title_grams = {target: grams(title) for target, title in titles.items()}
    weights = idf(title_grams)
    unseen = _idf(0, len(title_grams))
    found = []
    for target, wording in wordings:
        scores = {other: containment(grams(wording), g, weights, unseen)
                  for other, g in title_grams.items()}
        own = scores.pop(target, 0.0)
        best = max(scores, key=lambda t: (scores[t], t), default=None)
        if best is not None and scores[best] >= MIN_SCORE and scores[best] >= RATIO * own:
            found.append((target, wording, own, best, scores[best]))
    return found


def _rows(source, query: str) -> list[tuple[str, str]]:
    return [(solution[0].value, solution[1].value) for solution in source.query(query)]


def check(source) -> list[Violation]:
    """The check's violations over a SPARQL source (``.query(text)``)."""
    from rdflib import Literal, URIRef

    from mc2cm_graph.check.report import short

    titles = dict(sorted(_rows(source, TITLES_QUERY)))
    rows = []
    for target, wording, own, best, score in mismatches(sorted(_rows(source, WORDINGS_QUERY)),
                                                         titles):
        rows.append(Violation(
            focus=short(URIRef(target)), path=PROPERTY, constraint=f"qc:{NAME}",
            value=short(Literal(wording, lang="ar")),
            message=(f"worded like {short(URIRef(best))} (similarity {score:.2f} to its UN "
                     f"title, {own:.2f} to {short(URIRef(target))}'s): {FIX}"),
            shape="mc2cm_graph/check/target_wording.py"))
    return rows
