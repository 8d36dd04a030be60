"""Printing query results: a terminal table, CSV, TSV, SPARQL JSON or a Markdown table.

Tables keep Arabic in logical order (what a bidi-capable terminal, a pager or a copy-paste
needs) and size columns by display width, so that combining marks (harakat) take no column
and wide characters two.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from mc2cm_graph.graph.namespaces import compact_iri
from mc2cm_graph.query.engine import Result

FORMATS = ("table", "csv", "tsv", "json", "md", "xlsx")
BINARY_FORMATS = ("xlsx",)
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "nonNegativeInteger",
                              "positiveInteger", "int", "long")}
# Longest namespace first, so that programme: wins over id:.


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns, ending with … when cut."""
    if width <= 0 or display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def compact(iri: str) -> str:
    """A CURIE with the project's prefixes, or the IRI itself."""
    return compact_iri(iri) or iri


def plain(term, *, short: bool = False) -> str:
    """A term's value on one line: IRIs (compacted if ``short``) and lexical forms."""
    if term is None:
        return ""
    value = term.value
    if short and type(term).__name__ == "NamedNode":
        value = compact(value)
    return " ".join(value.split()) if ("\n" in value or "\r" in value or "\t" in value) else value


def _is_numeric(result: Result, variable: str) -> bool:
    terms = [row.get(variable) for row in result.rows if row.get(variable) is not None]
    return bool(terms) and all(getattr(getattr(t, "datatype", None), "value", None) in _NUMERIC
                               for t in terms)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def as_table(result: Result, max_width: int = 60) -> str:
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    cols = result.variables
    whole = [[plain(row.get(v), short=True) for v in cols] for row in result.rows]
    cells = [[truncate(text, max_width) for text in row] for row in whole]
    cut = sum(a != b for row, cut_row in zip(whole, cells, strict=True)
              for a, b in zip(row, cut_row, strict=True))
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells])
              for i, c in enumerate(cols)]
    right = [_is_numeric(result, v) for v in cols]
    lines = ["  ".join(_pad(c, w, False) for c, w in zip(cols, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True))
              .rstrip() for row in cells]
    note = (f"; {cut} cell{'' if cut == 1 else 's'} cut to {max_width} columns, marked …"
            " (--width 0 shows them whole)" if cut else "")
    lines.append(f"({len(cells)} row{'' if len(cells) == 1 else 's'}{note})")
    return "\n".join(lines)


def _delimited(result: Result, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if result.boolean is not None:
        writer.writerows([["ask"], ["true" if result.boolean else "false"]])
        return out.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain(row.get(v)).replace(delimiter, " ") if delimiter == "\t"
                         else plain(row.get(v)) for v in result.variables])
    return out.getvalue()


def _json_term(term) -> dict:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def as_json(result: Result) -> str:
    """The SPARQL 1.1 Query Results JSON format."""
    if result.boolean is not None:
        data = {"head": {}, "boolean": result.boolean}
    else:
        data = {"head": {"vars": result.variables},
                "results": {"bindings": [
                    {v: _json_term(t) for v, t in row.items() if t is not None}
                    for row in result.rows]}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_markdown(result: Result) -> str:
    if result.boolean is not None:
        return "| ask |\n|---|\n| " + ("true" if result.boolean else "false") + " |\n"

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(result.variables) + " |",
             "|" + "|".join("---" for _ in result.variables) + "|"]
    lines += ["| " + " | ".join(cell(plain(row.get(v), short=True)) for v in result.variables)
              + " |" for row in result.rows]
    return "\n".join(lines) + "\n"


def as_xlsx(result: Result) -> bytes:
    """An Excel workbook of one sheet: a header row, then one row per result; numbers as
    numbers, everything else as the plain text of the CSV (full IRIs, literals' text)."""
    try:
        from openpyxl import Workbook
    except ImportError:
        from mc2cm_graph.graph.errors import Mc2cmError

        raise Mc2cmError("--format xlsx needs the openpyxl package",
                         hint='pip install "mc2cm-graph[xlsx]" (or pip install openpyxl)'
                         ) from None
    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    if result.boolean is not None:
        sheet.append(["ask"])
        sheet.append([result.boolean])
    else:
        numeric = [_is_numeric(result, v) for v in result.variables]
        sheet.append(result.variables)
        for row in result.rows:
            sheet.append([_number(row.get(v)) if n else plain(row.get(v))
                          for v, n in zip(result.variables, numeric, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(term):
    if term is None:
        return None
    try:
        value = float(term.value)
    except ValueError:
        return term.value
    return int(value) if value.is_integer() and "." not in term.value else value


def format_bytes(result: Result, fmt: str, *, max_width: int = 60, bom: bool = False) -> bytes:
    """The result in ``fmt`` as bytes (UTF-8 for the text formats). ``bom``: csv and tsv
    start with a byte-order mark, so that Excel opens Arabic text as UTF-8."""
    if fmt == "xlsx":
        return as_xlsx(result)
    text = format_result(result, fmt, max_width=max_width)
    return (("\ufeff" + text) if bom and fmt in ("csv", "tsv") else text).encode("utf-8")


def format_result(result: Result, fmt: str = "table", *, max_width: int = 60) -> str:
    if fmt == "table":
        return as_table(result, max_width) + "\n"
    if fmt == "csv":
        return _delimited(result, ",")
    if fmt == "tsv":
        return _delimited(result, "\t")
    if fmt == "json":
        return as_json(result)
    if fmt == "md":
        return as_markdown(result)
    from mc2cm_graph.graph.errors import Mc2cmError

    raise Mc2cmError(f"unknown format {fmt!r}", hint="one of " + ", ".join(FORMATS))
