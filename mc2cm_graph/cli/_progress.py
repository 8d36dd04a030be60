"""Progress of long commands on the terminal, and the short summary after them.

rich draws the bars (description, bar, count, rate, elapsed): it is well kept, already
handles terminals that are not one (no bars, no escape codes), and its Console also
prints the summary table. On a terminal each stage gets a bar that disappears when the
command ends; off a terminal nothing but the summary is printed; ``--verbose`` adds every
file written, ``--quiet`` prints errors only.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from mc2cm_graph.progress import Progress


def add_output_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--verbose", "-v", action="store_true",
                       help="list every file written")
    group.add_argument("--quiet", "-q", action="store_true", help="print errors only")


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:,.0f}/s" if task.speed else "")

    return RateColumn()


class CliProgress(Progress):
    """Bars on a terminal (unless quiet); files and bytes per stage for the summary."""

    def __init__(self, console, *, quiet: bool = False, verbose: bool = False):
        self.console, self.quiet, self.verbose = console, quiet, verbose
        self.started = time.perf_counter()
        self.artefacts: dict[str, list[int]] = {}  # stage → [files, bytes]
        self.notes: list[str] = []
        self._stage = ""
        self._bars = None
        if console.is_terminal and not quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bars

            self._bars = Bars(TextColumn("{task.description:<22}"), BarColumn(),
                              MofNCompleteColumn(), _rate_column(), TimeElapsedColumn(),
                              console=console, transient=True)
            self._bars.start()

    @contextmanager
    def stage(self, name: str, total: int | None = None):
        self._stage = name
        if self._bars is None:
            yield lambda n=1: None
            return
        task = self._bars.add_task(name, total=total)
        yield lambda n=1: self._bars.advance(task, n)
        # Done: the bar shows what was counted (the total was an estimate up front).
        done = max(next(t for t in self._bars.tasks if t.id == task).completed, 1)
        self._bars.update(task, completed=done, total=done)

    def wrote(self, paths: list[Path], stage: str | None = None) -> None:
        counts = self.artefacts.setdefault(stage or self._stage, [0, 0])
        counts[0] += len(paths)
        counts[1] += sum(Path(p).stat().st_size for p in paths)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def stop(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def summary(self, out_dir: Path, files: list[Path], report_line: str) -> None:
        """Files and bytes per artefact, where the report is, total time; with --verbose,
        every file."""
        self.stop()
        if self.quiet:
            return
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for column, justify in (("artefact", "left"), ("files", "right"), ("bytes", "right")):
            table.add_column(column, justify=justify)
        for name, (count, size) in self.artefacts.items():
            table.add_row(name, f"{count:,}", _size(size))
        self.console.print(table)
        self.console.print(f"report: {out_dir / 'validation-report.txt'} ({report_line})")
        for note in self.notes:
            self.console.print(f"left out: {note}")
        self.console.print(f"wrote {len(files):,} files into {out_dir} in "
                           f"{time.perf_counter() - self.started:.2f} s")
        if self.verbose:
            for path in files:
                self.console.print(f"  {path}")


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def console(stream=None):
    from rich.console import Console

    return Console(file=stream, highlight=False, soft_wrap=True)


def run_build(args, stream=None, **options) -> int:
    """The body of `build` and `export`: the library's build with a progress display,
    then the summary. ``options`` are the verb's own keyword arguments to ``build``."""
    from mc2cm_graph.build import build

    progress = CliProgress(console(stream), quiet=args.quiet, verbose=args.verbose)
    try:
        result = build(args.data, args.out, base_url=args.base_url, force=args.force,
                       progress=progress, **options)
    finally:
        progress.stop()
    progress.summary(args.out, result.files, result.report.text().splitlines()[0])
    return 0
