"""What the command line may change in what the exporters write: one value, made once by
the CLI (or a caller of build.build) and passed unchanged through the build to the
pipeline, which hands each exporter the options it declares (export/pipeline.Exporter)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ExportOptions:
    site_max: int | None = None  # the most programmes the site writes a page for (site.py)
    ld_max: int | None = None  # the most programmes whose resources get static linked data
    workers: int | None = None  # exporters run at once, in forked workers (None: one a core)

    def chosen(self, names: tuple[str, ...]) -> dict[str, object]:
        """The options ``names`` (an exporter's declared ones), by keyword."""
        known = {f.name for f in fields(self)}
        return {name: getattr(self, name) for name in names if name in known}
