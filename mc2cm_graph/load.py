"""Read Turtle into a graph. Every syntax problem becomes an Mc2cmError with file, line, column.

pyoxigraph parses (it is an order of magnitude faster than rdflib's parser and reports
exact positions); the result is handed to users as an rdflib graph, the API they know.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from mc2cm_graph import paths
from mc2cm_graph.errors import Mc2cmError
from mc2cm_graph.namespaces import bind_prefixes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG}


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what cannot be Turtle (missing, empty, not UTF-8)."""
    path = Path(path)
    if not path.is_file():
        raise Mc2cmError("file not found", file=path, hint="check the path")
    content = path.read_bytes()
    if not content.strip():
        raise Mc2cmError("file is empty", file=path, hint="add Turtle statements or remove it")
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as err:
        line = content[: err.start].count(b"\n") + 1
        raise Mc2cmError(
            f"not UTF-8 (byte 0x{content[err.start]:02x})",
            file=path,
            line=line,
            hint="save the file as UTF-8",
        ) from None
    return content


def parse_quads(path: Path) -> list[ox.Quad]:
    """Parse one RDF file into pyoxigraph quads, or raise an Mc2cmError naming the place."""
    path = Path(path)
    rdf_format = _FORMATS.get(path.suffix)
    if rdf_format is None:
        raise Mc2cmError(
            f"unsupported file type {path.suffix!r}",
            file=path,
            hint="use .ttl (Turtle), .trig or .nt",
        )
    content = read_bytes(path)
    try:
        return list(ox.parse(content, format=rdf_format, base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        raise Mc2cmError(
            f"syntax error: {_syntax_message(err)}",
            file=path,
            line=err.lineno,
            column=err.offset,
            hint="fix the Turtle at that position (see https://www.w3.org/TR/turtle/)",
        ) from None


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


def add_quads(graph: Graph, quads: Iterable[ox.Quad]) -> Graph:
    """Add quads' triples to an rdflib graph (the graph name is dropped)."""
    add = graph.add
    for quad in quads:
        add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate),
             to_rdflib_term(quad.object)))
    return graph


def load_graph(files: Iterable[Path]) -> Graph:
    """One rdflib graph holding the triples of all the given files."""
    graph = bind_prefixes(Graph())
    for path in files:
        add_quads(graph, parse_quads(path))
    return graph


def project_files(data_dir: Path | None = None, *, with_vocabularies: bool = True) -> list[Path]:
    """The ontology, the data of a folder (default: the project's), and the vocabularies."""
    files = [paths.ONTOLOGY_FILE, *paths.data_files(data_dir or paths.DATA_DIR)]
    if with_vocabularies:
        files += paths.vocabulary_files()
    return files


def load_project_graph(data_dir: Path | None = None, *, with_vocabularies: bool = True) -> Graph:
    """The whole project graph: ontology + instance data (+ vocabularies)."""
    return load_graph(project_files(data_dir, with_vocabularies=with_vocabularies))
