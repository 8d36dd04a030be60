"""Read Turtle into a graph. Every syntax problem becomes an Mc2cmError with file, line, column.

pyoxigraph parses (it is an order of magnitude faster than rdflib's parser and reports
exact positions); the result is handed to users as an rdflib graph, the API they know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from mc2cm_graph.graph import paths, textfile
from mc2cm_graph.graph.errors import DataError, Mc2cmError
from mc2cm_graph.graph.iris import ONTOLOGY_NS
from mc2cm_graph.graph.namespaces import bind_prefixes, compact_iri
from mc2cm_graph.graph.textfile import position

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_OUR_CLASSES = ONTOLOGY_NS
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG}


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what cannot be Turtle (missing, empty, not UTF-8)."""
    content = textfile.read_bytes(path)
    if not content.strip():
        raise DataError("file is empty", file=path, hint="add Turtle statements or remove it")
    textfile.decode_text(content, path)
    return content


def parse_quads(path: Path) -> list[ox.Quad]:
    """Parse one RDF file into pyoxigraph quads, or raise an Mc2cmError naming the place."""
    path = Path(path)
    rdf_format = _FORMATS.get(path.suffix)
    if rdf_format is None:
        raise DataError(
            f"unsupported file type {path.suffix!r}",
            file=path,
            hint="use .ttl (Turtle), .trig or .nt",
        )
    content = read_bytes(path)
    try:
        quads = list(ox.parse(content, format=rdf_format, base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        raise DataError(
            f"syntax error: {_syntax_message(err)}",
            file=path,
            line=err.lineno,
            column=err.offset,
            hint="fix the Turtle at that position (see https://www.w3.org/TR/turtle/)",
        ) from None
    except MemoryError as err:
        raise too_large(path, err) from None
    _refuse_rdf12(path, content, quads)
    return quads


# RDF 1.2 features that an rdflib graph cannot hold; pyoxigraph parses them.
_RDF12 = (
    (re.compile(rb"<<"), "RDF 1.2 triple terms and reifiers (<< >>) are not supported",
     "state the triple directly, or describe it with rdf:Statement"),
    (re.compile(rb"@[A-Za-z]+(?:-[A-Za-z0-9]+)*--"),
     "RDF 1.2 base directions (@ar--rtl) are not supported",
     "use a plain language tag such as @ar"),
)


def _refuse_rdf12(path: Path, content: bytes, quads: list[ox.Quad]) -> None:
    if not any(_is_rdf12(term) for quad in quads
               for term in (quad.subject, quad.object)):
        return
    for pattern, message, hint in _RDF12:
        match = pattern.search(content)
        if match:
            line, column = position(content, match.start())
            raise DataError(message, file=path, line=line, column=column, hint=hint)
    raise DataError("RDF 1.2 features are not supported", file=path,
                     hint="write plain RDF 1.1 Turtle")


def _is_rdf12(term) -> bool:
    return isinstance(term, ox.Triple) or (
        isinstance(term, ox.Literal) and getattr(term, "direction", None) is not None)


def too_large(path: Path, err: MemoryError) -> Mc2cmError:
    """pyoxigraph's parser refuses a single token (a literal, an IRI) over its 16 MB buffer."""
    return DataError(f"a literal or IRI is too long to parse ({err or 'out of memory'})",
                      file=path, hint="keep each literal under 16 MB: split the text, or "
                                      "link to the document instead of embedding it")


def _syntax_message(err: SyntaxError) -> str:
    message = err.msg or str(err)
    # pyoxigraph prefixes the position, which Mc2cmError already shows.
    return message.split(": ", 1)[1] if message.startswith("Parser error") else message


def to_rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # as rdflib's own parsers give it (RDF 1.1: the same)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def add_quads(graph: Graph, quads: Iterable[ox.Quad]) -> Graph:
    """Add quads' triples to an rdflib graph (the graph name is dropped)."""
    add = graph.add
    for quad in quads:
        add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate),
             to_rdflib_term(quad.object)))
    return graph


def load_graph(files: Iterable[Path], *, single_definition: bool = True) -> Graph:
    """One rdflib graph holding the triples of all the given files (each file once).

    A resource typed with one of our classes must be defined in one file only: the same
    IRI defined in two files is almost always a copied file (a duplicate programme slug),
    and merging the two would mix their titles and positions. Pass
    ``single_definition=False`` to merge such files on purpose (a release with its sources).
    """
    graph = bind_prefixes(Graph())
    defined_in: dict[str, Path] = {}
    seen: set[Path] = set()
    for path in files:
        if Path(path).resolve() in seen:
            continue
        seen.add(Path(path).resolve())
        quads = parse_quads(path)
        if single_definition:
            _check_single_definition(path, quads, defined_in)
        add_quads(graph, quads)
    return graph


def _check_single_definition(path: Path, quads: list[ox.Quad],
                             defined_in: dict[str, Path]) -> None:
    here = {quad.subject.value: quad.object.value for quad in quads
            if quad.predicate == _RDF_TYPE and isinstance(quad.subject, ox.NamedNode)
            and quad.object.value.startswith(_OUR_CLASSES)}
    # Programmes first: a copied programme file is reported by its programme, not an activity.
    path = Path(path)  # once: a Path per subject was most of this check's time at 10k
    for subject, cls in sorted(here.items(), key=lambda kv: (not kv[1].endswith("#Programme"),
                                                             kv[0])):
        first = defined_in.setdefault(subject, path)
        if first is not path and first != path:
            raise DataError(
                f"{_short(subject)} is defined (typed {_short(cls)}) both here "
                f"and in {first}",
                file=path,
                hint="describe each resource in one file: remove the duplicate, or give one "
                     "of them a new IRI (slug) if they are different things",
            )


def _short(iri: str) -> str:
    return compact_iri(iri) or f"<{iri}>"


def project_files(data_dir: Path | None = None, *, with_vocabularies: bool = True) -> list[Path]:
    """The ontology, the data of a folder (default: the project's), and the vocabularies."""
    files = [paths.ONTOLOGY_FILE, *paths.data_files(data_dir or paths.DATA_DIR)]
    if with_vocabularies:
        files += paths.vocabulary_files()
    return files


def load_project_graph(data_dir: Path | None = None, *, with_vocabularies: bool = True) -> Graph:
    """The whole project graph: ontology + instance data (+ vocabularies)."""
    return load_graph(project_files(data_dir, with_vocabularies=with_vocabularies))
