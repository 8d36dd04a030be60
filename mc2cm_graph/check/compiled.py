"""SHACL compiled to SPARQL: each constraint of our shapes becomes a SELECT that returns
only the failing (focus, value) pairs, so the cost is the store's join speed.

pyshacl walks every focus node in Python (about 2 ms per programme). Constraints that test
each value alone (datatype, languageIn, ...) or count the values (minCount, qualified
counts, uniqueLang) share one query per focus pattern and path (batch_findings): the five
constraints on rdfs:label cost one scan of the labels, not five. The constraint components
compiled are the SHACL Core ones our shapes use: class, datatype, nodeKind, minCount,
maxCount, min/max Inclusive/Exclusive, min/maxLength, pattern, languageIn, uniqueLang, in,
hasValue and node; targets targetClass (with subclasses), targetNode, targetSubjectsOf,
targetObjectsOf and implicit class targets; predicate and inverse paths (other paths as
SPARQL property paths). ``ShapeCompiler.supported`` says which shapes it compiles; the
runner (check/fast.py) hands any other shape whole to pyshacl, so results never silently
differ. Messages are the shape's sh:message, or our own default wording (pyshacl's
default wording is not reproduced).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from mc2cm_graph.check.reference import short
from mc2cm_graph.graph.load import to_rdflib_term
from mc2cm_graph.graph.store import ProjectStore

COMPILED = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.minInclusive,
            SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength,
            SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang, SH["in"], SH.hasValue, SH.node,
            SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH["or"],
            SH.sparql}
SPARQL_CONSTRAINT_TERMS = {RDF.type, SH.select, SH.prefixes, SH.message, SH.deactivated}
# Shape-level terms that are not constraints.
PASSIVE = {RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
           SH.property, SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order,
           SH.group, SH.deactivated, SH.defaultValue, RDFS.label, RDFS.comment,
           RDFS.seeAlso, RDFS.isDefinedBy}

NODE_KINDS = {
    SH.IRI: "isIRI(?v)", SH.BlankNode: "isBlank(?v)", SH.Literal: "isLiteral(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))",
    SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">",
               SH.maxExclusive: "<"}


@dataclass(frozen=True)
class _Finding:
    focus: object
    value: object  # None for counts
    component: str
    detail: str
    path: object = None  # a SPARQL constraint's ?path, else the shape's sh:path


class ShapeCompiler:
    def __init__(self, shapes: Graph, project: ProjectStore):
        self.shapes = shapes
        self.project = project
        self._subclasses: dict = {}

    # --- SPARQL fragments -------------------------------------------------------------
    def subclasses(self, cls) -> list:
        """A class and its subclasses in the data (SHACL's rdf:type/rdfs:subClassOf*)."""
        if cls not in self._subclasses:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {cls.n3()} }}"
            found = {to_rdflib_term(row["c"]) for row in self.project.query_asserted(query)}
            self._subclasses[cls] = sorted(found | {cls})
        return self._subclasses[cls]

    def instance_of(self, var: str, *classes) -> str:
        values = " ".join(sorted({c.n3() for cls in classes for c in self.subclasses(cls)}))
        return f"{{ {var} a ?t_{var[1:]} . VALUES ?t_{var[1:]} {{ {values} }} }}"

    def targets(self, shape) -> list[str]:
        """Group patterns binding ?focus, one per target of the shape."""
        g = self.shapes
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, URIRef(
                "http://www.w3.org/2002/07/owl#Class")) in g:
            classes.append(shape)
        # All target classes in one VALUES: one scan of rdf:type, not one per class.
        patterns = [self.instance_of("?focus", *classes)] if classes else []
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            patterns.append(f"{{ VALUES ?focus {{ {' '.join(n.n3() for n in nodes)} }} }}")
        patterns += [f"{{ ?focus {p.n3()} [] }}" for p in g.objects(shape, SH.targetSubjectsOf)]
        patterns += [f"{{ [] {p.n3()} ?focus }}" for p in g.objects(shape, SH.targetObjectsOf)]
        return patterns

    def path(self, node) -> str:
        g = self.shapes
        if isinstance(node, URIRef):
            return node.n3()
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternative = g.value(node, SH.alternativePath)
        if alternative is not None:
            return "(" + " | ".join(self.path(p) for p in Collection(g, alternative)) + ")"
        for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                                  (SH.zeroOrOnePath, "?")):
            inner = g.value(node, predicate)
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        return "(" + " / ".join(self.path(p) for p in Collection(g, node)) + ")"

    def stated_path(self, path, finding: _Finding):
        """For an alternative path (a|b), the one property the data states the value with,
        as validate.report_from_graph reports it."""
        alternatives = self.shapes.value(path, SH.alternativePath) if isinstance(
            path, BNode) else None
        if alternatives is None or finding.value is None:
            return path
        stated = [p for p in Collection(self.shapes, alternatives) if self.project.query_asserted(
            f"ASK {{ {finding.focus.n3()} {p.n3()} {finding.value.n3()} }}")]
        return stated[0] if len(stated) == 1 else path

    # --- constraints --------------------------------------------------------------------
    def supported(self, shape) -> bool:
        g = self.shapes
        for predicate, obj in g.predicate_objects(shape):
            if predicate in (SH.property, SH.node, SH.qualifiedValueShape):
                if not self.supported(obj):
                    return False
            elif predicate == SH["or"]:
                if not all(self.supported(member) for member in Collection(g, obj)):
                    return False
            elif predicate == SH.sparql:
                if not set(g.predicates(obj)) <= SPARQL_CONSTRAINT_TERMS:
                    return False
            elif predicate not in COMPILED and predicate not in PASSIVE:
                return False
        return True

    def values(self, focus_pattern: str, path, var: str = "?v") -> str:
        """A group pattern binding ?focus and its value nodes (the focus itself if no path)."""
        if path is None:
            return f"{focus_pattern} BIND(?focus AS {var})"
        return f"{focus_pattern} ?focus {self.path(path)} {var} ."

    def optional_values(self, focus_pattern: str, path) -> str:
        """The value nodes of an already bound ?focus, for an OPTIONAL after the focus
        pattern (repeating the focus pattern inside would evaluate it twice)."""
        if path is None:
            return self.values(focus_pattern, path)
        return f"?focus {self.path(path)} ?v ."

    def parts(self, shape):
        """(shape, predicate, object) for a shape's own constraints and for those of each of
        its property shapes, since each result names the (property) shape that produced it.
        Each part is checked by its own query, independent of the others."""
        g = self.shapes
        if g.value(shape, SH.deactivated) == Literal(True):
            return
        for predicate, obj in sorted(g.predicate_objects(shape)):
            if predicate != SH.property:
                yield shape, predicate, obj
        for prop in sorted(g.objects(shape, SH.property)):
            yield from self.parts(prop)

    def part_findings(self, shape, predicate, obj, focus_pattern: str) -> list[_Finding]:
        return self.constraint(shape, predicate, obj, focus_pattern,
                               self.shapes.value(shape, SH.path))

    def findings(self, shape, focus_pattern: str) -> list[_Finding]:
        return [f for part in self.parts(shape) for f in self.part_findings(*part, focus_pattern)]

    def rows(self, query: str, with_value: bool = True) -> list[tuple]:
        return [(to_rdflib_term(r["focus"]), to_rdflib_term(r["v"]) if with_value else None)
                for r in self.project.query_asserted(query)]

    def constraint(self, shape, predicate, obj, focus_pattern, path) -> list[_Finding]:
        if self.batchable(shape, predicate, obj, path):
            return batch_findings(self, [(shape, predicate, obj)], focus_pattern, path)[0]
        g = self.shapes
        values = self.values(focus_pattern, path)
        component, detail, pairs = None, "", []
        if predicate == SH.hasValue:
            query = (f"SELECT ?focus WHERE {{ {focus_pattern} FILTER NOT EXISTS "
                     f"{{ {values} FILTER(sameTerm(?v, {obj.n3()})) }} }}")
            pairs = self.rows(query, False)
            component, detail = "HasValue", f"missing the value {short(obj)}"
        elif predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            pairs = self.qualified_count_failures(shape, predicate, int(obj), focus_pattern,
                                                  values)
            component = predicate.fragment[0].upper() + predicate.fragment[1:]
            detail = f"{component} {int(obj)} of {short(g.value(shape, SH.qualifiedValueShape))}"
        elif predicate == SH["or"]:
            pairs = self.or_failures(list(Collection(g, obj)), values, focus_pattern,
                                     path is None)
            component, detail = "Or", "value conforms to none of the alternatives"
        elif predicate == SH.sparql:
            return self.sparql_failures(obj, focus_pattern)
        elif predicate == SH.node:
            pairs = self.node_failures(obj, values)
            component, detail = "Node", f"value does not conform to {short(obj)}"
        return [_Finding(f, v, f"sh:{component}ConstraintComponent", detail)
                for f, v in pairs] if component else []

    def batchable(self, shape, predicate, obj, path) -> bool:
        """Whether the constraint is a test on each value alone, or on how many values
        (of a path) there are: such constraints of one focus pattern and path are checked
        together, in one scan of the path (batch_findings)."""
        return (self.value_check(shape, predicate, obj) is not None
                or (path is not None and self.count_check(shape, predicate, obj) is not None))

    def value_check(self, shape, predicate, obj):
        """(SPARQL expression true when the value ?v fails, component, detail) for the
        constraints on each value alone; None for the others."""
        g = self.shapes
        if predicate == SH["class"]:
            return (f"NOT EXISTS {self.instance_of('?v', obj)}", "Class",
                    f"value is not an instance of {short(obj)}")
        if predicate == SH.datatype:
            return (f"!isLiteral(?v) || datatype(?v) != {obj.n3()}", "Datatype",
                    f"value is not a literal of type {short(obj)}")
        if predicate == SH.nodeKind:
            return f"!{NODE_KINDS[obj]}", "NodeKind", f"value is not of node kind {short(obj)}"
        if predicate in COMPARISONS:
            return (f"!COALESCE(?v {COMPARISONS[predicate]} {obj.n3()}, false)",
                    predicate.fragment[0].upper() + predicate.fragment[1:],
                    f"value is not {COMPARISONS[predicate]} {obj}")
        if predicate in (SH.minLength, SH.maxLength):
            op = ">=" if predicate == SH.minLength else "<="
            return (f"isBlank(?v) || !COALESCE(STRLEN(STR(?v)) {op} {int(obj)}, false)",
                    "MinLength" if predicate == SH.minLength else "MaxLength",
                    f"value length is not {op} {int(obj)}")
        if predicate == SH.pattern:
            flags = g.value(shape, SH.flags)
            args = f"{obj.n3()}" + (f", {flags.n3()}" if flags is not None else "")
            return (f"isBlank(?v) || !REGEX(STR(?v), {args})", "Pattern",
                    f"value does not match {obj}")
        if predicate == SH.languageIn:
            tags = [str(t) for t in Collection(g, obj)]
            tests = " || ".join(f'langMatches(lang(?v), "{t}")' for t in tags)
            return (f"!isLiteral(?v) || !({tests or 'false'})", "LanguageIn",
                    f"language is not one of {', '.join(tags)}")
        if predicate == SH["in"]:
            # Term equality, as SHACL wants ("01"^^xsd:integer is not in (1)).
            members = " || ".join(f"sameTerm(?v, {m.n3()})" for m in Collection(g, obj))
            return f"!({members or 'false'})", "In", "value is not in the allowed list"
        return None

    def count_check(self, shape, predicate, obj):
        """(aggregate over the values ?v of one focus node, "<" or ">", bound: a number or
        a second aggregate, component, detail): the constraint fails where ``aggregate op
        bound``; for the constraints on how many values there are (None for the others)."""
        if predicate in (SH.minCount, SH.maxCount):
            low = predicate == SH.minCount
            return ("COUNT(DISTINCT ?v)", "<" if low else ">", str(int(obj)),
                    "MinCount" if low else "MaxCount",
                    f"{'fewer' if low else 'more'} than {int(obj)} value(s)")
        if predicate == SH.uniqueLang and obj == Literal(True):
            # Two values share a language iff there are more tagged values than tags
            # (?lang: see batch_findings).
            return ("COUNT(DISTINCT IF(BOUND(?lang), ?v, ?none))", ">", "COUNT(DISTINCT ?lang)",
                    "UniqueLang", "more than one value shares a language")
        if predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            qualified = self.shapes.value(shape, SH.qualifiedValueShape)
            condition = self.condition(qualified)
            if condition is None:  # a shape with paths of its own: not a test on ?v alone
                return None
            component = predicate.fragment[0].upper() + predicate.fragment[1:]
            op = "<" if predicate == SH.qualifiedMinCount else ">"
            return (f"COUNT(DISTINCT IF({condition}, ?v, ?none))", op, str(int(obj)),
                    component, f"{component} {int(obj)} of {short(qualified)}")
        return None

    def failing_values(self, shape, pairs) -> set:
        """The value nodes among ``pairs`` that do not conform to ``shape``."""
        candidates = " ".join(sorted({v.n3() for _f, v in pairs if not isinstance(v, BNode)}))
        if not candidates:
            return set()
        focus_pattern = f"{{ VALUES ?focus {{ {candidates} }} }}"
        return {f.focus for f in self.findings(shape, focus_pattern)}

    def condition(self, shape) -> str | None:
        """A SPARQL expression true when ?v conforms to ``shape``, if the shape only has
        constraints on the value itself (no path, no property shapes); else None."""
        g = self.shapes
        tests = []
        for predicate, obj in g.predicate_objects(shape):
            if predicate == SH.datatype:
                tests.append(f"(isLiteral(?v) && datatype(?v) = {obj.n3()})")
            elif predicate == SH.languageIn:
                tags = " || ".join(f'langMatches(lang(?v), "{t}")' for t in Collection(g, obj))
                tests.append(f"(isLiteral(?v) && ({tags or 'false'}))")
            elif predicate == SH.nodeKind:
                tests.append(NODE_KINDS[obj])
            elif predicate == SH["class"]:
                tests.append(f"EXISTS {self.instance_of('?v', obj)}")
            elif predicate == SH["in"]:
                members = " || ".join(f"sameTerm(?v, {m.n3()})" for m in Collection(g, obj))
                tests.append(f"({members or 'false'})")
            elif predicate == SH.hasValue:
                tests.append(f"sameTerm(?v, {obj.n3()})")
            elif predicate in COMPARISONS:
                tests.append(f"COALESCE(?v {COMPARISONS[predicate]} {obj.n3()}, false)")
            elif predicate not in PASSIVE or predicate in (SH.path, SH.property):
                return None
        return " && ".join(tests) or "true"

    def qualified_count_failures(self, shape, predicate, bound: int, focus_pattern, values):
        """Qualified counts whose shape is more than a test on the value (see count_check
        for the others): the values are checked against the shape, then counted."""
        pairs = self.rows(f"SELECT DISTINCT ?focus ?v WHERE {{ {values} }}")
        bad = self.failing_values(self.shapes.value(shape, SH.qualifiedValueShape), pairs)
        conforming: dict = {}
        for f, v in pairs:
            conforming[f] = conforming.get(f, 0) + (v not in bad)
        foci = [f for f, _ in self.rows(f"SELECT DISTINCT ?focus WHERE {{ {focus_pattern} }}",
                                        False)]
        if predicate == SH.qualifiedMinCount:
            return [(f, None) for f in foci if conforming.get(f, 0) < bound]
        return [(f, None) for f in foci if conforming.get(f, 0) > bound]

    def or_failures(self, members, values, focus_pattern, node_level: bool) -> list[tuple]:
        """(focus, value) pairs whose value conforms to none of ``members``. Each member is
        checked only on the values that failed the ones before (usually none)."""
        failing = None if node_level else self.distinct_values(values)
        for i, member in enumerate(members):
            if failing is not None and not failing:
                break
            if i == 0 and node_level:  # the values are the focus nodes: reuse their pattern
                failing = {f.focus for f in self.findings(member, focus_pattern)}
            else:
                failing &= self.failing_values(member, [(v, v) for v in failing])
        if failing is None:  # no members: every value fails
            failing = self.distinct_values(values)
        return self.pairs_with_values(values, failing)

    def distinct_values(self, values: str) -> set:
        return {to_rdflib_term(row["v"])
                for row in self.project.query_asserted(f"SELECT DISTINCT ?v WHERE {{ {values} }}")}

    def pairs_with_values(self, values: str, wanted: set) -> list[tuple]:
        """The (focus, value) pairs of ``values`` whose value is in ``wanted``: asked for
        only those values (usually few or none), not for all pairs."""
        if not wanted:
            return []
        if any(isinstance(v, BNode) for v in wanted):  # not writable in VALUES
            pairs = self.rows(f"SELECT DISTINCT ?focus ?v WHERE {{ {values} }}")
            return [(f, v) for f, v in pairs if v in wanted]
        listed = " ".join(sorted(v.n3() for v in wanted))
        return self.rows(f"SELECT DISTINCT ?focus ?v WHERE {{ {values} VALUES ?v {{ {listed} }} }}")

    def sparql_failures(self, constraint, focus_pattern) -> list[_Finding]:
        """A SPARQL-based constraint, run once over all focus nodes (not once per node)."""
        g = self.shapes
        prefixes = "".join(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
            for source in g.objects(constraint, SH.prefixes)
            for d in g.objects(source, SH.declare))
        messages = sorted(g.objects(constraint, SH.message), key=lambda m: (
            getattr(m, "language", None) != "en", str(m)))
        found = []
        # The focus nodes go first in the query: unbound, $this would leave the store to
        # join the constraint's patterns in any order (a cross product, for some).
        this = focus_pattern.replace("?focus", "?this")
        select = re.sub(r"(?i)\bWHERE\s*\{",
                        lambda m: f"{m.group(0)} {{ SELECT DISTINCT ?this WHERE {{ {this} }} }} ",
                        str(g.value(constraint, SH.select)).replace("$this", "?this"), count=1)
        solutions = self.project.query_asserted(prefixes + select)
        names = [v.value for v in solutions.variables]
        rows = list(solutions)
        if not rows:  # the usual case: no need to list the focus nodes
            return []
        foci = {f for f, _ in self.rows(f"SELECT DISTINCT ?focus WHERE {{ {focus_pattern} }}",
                                         False)}
        for row in rows:
            focus = to_rdflib_term(row["this"])
            if focus not in foci:
                continue
            cells = {name: row[name] for name in names}
            value = cells.get("value")
            path = cells.get("path")
            message = str(messages[0]) if messages else "SPARQL constraint"
            for name, term in cells.items():
                if term is not None:
                    message = message.replace(f"{{?{name}}}", term.value).replace(
                        f"{{${name}}}", term.value)
            found.append(_Finding(focus, to_rdflib_term(value) if value is not None else focus,
                                  "sh:SPARQLConstraintComponent", message,
                                  to_rdflib_term(path) if path is not None else None))
        return found

    def per_shared_language(self, findings: list[_Finding], path) -> list[_Finding]:
        """A uniqueLang finding for each language shared by two values of a focus node, as
        SHACL reports them (the count in batch_findings only tells which nodes fail)."""
        foci = " ".join(sorted({f.focus.n3() for f in findings}))
        query = (f"SELECT ?focus ?lang WHERE {{ VALUES ?focus {{ {foci} }} "
                 f"?focus {self.path(path)} ?v . FILTER(isLiteral(?v) && lang(?v) != '') "
                 f"BIND(lang(?v) AS ?lang) }} GROUP BY ?focus ?lang "
                 f"HAVING(COUNT(DISTINCT ?v) > 1)")
        detail = findings[0].detail
        return [_Finding(to_rdflib_term(row["focus"]), None, findings[0].component, detail)
                for row in self.project.query_asserted(query)]

    def node_failures(self, node_shape, values: str) -> list[tuple]:
        """(focus, value) pairs whose value does not conform to ``node_shape``. Blank-node
        values are not checked (they cannot be named in a query's VALUES)."""
        candidates = " ".join(sorted(v.n3() for v in self.distinct_values(values)
                                     if not isinstance(v, BNode)))
        focus_pattern = f"{{ VALUES ?focus {{ {candidates} }} }}"
        bad = {f.focus for f in self.findings(node_shape, focus_pattern)}
        return self.pairs_with_values(values, bad)


