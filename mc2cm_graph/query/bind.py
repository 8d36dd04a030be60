"""Binding parameter values into SPARQL text as RDF terms, the way grlc does, but safely.

A saved query names its parameters with grlc's variables (``?_target`` required, ``?__lang``
optional, ``?_theme_iri`` an IRI). To run it, each parameter variable *token* is replaced by
the N-Triples serialisation of an RDF term built from the validated value (SPARQL SEP-0007
substitution, which is also what grlc does to the same files). The text is scanned as SPARQL
tokens, so variables inside strings, IRIs or comments are left alone, and a term's
serialisation escapes quotes: a value can never end its literal and add query text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mc2cm_graph.graph.errors import ParameterError
from mc2cm_graph.graph.iris import ID

XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

# One SPARQL token of interest per match; everything else goes through `other` char by char.
_TOKENS = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00B7]+)
      | (?P<other>.)''',
    re.S | re.X,
)

# The same tokens where the only "other" characters matched are brackets: what nesting
# counts (query/limits.py), without a match per character of the rest.
_BRACKET_TOKENS = re.compile(_TOKENS.pattern.replace("(?P<other>.)", r"(?P<other>[{}()\[\]])"),
                             re.S | re.X)

# grlc's reading of a parameter variable: _name or __name, then an optional type suffix.
_GRLC_PARAM = re.compile(r"(?P<required>_{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?")


@dataclass(frozen=True)
class ParamVar:
    """A grlc parameter found in a query: ``?_theme_iri`` → name theme, type iri, required."""

    variable: str  # without the leading ? or $
    name: str
    required: bool
    type: str  # "string" (default), "iri", "integer", or a two-letter language tag

    @property
    def token(self) -> str:
        return "?" + self.variable


def tokens(text: str):
    """(kind, text) for each token of interest and each other character."""
    for match in _TOKENS.finditer(text):
        yield match.lastgroup, match.group()


def bracket_tokens(text: str):
    """The matches of the tokens that hide brackets (strings, IRIs, comments, variables)
    and of the brackets themselves (group ``other``), in order."""
    return _BRACKET_TOKENS.finditer(text)


def param_vars(text: str) -> list[ParamVar]:
    """The grlc parameters of a query, in order of first appearance."""
    seen: dict[str, ParamVar] = {}
    for kind, tok in tokens(text):
        if kind == "var" and tok[1] == "_" and tok[1:] not in seen:
            match = _GRLC_PARAM.fullmatch(tok[1:])
            if match is None:
                raise ParameterError(f"parameter variable {tok} does not follow grlc's convention",
                                 hint="name it ?_name, ?__name or ?_name_type (camelCase name)")
            seen[tok[1:]] = ParamVar(tok[1:], match["name"], match["required"] == "_",
                                     match["type"] or "string")
    return list(seen.values())


def _check_lexical(value: str) -> str:
    # Backslashes are refused because engines disagree on "\u" escapes inside literals
    # (SPARQL decodes them before parsing; rdflib and oxigraph do it differently).
    bad = [c for c in value if c == "\\" or unicodedata.category(c) in ("Cc", "Cs")]
    if bad:
        raise ParameterError(f"parameter value contains a forbidden character {bad[0]!r}",
                         hint="values may not contain backslashes or control characters")
    return value


def term_for(value: str, param_type: str):
    """The pyoxigraph term a validated value stands for, by grlc's type suffix."""
    import pyoxigraph as ox

    value = _check_lexical(value)
    if param_type == "iri":
        try:
            return ox.NamedNode(value)
        except ValueError:
            raise ParameterError(f"not an IRI: {value!r}", hint="give an absolute IRI, "
                                 f"e.g. {ID}theme/access-to-health") from None
    if param_type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise ParameterError(f"not an integer: {value!r}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD_INTEGER))
    if re.fullmatch(r"[a-z]{2}", param_type):
        return ox.Literal(value, language=param_type)
    return ox.Literal(value)


def substitute(text: str, terms: dict[str, object]) -> str:
    """``text`` with every token of each bound variable (name without ``?``) replaced by the
    N-Triples form of its term. Unbound parameters stay variables (grlc does the same)."""
    out = []
    for kind, tok in tokens(text):
        if kind == "var" and tok[1:] in terms:
            out.append(str(terms[tok[1:]]))
        else:
            out.append(tok)
    return "".join(out)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside comments, strings
    and IRIs (SPARQLWrapper's own guess reads words inside comments, e.g. "address" as ADD)."""
    code = "".join(" " if kind in ("comment", "string", "iri") else tok
                   for kind, tok in tokens(text))
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code)
    return match[1].upper() if match else None
