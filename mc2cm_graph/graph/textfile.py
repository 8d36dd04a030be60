"""Reading text files users hand us (queries, data): UTF-8, with the position of a bad byte."""

from __future__ import annotations

import codecs
from pathlib import Path

from mc2cm_graph.graph.errors import Mc2cmError


def decode_text(content: bytes, source: Path | str) -> str:
    """UTF-8 text (a leading byte-order mark dropped, as editors on Windows write one), or
    an Mc2cmError naming the line and column of the first byte that is not UTF-8."""
    skip = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    try:
        return content[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        bad = skip + err.start
        line, column = position(content, bad)
        raise Mc2cmError(f"not UTF-8 (byte 0x{content[bad]:02x})", file=source,
                         line=line, column=column, hint="save the file as UTF-8") from None


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or an Mc2cmError naming the file (missing, unreadable)."""
    path = Path(path)
    if not path.is_file():
        raise Mc2cmError("file not found", file=path, hint="check the path")
    try:
        return path.read_bytes()
    except OSError as err:
        raise Mc2cmError(f"cannot read the file: {err.strerror}", file=path,
                         hint="check the file's permissions") from None


def read_text(path: Path) -> str:
    """A UTF-8 text file's content (see decode_text), or an Mc2cmError naming the file."""
    return decode_text(read_bytes(path), path)


def position(content: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = content.rfind(b"\n", 0, offset) + 1
    column = len(content[line_start:offset].decode("utf-8", errors="replace")) + 1
    return content.count(b"\n", 0, offset) + 1, column