def batch_findings(compiler: ShapeCompiler, parts: list, focus_pattern: str, path) -> list:
    """Findings of constraints that are tests on each value or on the number of values
    (ShapeCompiler.batchable), all of one focus pattern and path, in at most two queries: one
    scan of the path for the value tests, one GROUP BY for the counts. At 100k programmes
    the five constraints on rdfs:label (three languages, one per language, tags) cost one
    scan instead of five. Returns a list of findings per part, in the order of ``parts``."""
    found: list[list[_Finding]] = [[] for _ in parts]
    value_parts = [(i, compiler.value_check(*part)) for i, part in enumerate(parts)]
    value_parts = [(i, check) for i, check in value_parts if check is not None]
    count_parts = [(i, compiler.count_check(*parts[i])) for i in range(len(parts))
                   if i not in dict(value_parts)]
    if value_parts:
        _value_findings(compiler, value_parts, compiler.values(focus_pattern, path), found)
    if count_parts:
        _count_findings(compiler, count_parts, focus_pattern,
                        compiler.optional_values(focus_pattern, path), found)
    for i, check in count_parts:
        if check[3] == "UniqueLang" and found[i]:
            found[i] = compiler.per_shared_language(found[i], path)
    return found


def _value_findings(compiler: ShapeCompiler, checks: list, values: str, found: list) -> None:
    """One scan of the values: a flag per test, rows only where a test fails."""
    flags = " ".join(f"BIND(COALESCE({test}, false) AS ?f{i})" for i, (test, *_r) in checks)
    query = (f"SELECT DISTINCT ?focus ?v {' '.join(f'?f{i}' for i, _ in checks)} "
             f"WHERE {{ {values} {flags} FILTER({' || '.join(f'?f{i}' for i, _ in checks)}) }}")
    for row in compiler.project.query_asserted(query):
        focus, value = to_rdflib_term(row["focus"]), to_rdflib_term(row["v"])
        for i, (_test, component, detail) in checks:
            flag = row[f"f{i}"]  # unbound where the test itself could not be evaluated
            if flag is not None and flag.value == "true":
                found[i].append(_Finding(focus, value, f"sh:{component}ConstraintComponent",
                                         detail))


