"""The brochure's extracted text, normalised and mended, for checking our transcription.

Mends of PDF-extraction damage are listed one per row in ``data/source-mends.csv``
(extracted form, mended form, kind, note). Two kinds of damage are mended by pattern
rather than by word, because they affect every occurrence the same way: right-to-left
mirroring of brackets and guillemets (``)MC2CM(`` → ``(MC2CM)``, ``»…«`` → ``«…»``).
Every Arabic literal we take from the brochure must occur in the mended text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mc2cm_graph.graph import paths

BROCHURE_FILE = paths.ROOT / "source" / "brochure-ar.txt"
MENDS_FILE = paths.DATA_DIR / "source-mends.csv"

# Characters that end a word in the extraction besides white space.
_WORD_END = r"(?=[\s؛،.:()«»“”/]|$)"
_MIRRORED_PATTERNS = (
    (re.compile(r"»([^«»]*)«"), r"«\1»"),
    (re.compile(r"\)([^()]*)\("), r"(\1)"),
)


@dataclass(frozen=True)
class Mend:
    extracted: str
    mended: str
    kind: str
    note: str

    def pattern(self) -> re.Pattern:
        return re.compile(r"(?<!\S)" + re.escape(self.extracted) + _WORD_END)


def read_mends(path: Path = MENDS_FILE) -> list[Mend]:
    with open(path, encoding="utf-8", newline="") as f:
        return [Mend(row["extracted"], row["mended"], row["kind"], row["note"])
                for row in csv.DictReader(f)]


def normalise(text: str) -> str:
    """Drop bullets and tabs, collapse all white space (line wraps included) to one space."""
    return " ".join(text.replace("•", " ").split())


def unmirror(text: str) -> str:
    """Undo right-to-left mirroring of brackets and guillemets."""
    for pattern, replacement in _MIRRORED_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def apply_mends(text: str, mends: list[Mend]) -> str:
    text = unmirror(text)
    for mend in mends:
        text = mend.pattern().sub(mend.mended, text)
    return text


@lru_cache(maxsize=1)
def mended_brochure_text() -> str:
    """The whole brochure as one normalised, mended line."""
    raw = BROCHURE_FILE.read_text(encoding="utf-8")
    return apply_mends(normalise(raw), read_mends())


# The extraction has no form feeds: a page ends where a run of three or more empty lines
# begins. The 15 pages are the 15 programmes, in brochure order.
_PAGE_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*){3,}")


@lru_cache(maxsize=1)
def brochure_pages() -> tuple[str, ...]:
    """Each page of the brochure as one normalised, mended line (page 1 first)."""
    raw = BROCHURE_FILE.read_text(encoding="utf-8")
    mends = read_mends()
    pages = (apply_mends(normalise(page), mends) for page in _PAGE_BREAK.split(raw))
    return tuple(page for page in pages if page)


def strip_list_punctuation(text: str) -> str:
    """Bullets end with '؛' (or '.'); we keep the text without that list punctuation."""
    return normalise(text).rstrip(" ؛;.")
