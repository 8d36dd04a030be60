"""QC check: does each programme's target link say what the brochure printed beside it?

Each programme→target link is a ``mc2cm:TargetLink`` node with the number and the wording
the brochure prints (``mc2cm:printedNumber``, ``mc2cm:printedWording``) and the target it
resolves to (``mc2cm:linkedTarget``). Every link is judged, in ``validate`` and ``build``,
on both engines (``check`` takes anything with ``.query(sparql)``):

- the printed number against the linked target: they must agree, unless
  data/source-corrections.csv has the row that records the misprint (subject, printed
  number, printed and corrected value); a row that matches no link is reported too;
- the printed wording against the linked target's UN title (check/target_wording.py): the
  link is reported when another target's title fits the wording ``RATIO`` times better.

A report names the printed number, the wording and the target the wording fits best.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from mc2cm_graph.check.report import Violation, short
from mc2cm_graph.check.target_wording import WordingScorer
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.iris import ONTOLOGY_NS
from mc2cm_graph.graph.target_numbers import printed_notation

SDG = "http://metadata.un.org/sdg/"
WORDING = "target-wording-mismatch"
NUMBER = "target-number-mismatch"
UNMATCHED = "source-correction-unmatched"
PATH = "mc2cm:qualifiedTargetLink"
SHAPE = "mc2cm_graph/check/target_links.py"
CORRECTIONS_NAME = "source-corrections.csv"
CORRECTION_COLUMNS = ("subject", "property", "printed", "printed_value", "corrected_value",
                      "evidence", "kind", "note")

LINKS_QUERY = f"""
PREFIX mc2cm: <{ONTOLOGY_NS}>
""" + """SELECT ?programme ?target ?number ?wording WHERE {
  ?programme mc2cm:qualifiedTargetLink ?link .
  ?link mc2cm:linkedTarget ?target ; mc2cm:printedNumber ?number ;
        mc2cm:printedWording ?wording .
}
"""
TITLES_QUERY = """
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?target ?title WHERE {
  ?target a sdgo:Target ; skos:prefLabel ?title . FILTER(LANGMATCHES(LANG(?title), "ar"))
}
"""
PROGRAMMES_QUERY = f"""
PREFIX mc2cm: <{ONTOLOGY_NS}>
""" + """SELECT ?programme WHERE { ?programme a mc2cm:Programme }
"""

@dataclass(frozen=True, order=True)
class Link:
    programme: str
    target: str
    number: str
    wording: str


@dataclass(frozen=True)
class Correction:
    subject: str
    printed: str
    printed_value: str
    corrected_value: str
    file: Path
    line: int

    def matches(self, link: Link) -> bool:
        notation = printed_notation(link.number)
        return (self.subject == short(URIRef(link.programme)) and self.printed == link.number
                and notation is not None and self.printed_value == f"sdg:{notation}"
                and self.corrected_value == short(URIRef(link.target)))


def corrections_files(files) -> list[Path]:
    """The source-corrections.csv of the data folders the files come from (a file's own
    folder or the one above it: data/ for data/programmes/*.ttl)."""
    if files is None:
        return [paths.DATA_DIR / CORRECTIONS_NAME]
    folders = {Path(f).resolve().parent for f in files}
    found = {folder / CORRECTIONS_NAME for folder in folders} | {
        folder.parent / CORRECTIONS_NAME for folder in folders}
    return sorted(f for f in found if f.is_file())


def read_corrections(path: Path) -> list[Correction]:
    """The rows of a corrections file; a clear error naming the file and line if it is not
    the expected CSV."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != CORRECTION_COLUMNS:
            raise Mc2cmError("the corrections file does not have the expected columns",
                             file=path, line=1,
                             hint="start it with the header " + ",".join(CORRECTION_COLUMNS))
        rows = []
        for row in reader:
            if any(not (row.get(k) or "").strip() for k in CORRECTION_COLUMNS[:5]):
                raise Mc2cmError("a correction row lacks one of subject, property, printed, "
                                 "printed_value, corrected_value", file=path,
                                 line=reader.line_num, hint="fill in the five columns")
            rows.append(Correction(row["subject"], row["printed"], row["printed_value"],
                                   row["corrected_value"], path, reader.line_num))
        return rows


def _links(source) -> list[Link]:
    return sorted(Link(*(term.value for term in solution)) for solution in
                  source.query(LINKS_QUERY))


def _titles(source) -> dict[str, str]:
    return dict(sorted((s[0].value, s[1].value) for s in source.query(TITLES_QUERY)))


def _quoted(link: Link) -> str:
    return f"printed «{link.number}» beside «{link.wording}», linked to {_sdg(link.target)}"


def _sdg(iri: str | None) -> str:
    return short(URIRef(iri)) if iri else "(none)"


def _violation(link: Link, constraint: str, message: str) -> Violation:
    return Violation(focus=short(URIRef(link.programme)), path=PATH,
                     constraint=f"qc:{constraint}",
                     value=short(Literal(link.wording, lang="ar")),
                     message=f"{_quoted(link)}: {message}", shape=SHAPE)


def number_violation(link: Link, corrections: list[Correction],
                     scorer: WordingScorer) -> Violation | None:
    notation = printed_notation(link.number)
    if notation is not None and SDG + notation == link.target:
        return None
    if any(c.matches(link) for c in corrections):
        return None
    likely, _ = scorer.best(link.wording)
    printed = f"sdg:{notation}" if notation else "no target number"
    return _violation(link, NUMBER, (
        f"the number reads {printed}, not {_sdg(link.target)}; the wording fits "
        f"{_sdg(likely)} best. Link the printed target, or, if the brochure misprints the "
        f"number, record the correction in data/{CORRECTIONS_NAME} (subject, property, "
        "printed, printed_value, corrected_value, evidence, kind, note)"))


def wording_violation(link: Link, scorer: WordingScorer) -> Violation | None:
    judgement = scorer.judge(link.wording, link.target)
    if not judgement.reported:
        return None
    return _violation(link, WORDING, (
        f"the wording fits {_sdg(judgement.best)} (similarity {judgement.best_score:.2f} to "
        f"its UN title, {judgement.own:.2f} to {_sdg(link.target)}'s). Check the number "
        "the brochure prints against the wording; if the number is misprinted, link the "
        f"right target and record the correction in data/{CORRECTIONS_NAME}"))


def unmatched_violations(corrections: list[Correction], links: list[Link],
                         programmes: set[str]) -> list[Violation]:
    rows = []
    for c in corrections:
        if c.subject in programmes and not any(c.matches(link) for link in links):
            rows.append(Violation(
                focus=c.subject, path=PATH, constraint=f"qc:{UNMATCHED}",
                value=f'"{c.printed}"',
                message=(f"{c.file.name} line {c.line} records «{c.printed}» "
                         f"({c.printed_value}) corrected to {c.corrected_value}, but no "
                         "target link of the programme prints that number and resolves to "
                         "that target: fix the row or the link"),
                shape=SHAPE))
    return rows


def check(source, files=None) -> list[Violation]:
    """The check's violations over a SPARQL source (``.query(text)``); ``files`` are the
    data files validated (their folder's source-corrections.csv is read)."""
    links = _links(source)
    corrections = [c for path in corrections_files(files) for c in read_corrections(path)]
    programmes = {short(URIRef(s[0].value)) for s in source.query(PROGRAMMES_QUERY)}
    if not links:
        return unmatched_violations(corrections, links, programmes)
    scorer = WordingScorer(_titles(source))
    rows = [v for link in links for v in (number_violation(link, corrections, scorer),
                                           wording_violation(link, scorer)) if v]
    return sorted(rows + unmatched_violations(corrections, links, programmes))
