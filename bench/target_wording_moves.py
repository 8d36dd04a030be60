"""The move experiment of the target-link check (docs/validation.md).

    python bench/target_wording_moves.py            # the project's data
    python bench/target_wording_moves.py --ratio 3  # what another threshold would give
    python bench/target_wording_moves.py --pivot en,fr,es,ru,zh-hans  # the other languages

Each distinct wording the brochure prints (on the project's target links) is moved onto
every other of the 169 UN targets, as if the brochure printed that target's number beside
it: 21 wordings x 168 targets = 3,528 moves. Prints the share the check reports, the share
that names the target the wording came from, the one-character and same-goal moves, the
wordings not traced back to their own target, and the real links' closest case against
the threshold. Lists the moves it misses.

``--pivot`` adds the UN titles in other vendored languages: each Arabic stem of a wording is
carried to the words that co-occur with it across the parallel titles of the 169 targets and
17 goals (Dice coefficient at least 0.3, the best three), and the score becomes the mean of
the Arabic score and the carried-over scores on each language's titles (the experiment of
docs/validation.md; the check itself uses the Arabic titles only).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


PARALLEL_QUERY = """
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?title WHERE {
  { ?doc a sdgo:Target } UNION { ?doc a sdgo:Goal }
  ?doc skos:prefLabel ?title . FILTER(LANGMATCHES(LANG(?title), "%s"))
}
"""
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}


def _words(text: str, lang: str) -> set[str]:
    import snowballstemmer

    from mc2cm_graph.check.target_wording import features

    if lang == "ar":
        return {value for (kind, value) in features(text) if kind == "stem"}
    if lang.startswith("zh"):
        letters = [c for c in text if c.isalpha()]
        return {a + b for a, b in zip(letters, letters[1:], strict=False)}
    words = [w for w in re.findall(r"\w+", text.lower()) if not w.isdigit()]
    return set(snowballstemmer.stemmer(STEMMERS[lang]).stemWords(words))


def pivot_scorer(store, scorer, languages):
    """A scorer whose score is the mean of the Arabic one and the scores carried over to the
    titles in ``languages`` through the parallel titles."""
    docs = {lang: {s[0].value: _words(s[1].value, lang)
                   for s in store.query(PARALLEL_QUERY % lang)} for lang in ["ar", *languages]}
    postings = {lang: defaultdict(set) for lang in docs}
    for lang, titles in docs.items():
        for doc, words in titles.items():
            for word in words:
                postings[lang][word].add(doc)
    total = len(docs["ar"])

    def carried(word, lang):
        where = postings["ar"].get(word, set())
        counts = Counter(e for doc in where for e in docs[lang].get(doc, ()))
        found = sorted(((2 * n / (len(where) + len(postings[lang][e])), e)
                        for e, n in counts.items()), reverse=True)
        return [(dice, e) for dice, e in found[:3] if dice >= 0.3]

    class Pivot(type(scorer)):
        def scores(self, wording):
            if wording not in self._cache:
                arabic = scorer.scores(wording)
                words = _words(wording, "ar")
                weight = {w: (math.log((total + 1) / (len(postings["ar"].get(w, ())) + 1))
                              + 1) ** 2 for w in words}
                whole = sum(weight.values()) or 1.0
                per_language = []
                for lang in languages:
                    moved = {w: carried(w, lang) for w in words}
                    per_language.append({t: sum(weight[w] * max(
                        [d for d, e in moved[w] if e in docs[lang].get(t, ())], default=0)
                        for w in words) / whole for t in self.titles})
                self._cache[wording] = {t: (arabic[t] + sum(p[t] for p in per_language))
                                        / (1 + len(languages)) for t in self.titles}
            return self._cache[wording]

    pivot = Pivot.__new__(Pivot)
    pivot.__dict__.update(scorer.__dict__)
    pivot._cache, pivot._judged = {}, {}
    return pivot


def main() -> None:
    from mc2cm_graph.check import target_wording
    from mc2cm_graph.check.qc import to_store
    from mc2cm_graph.check.target_links import _links, _titles
    from mc2cm_graph.graph.project import load_project

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratio", type=float, default=target_wording.RATIO)
    parser.add_argument("--pivot", default="", help="other languages, comma-separated")
    parser.add_argument("--quiet", action="store_true", help="do not list the missed moves")
    args = parser.parse_args()
    target_wording.RATIO = args.ratio

    store = to_store(load_project().union())
    scorer = target_wording.WordingScorer(_titles(store))
    if args.pivot:
        scorer = pivot_scorer(store, scorer, args.pivot.split(","))
        print(f"pivot languages: {args.pivot}")
    pairs = sorted({(link.target, link.wording) for link in _links(store)})
    c = target_wording.calibrate(scorer, pairs)
    print(f"threshold (best other / linked): {args.ratio}")
    print(f"wordings: {len(pairs)} of {len({t for t, _ in pairs})} targets; "
          f"moves: {c.moves}")
    print(f"reported: {c.reported} ({c.share(c.reported):.1%}); naming the right target: "
          f"{c.named} ({c.share(c.named):.1%})")
    print(f"one-character moves reported: {c.one_digit[0]} of {c.one_digit[1]}; "
          f"same-goal moves reported: {c.same_goal[0]} of {c.same_goal[1]}")
    print(f"wordings not traced back to their own target: {len(c.untraced)} "
          f"{list(c.untraced)}")
    target, wording = c.closest_link
    print(f"real links: closest case {c.closest:.2f} ({target.rsplit('/', 1)[-1]} "
          f"«{wording}»), {c.closest / args.ratio:.0%} of the threshold")
    for source, wording in [] if args.quiet else pairs:
        for other in scorer.titles:
            judgement = scorer.judge(wording, other) if other != source else None
            if judgement and not judgement.reported:
                print(f"  missed: {source.rsplit('/', 1)[-1]} -> {other.rsplit('/', 1)[-1]} "
                      f"(ratio {judgement.ratio:.2f}) «{wording}»")


if __name__ == "__main__":
    main()
