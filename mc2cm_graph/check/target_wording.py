"""How well a brochure wording fits a UN SDG target: the scoring behind the target-link check
(check/target_links.py).

The brochure prints a short Arabic wording beside each target number. A misprinted number,
or a link to the wrong target, shows as a wording that fits another target's UN title
clearly better than the linked one. The wording is compared with the Arabic UN titles of
all 169 targets (vocab/sdg-labels-ar-ru-zh.ttl). The other vendored languages (en, fr, es,
ru, zh) were tried as pivots through the parallel titles and made the figures worse (the
brochure's words are mostly absent from the Arabic titles, so nothing can be carried
across): docs/validation.md gives the figures.

The measure, general rather than a list of known cases:

- Arabic is normalised: diacritics and tatweel dropped; alef forms (أ إ آ ٱ) to ا; hamza on
  waw and yeh to the bare letter; ta marbuta to ha; alef maqsura to ya; the article and the
  attached conjunctions and prepositions (ال و ب ل) stripped from the start of words;
  particles (على، في، نحو، ...) dropped.
- Features of a text: the Snowball Arabic stem of each word (PyPI snowballstemmer, which
  runs Snowball's C build, PyStemmer, when it is installed, as it is here), the
  ISRI root of each word (NLTK; it brings تحضّر and الحضري, استدامة and المستدام together),
  the character 3-grams of the stems, and pairs of stems one or two words apart (so «الدعم
  الدولي» tells 17.9 from 17.18, which share «تعزيز» and «بناء القدرات»).
- Each feature is weighted by how rare it is among the 169 titles (the square of its
  inverse document frequency) and by its kind (``KIND_WEIGHTS``); a title's feature counts
  a little less the later it comes in the title (``DECAY``), because a brochure wording
  abridges the start of a UN title.
- The score of a wording for a target is the weighted share of the wording's features
  that the target's title contains (0 to 1): containment, not cosine, since the wording is
  much shorter than the title.

A wording linked to a target is reported when another target scores at least ``RATIO``
times the linked one. The calibration (bench/target_wording_moves.py, docs/validation.md):
every wording of the brochure scores highest on the target it is printed for, the closest
other target at most 0.91 of it (under half of ``RATIO``), and of the 3,528 moves of each
of the 21 wordings onto every other target, 99.1 % are reported, 99.1 % naming the target
the wording came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RATIO = 2.0  # best other target's score / linked target's score at which a link is reported
DECAY = 0.05  # a title's n-th word counts 1 / (1 + DECAY * n)
KIND_WEIGHTS = {"stem": 1.0, "root": 0.5, "gram": 0.2, "pair": 2.0}
GRAM = 3

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # and tatweel
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي",
                          "ء": "", "ة": "ه", "ى": "ي"})
_NOT_ARABIC = re.compile(r"[^\u0621-\u064a\s]")
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")
_PARTICLES = ("على في من الى عن مع او و ان التي الذي ذلك بما منها جميع كل نحو حول خلال ضمن "
              "عبر لدى")


def normalise_arabic(text: str) -> list[str]:
    """The words of an Arabic text, normalised and without their leading particles."""
    text = _NOT_ARABIC.sub(" ", _MARKS.sub("", text).translate(_LETTERS))
    return [_strip_prefix(word) for word in text.split()]


def _strip_prefix(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix):]
    return word


def isri_stemmer():
    """NLTK's ISRI stemmer, without NLTK's ``__init__`` when NLTK is not imported yet: it
    imports most of NLTK and numpy (0.3-0.4 s of CPU, a sixth of a seed build) for a
    module that needs two others (``nltk.redos``, ``nltk.stem.api``). Those three are
    loaded under bare parent packages, which leave ``sys.modules`` again, so a later
    ``import nltk`` runs as usual."""
    import importlib
    import importlib.util
    import sys
    import types

    if "nltk" in sys.modules:
        from nltk.stem.isri import ISRIStemmer

        return ISRIStemmer()
    spec = importlib.util.find_spec("nltk")
    folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        for name, path in (("nltk", folder), ("nltk.stem", folder / "stem")):
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            sys.modules[name] = package
        return importlib.import_module("nltk.stem.isri").ISRIStemmer()
    finally:
        for name in [n for n in sys.modules if n == "nltk" or n.startswith("nltk.")]:
            del sys.modules[name]


@lru_cache(maxsize=1)
def _stemmers():
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("arabic")
    # Each word is stemmed once per process: the 169 titles and the wordings share most of
    # their words. (The C stemmer takes 3 µs a word, the pure-Python one 0.14 ms.)
    stem, root = lru_cache(maxsize=None)(stemmer.stemWord), lru_cache(maxsize=None)(
        isri_stemmer().stem)
    particles = {stem(word) for word in normalise_arabic(_PARTICLES)}
    return stem, root, particles


def features(text: str) -> dict[tuple[str, str], int]:
    """The text's features, each with the index of the first word that gives it."""
    stem_of, root_of, particles = _stemmers()
    stems = [s for s in map(stem_of, normalise_arabic(text))
             if s not in particles and len(s) > 1]
    found: dict[tuple[str, str], int] = {}
    for i, stem in enumerate(stems):
        found.setdefault(("stem", stem), i)
        padded = f" {stem} "
        for j in range(len(padded) - GRAM + 1):
            found.setdefault(("gram", padded[j:j + GRAM]), i)
    for gap in (1, 2):
        for i, (first, second) in enumerate(zip(stems, stems[gap:], strict=False)):
            found.setdefault(("pair", f"{first} {second}"), i)
    words = [w for w in _ARABIC_WORD.findall(_MARKS.sub("", text)) if len(w) > 2]
    for i, word in enumerate(words):
        root = root_of(word)
        if len(root) >= 3:
            found.setdefault(("root", root), i)
    return found


