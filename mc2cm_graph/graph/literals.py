"""Typed literals in canonical lexical form.

The store keeps a typed literal by its value and writes it in the canonical form of its
datatype (XSD 1.1): ``"34.00"^^xsd:decimal`` becomes ``34``, ``"+5"^^xsd:integer`` 5. For
the release to say exactly what the data files say, the files must use those forms; the
loader notes every literal that is not (QC rule ``typed-literal-canonical``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NOT_CANONICALISED = {_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
_INTEGER = _XSD + "integer"
_BOOLEAN = _XSD + "boolean"


@dataclass(frozen=True)
class NonCanonical:
    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    literal: ox.Literal  # as written
    canonical: str  # the lexical form the store keeps
    file: Path


def _quick_verdict(literal: ox.Literal) -> bool | None:
    """True/False for the common cases without a store; None when unsure."""
    datatype = literal.datatype.value
    if datatype == _INTEGER:
        return _CANONICAL_INTEGER.fullmatch(literal.value) is not None
    if datatype == _BOOLEAN:
        return literal.value in ("true", "false")
    return None


def canonical_forms(literals: list[ox.Literal]) -> list[str]:
    """The lexical forms the store keeps for ``literals`` (a round trip through a store)."""
    store = ox.Store()
    predicate = ox.NamedNode("urn:x-mc2cm:value")
    store.extend(ox.Quad(ox.NamedNode(f"urn:x-mc2cm:literal:{i}"), predicate, literal)
                 for i, literal in enumerate(literals))
    kept = {quad.subject.value: quad.object.value for quad in store}
    return [kept[f"urn:x-mc2cm:literal:{i}"] for i in range(len(literals))]


def non_canonical_literals(quads, file: Path) -> list[NonCanonical]:
    """The quads' typed literals (other than strings) not in their canonical form."""
    unsure = []
    found = []
    for quad in quads:
        literal = quad.object
        if type(literal) is not ox.Literal or literal.language or \
                literal.datatype.value in _NOT_CANONICALISED:
            continue
        verdict = _quick_verdict(literal)
        if verdict is None:
            unsure.append(quad)
        elif not verdict:
            found.append(quad)
    if unsure:
        forms = canonical_forms([quad.object for quad in unsure])
        found += [quad for quad, form in zip(unsure, forms, strict=True)
                  if form != quad.object.value]
    if not found:
        return []
    forms = canonical_forms([quad.object for quad in found])
    return [NonCanonical(q.subject, q.predicate, q.object, form, Path(file))
            for q, form in zip(found, forms, strict=True)]
