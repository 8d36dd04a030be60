"""The move experiment of the target-link check (docs/validation.md).

    python bench/target_wording_moves.py            # the project's data
    python bench/target_wording_moves.py --ratio 3  # what another threshold would give

Each distinct wording the brochure prints (on the project's target links) is moved onto
every other of the 169 UN targets, as if the brochure printed that target's number beside
it: 21 wordings x 168 targets = 3,528 moves. Prints the share the check reports, the share
that names the target the wording came from, the one-character and same-goal moves, the
wordings not traced back to their own target, and the real links' closest case against
the threshold. Lists the moves it misses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from mc2cm_graph.check import target_wording
    from mc2cm_graph.check.qc import to_store
    from mc2cm_graph.check.target_links import _links, _titles
    from mc2cm_graph.graph.project import load_project

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ratio", type=float, default=target_wording.RATIO)
    args = parser.parse_args()
    target_wording.RATIO = args.ratio

    store = to_store(load_project().union())
    scorer = target_wording.WordingScorer(_titles(store))
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
    for source, wording in pairs:
        for other in scorer.titles:
            judgement = scorer.judge(wording, other) if other != source else None
            if judgement and not judgement.reported:
                print(f"  missed: {source.rsplit('/', 1)[-1]} -> {other.rsplit('/', 1)[-1]} "
                      f"(ratio {judgement.ratio:.2f}) «{wording}»")


if __name__ == "__main__":
    main()
