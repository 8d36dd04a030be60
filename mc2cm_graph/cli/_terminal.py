"""Output that cannot drive the terminal: control characters shown, not obeyed.

Values from remote endpoints, stores and data files can carry ESC sequences that set the
terminal's title, clear the screen or fake output. Whatever reaches a terminal shows every
control character (C0, C1, DEL; newline and tab kept) as a Python-style escape such as
``\\x1b``; Arabic and every other printable character stay as they are. Output going to a
file or a pipe is left exact, so CSV, TSV and JSON keep their data byte for byte.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from collections.abc import Iterator

_KEEP = frozenset("\n\t")


def _shown(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with each control character (and lone surrogate) written as an escape."""
    return "".join(_shown(c) if c not in _KEEP and unicodedata.category(c) in ("Cc", "Cs")
                   else c for c in text)


class TerminalSafe:
    """A text stream that escapes control characters on their way to ``stream``."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(escape_controls(text))

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


@contextlib.contextmanager
def terminal_safe_streams() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr escape control characters when they are
    terminals; files and pipes are left alone."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (TerminalSafe(s) if _is_terminal(s) else s for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