@dataclass(frozen=True)
class Judgement:
    """A wording linked to a target, and the target it fits best besides."""

    target: str
    own: float  # the linked target's score
    best: str | None  # the best-scoring other target
    best_score: float

    @property
    def ratio(self) -> float:
        """The best other target's score over the linked target's (inf if that is 0)."""
        return self.best_score / self.own if self.own else math.inf

    @property
    def reported(self) -> bool:
        return self.best is not None and self.best_score >= RATIO * self.own


class WordingScorer:
    """Scores wordings against the titles of a set of targets (IRI → Arabic title)."""

    def __init__(self, titles: dict[str, str]):
        self.titles = {target: features(title) for target, title in sorted(titles.items())}
        counts = Counter(f for title in self.titles.values() for f in title)
        total = len(self.titles)
        self._weights = {f: self._weight(f, n, total) for f, n in counts.items()}
        self._unseen_idf = math.log(total + 1) + 1
        self._cache: dict[str, dict[str, float]] = {}
        self._judged: dict[tuple[str, str], Judgement] = {}

    @staticmethod
    def _weight(feature, count: int, total: int) -> float:
        return KIND_WEIGHTS[feature[0]] * (math.log((total + 1) / (count + 1)) + 1) ** 2

    def weight(self, feature) -> float:
        return self._weights.get(feature, KIND_WEIGHTS[feature[0]] * self._unseen_idf ** 2)

    def scores(self, wording: str) -> dict[str, float]:
        """Every target's score for the wording (0 to 1); cached per wording."""
        if wording not in self._cache:
            found = features(wording)
            total = sum(self.weight(f) for f in found)
            self._cache[wording] = {
                target: (sum(self.weight(f) / (1 + DECAY * title[f])
                             for f in found if f in title) / total if total else 0.0)
                for target, title in self.titles.items()}
        return self._cache[wording]

    def best(self, wording: str, besides: str | None = None) -> tuple[str | None, float]:
        """The best-scoring target (other than ``besides``) and its score; ties go to the
        lowest IRI, so the answer does not depend on dictionary order."""
        scores = self.scores(wording)
        ranked = [(-score, target) for target, score in scores.items() if target != besides]
        if not ranked:
            return None, 0.0
        score, target = min(ranked)
        return target, -score

    def judge(self, wording: str, target: str) -> Judgement:
        """The judgement of a wording linked to a target; cached per pair (at scale, many
        links print the same wording beside the same number)."""
        key = (wording, target)
        if key not in self._judged:
            best, best_score = self.best(wording, besides=target)
            self._judged[key] = Judgement(target, self.scores(wording).get(target, 0.0), best,
                                          best_score)
        return self._judged[key]


@dataclass(frozen=True)
class Calibration:
    """The figures of the move experiment: each wording of the data moved onto every other
    target, as if the brochure printed that target's number beside it."""

    moves: int
    reported: int  # moves the check reports
    named: int  # reported moves that name the target the wording came from
    one_digit: tuple[int, int]  # (reported, moves) onto a number one character away
    same_goal: tuple[int, int]  # (reported, moves) onto another target of the same goal
    untraced: tuple[str, ...]  # wordings whose best target is not their own
    closest: float  # the real links' highest best-other / own ratio
    closest_link: tuple[str, str]  # its (target, wording)

    def share(self, count: int) -> float:
        return count / self.moves if self.moves else 0.0


def _notation(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _one_character_apart(first: str, second: str) -> bool:
    if len(first) != len(second):
        return False
    return sum(a != b for a, b in zip(first, second, strict=True)) == 1


def calibrate(scorer: WordingScorer, wordings: list[tuple[str, str]]) -> Calibration:
    """Run the move experiment on (target IRI, wording) pairs of real links."""
    pairs = sorted(set(wordings))
    moves = reported = named = 0
    one_digit, same_goal = [0, 0], [0, 0]
    for source, wording in pairs:
        for target in scorer.titles:
            if target == source:
                continue
            judgement = scorer.judge(wording, target)
            moves += 1
            reported += judgement.reported
            named += judgement.reported and judgement.best == source
            a, b = _notation(source), _notation(target)
            for tally, applies in ((one_digit, _one_character_apart(a, b)),
                                   (same_goal, a.split(".")[0] == b.split(".")[0])):
                if applies:
                    tally[0] += judgement.reported
                    tally[1] += 1
    untraced = tuple(w for t, w in pairs if scorer.best(w)[0] != t)
    ratio, link = max(((scorer.judge(w, t).ratio, (t, w)) for t, w in pairs),
                      default=(0.0, ("", "")))
    return Calibration(moves, reported, named, tuple(one_digit), tuple(same_goal), untraced,
                       ratio, link)
