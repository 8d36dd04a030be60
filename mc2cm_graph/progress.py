"""What the pipeline tells about its progress: stages, items done, files written.

The library reports to a ``Progress``; the default one says nothing. The command line
shows it on a terminal (cli/_progress.py, with rich).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


class Progress:
    """Receives the pipeline's events; this one ignores them (library use, tests)."""

    @contextmanager
    def stage(self, name: str, total: int | None = None):
        """A named stage of ``total`` items (None: unknown); yields ``advance(n=1)``."""
        yield lambda n=1: None

    def wrote(self, paths: list[Path], stage: str | None = None) -> None:
        """Files an exporter (``stage``; None: the stage last started) has written."""

    def note(self, text: str) -> None:
        """A line for the summary: what the build chose to leave out, and why."""


SILENT = Progress()
