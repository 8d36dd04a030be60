"""Ontology and data quality checks in the spirit of ROBOT's ``report``.

Each ``qc/*.rq`` file is one rule: a SPARQL SELECT that returns rows only for violations,
with ``?entity`` (the resource to fix) and optionally ``?property`` and ``?value``. Its
header comments give the rule's title and how to fix it::

    # title: ontology term without an English label
    # fix: add rdfs:label "…"@en to the term in ontology/mc2cm.ttl

The rules run with pyoxigraph (rdflib's SPARQL engine is far slower on joins like these).

Checks SPARQL cannot express (each programme's target link against what the brochure printed
beside it: the number, a recorded correction, the wording compared with the UN titles by
similarity; check/target_links.py) are listed by ``computed_checks`` and run with them.
One rule cannot be SPARQL at all: ``typed-literal-canonical`` (a typed literal not in the
canonical form of its datatype, such as "34.00"^^xsd:decimal), because the store keeps only
the canonical form. The loader notes such literals as it parses (graph/literals.py); the
reference engine finds them in its rdflib graph; both report them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from mc2cm_graph.check.report import Violation, short
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError


@dataclass(frozen=True)
class QcRule:
    name: str
    title: str
    fix: str
    query: str
    file: Path


def _header(text: str, key: str) -> str:
    prefix = f"# {key}:"
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return ""


def read_rule(path: Path) -> QcRule:
    text = Path(path).read_text(encoding="utf-8")
    title, fix = _header(text, "title"), _header(text, "fix")
    if not title or not fix:
        raise Mc2cmError("QC rule lacks a '# title:' or '# fix:' header line", file=path,
                         hint="start the file with '# title: …' and '# fix: …' comments")
    return QcRule(Path(path).stem, title, fix, text, Path(path))


def load_rules(qc_dir: Path = paths.QC_DIR) -> list[QcRule]:
    return [read_rule(p) for p in sorted(Path(qc_dir).glob("*.rq"))]


def to_store(graph: Graph):
    """A pyoxigraph store holding the rdflib graph's triples (in the default graph)."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.load import to_ox_term

    store = ox.Store()
    store.bulk_extend(ox.Quad(*(to_ox_term(t) for t in triple)) for triple in graph)
    return store


def run_rule(store, rule: QcRule) -> list[Violation]:
    from mc2cm_graph.graph.load import to_rdflib_term

    try:
        solutions = store.query(rule.query)
    except SyntaxError as err:
        raise Mc2cmError(f"QC rule is not valid SPARQL: {err}", file=rule.file) from None
    rows = []
    for solution in solutions:
        def cell(name, _solution=solution):
            value = _solution[name]
            return short(to_rdflib_term(value)) if value is not None else ""

        rows.append(Violation(
            focus=cell("entity"), path=cell("property"), constraint=f"qc:{rule.name}",
            value=cell("value"), message=f"{rule.title}: {rule.fix}",
            shape=f"qc/{rule.file.name}",
        ))
    return rows


def computed_checks() -> list:
    """QC checks that SPARQL alone cannot express (a similarity measure, a CSV beside the
    data), each a function of a SPARQL source (``.query(text)``) and the data files
    validated, returning violations; they run beside qc/*.rq."""
    from mc2cm_graph.check import target_links

    return [target_links.check]


def run_qc(graph: Graph, rules: list[QcRule] | None = None,
           files: list[Path] | None = None) -> list[Violation]:
    """All violations of the QC rules in a graph, sorted. By default the rules of qc/*.rq
    and the computed checks (which read the data ``files``' folders); given ``rules``,
    those rules only."""
    checks = computed_checks() if rules is None else []
    rules = load_rules() if rules is None else rules
    store = to_store(graph)
    rows = [row for rule in rules for row in run_rule(store, rule)]
    return sorted(rows + [row for check in checks for row in check(store, files)])


CANONICAL_RULE = "typed-literal-canonical"
CANONICAL_TITLE = "typed literal not in the canonical form of its datatype"


def canonical_violations(found) -> list[Violation]:
    """QC rows for the loader's graph.literals.NonCanonical findings."""
    from mc2cm_graph.graph.load import to_rdflib_term

    return sorted(Violation(
        focus=short(to_rdflib_term(item.subject)), path=short(to_rdflib_term(item.predicate)),
        constraint=f"qc:{CANONICAL_RULE}", value=short(to_rdflib_term(item.literal)),
        message=f"{CANONICAL_TITLE}: write {item.canonical!r} (the form the store keeps and "
                "the release writes)",
        shape="qc (loader, graph/literals.py)") for item in found)


def graph_canonical_violations(graph: Graph) -> list[Violation]:
    """canonical_violations for the typed literals of an rdflib graph."""
    import pyoxigraph as ox

    from mc2cm_graph.graph.literals import non_canonical_literals
    from mc2cm_graph.graph.load import to_ox_term

    quads = [ox.Quad(*(to_ox_term(t) for t in (s, p, o))) for s, p, o in graph
             if getattr(o, "datatype", None) is not None]
    return canonical_violations(non_canonical_literals(quads, Path("")))
