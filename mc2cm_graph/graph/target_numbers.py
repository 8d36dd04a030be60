"""SDG target numbers as the brochure prints them: Arabic-Indic digits and, for lettered
targets, abjad letters (17.8 is printed ١٧.٨, 4.a is ٤.ا). Read by the target-link check
(check/target_links.py) and written by the synthetic data (graph/synth.py)."""

from __future__ import annotations

# Arabic-Indic digits (U+0660-0669, as the brochure prints them) and the Eastern ones
# (U+06F0-06F9, as a Persian or Urdu keyboard types them), for str.translate.
DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
TARGET_LETTERS = {"ا": "a", "أ": "a", "ب": "b", "ج": "c", "د": "d"}  # abjad order


def printed_number(notation: str) -> str:
    """A UN notation as the brochure prints it (17.8 → ١٧.٨, 4.a → ٤.ا)."""
    goal, _, part = notation.partition(".")
    letters = {latin: arabic for arabic, latin in TARGET_LETTERS.items() if arabic != "أ"}
    digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    return f"{goal.translate(digits)}.{letters.get(part) or part.translate(digits)}"


def printed_notation(printed: str) -> str | None:
    """The UN notation of a number as printed (١٧.٨ → 17.8, ٤.ا → 4.a), None if it is not
    a target number."""
    goal, dot, part = printed.strip().partition(".")
    goal = goal.translate(DIGITS)
    part = TARGET_LETTERS.get(part, part.translate(DIGITS))
    if not dot or not goal.isascii() or not goal.isdigit() or not part.isascii() \
            or not part.isalnum():
        return None
    return f"{int(goal)}.{part}"