def _count_findings(compiler: ShapeCompiler, checks: list, focus_pattern: str,
                    optional_values: str, found: list) -> None:
    """One GROUP BY over the focus nodes: the counts of every check, rows only where one
    fails. pyoxigraph leaves an expression of two aggregates unbound, so each aggregate is
    its own column, compared after the GROUP BY; and it counts COUNT(DISTINCT LANG(?v))
    as unbound, so the language tag is bound per value (?lang)."""
    counts = " ".join(f"({aggregate} AS ?n{i}) ({bound} AS ?b{i})"
                      for i, (aggregate, _op, bound, *_r) in checks)
    fails = " || ".join(f"?n{i} {op} ?b{i}" for i, (_a, op, *_r) in checks)
    lang = ('BIND(IF(isLiteral(?v) && lang(?v) != "", lang(?v), ?none) AS ?lang)'
            if "?lang" in counts else "")
    query = (f"SELECT * WHERE {{ {{ SELECT ?focus {counts} WHERE {{ {focus_pattern} "
             f"OPTIONAL {{ {optional_values} {lang} }} }} GROUP BY ?focus }} FILTER({fails}) }}")
    for row in compiler.project.query_asserted(query):
        focus = to_rdflib_term(row["focus"])
        for i, (_aggregate, op, _bound, component, detail) in checks:
            number, bound = int(row[f"n{i}"].value), int(row[f"b{i}"].value)
            if number < bound if op == "<" else number > bound:
                found[i].append(_Finding(focus, None, f"sh:{component}ConstraintComponent",
                                         detail))
