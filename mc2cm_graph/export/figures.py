"""Two pictures for the site, drawn offline with matplotlib and written as SVG.

- The SDG-target × theme matrix: how many programmes address a theme and serve a target.
- A map of the places: points at the coordinates the data gives (geo:lat/geo:long), one
  panel for the whole region and one per country. No coastline or tiles: nothing of the
  sort ships with the project, and fetching one at build time is not allowed.

SVG text is kept as text (``svg.fonttype: none``) so browsers shape Arabic properly, which
matplotlib itself cannot. Output is byte-identical from run to run: fixed hash salt, no
date or software metadata.
"""

from __future__ import annotations

import contextlib
import io
import math
import textwrap
import warnings

from mc2cm_graph.export.sitedata import Place, SiteData

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "mc2cm-graph",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
METADATA = {"Date": None, "Creator": None}
INK = "#1f2933"
ACCENT = "#1d6fa3"
MUTED = "#9aa5b1"


@contextlib.contextmanager
def _no_glyph_warnings():
    # matplotlib's own DejaVu Sans has no Arabic glyphs; the SVG keeps the text and the
    # browser draws it with a font that has them, so the warning is noise here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def _svg(fig) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata=METADATA, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _wrap(text: str, lang: str, width: int = 42) -> str:
    lines = textwrap.wrap(text, width)
    if lang == "ar":
        # SVG text is laid out left to right; a right-to-left mark at both ends of each line
        # keeps trailing punctuation (the Arabic comma) at the end where it belongs.
        lines = [f"\u200f{line}\u200f" for line in lines]
    return "\n".join(lines)


def matrix_counts(data: SiteData) -> list[list[int]]:
    """counts[i][j]: programmes addressing theme i and serving target j."""
    return [[sum(1 for p in theme.programmes if target in p.targets) for target in data.targets]
            for theme in data.themes]


def matrix_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = matrix_counts(data)
    rows, cols = len(data.themes), max(len(data.targets), 1)
    with matplotlib.rc_context(RC), _no_glyph_warnings():
        fig, ax = plt.subplots(figsize=(max(4.5, 1.2 + 0.62 * cols), 0.9 + 0.55 * rows))
        top = max((max(row, default=0) for row in counts), default=0)
        ax.imshow(counts if data.targets else [[0]] * rows, cmap="Blues", vmin=0,
                  vmax=max(top, 1) * 1.25, aspect="auto")
        for i, row in enumerate(counts):
            for j, n in enumerate(row):
                if n:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=9,
                            color="white" if n > top * 0.6 else INK)
        ax.set_xticks(range(len(data.targets)), [t.slug for t in data.targets])
        ax.set_yticks(range(rows), [_wrap(t.label(lang), lang) for t in data.themes])
        if lang == "ar":
            ax.yaxis.tick_right()
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks([x - 0.5 for x in range(1, cols)], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, rows)], minor=True)
        ax.grid(which="minor", color="white", linewidth=2)
        ax.tick_params(which="minor", length=0)
        ax.set_xlabel(titles["targets"], labelpad=8)
        ax.xaxis.set_label_position("top")
        _goal_groups(ax, data, rows, titles["goal"], lang)
        return _svg(fig)


def _goal_groups(ax, data: SiteData, rows: int, word: str, lang: str) -> None:
    """Under the matrix, the goal of each run of targets; a wider gap between goals."""
    runs: list[tuple[str, int, int]] = []
    for j, target in enumerate(data.targets):
        goal = target.goal.slug if target.goal else target.slug.split(".")[0]
        if runs and runs[-1][0] == goal:
            runs[-1] = (goal, runs[-1][1], j)
        else:
            runs.append((goal, j, j))
    for goal, first, last in runs:
        ax.text((first + last) / 2, rows - 0.5 + 0.25, _wrap(f"{word} {goal}", lang, 80),
                ha="center", va="top",
                fontsize=8.5, color=INK)
        if first:
            ax.axvline(first - 0.5, color="white", linewidth=5)


def _mapped(places: list[Place]) -> list[Place]:
    return [p for p in places if p.lat is not None and p.long is not None]


def _aspect(ax, lats: list[float]) -> None:
    # Equirectangular, scaled at the mean latitude: distances look right around the points.
    ax.set_aspect(1 / math.cos(math.radians(sum(lats) / len(lats))))


def _frame(ax, points: list[Place], pad: float) -> None:
    lats = [p.lat for p in points]
    longs = [p.long for p in points]
    span = max(max(lats) - min(lats), max(longs) - min(longs), 1.0)
    margin = pad * span
    ax.set_xlim(min(longs) - margin, max(longs) + margin)
    ax.set_ylim(min(lats) - margin, max(lats) + margin)
    _aspect(ax, lats)
    ax.grid(color="#e4e7eb", linewidth=0.6)
    ax.tick_params(labelsize=7, colors=MUTED, length=0)
    for spine in ax.spines.values():
        spine.set_color("#cbd2d9")


# Label positions tried in turn (offset in points, horizontal alignment, vertical alignment).
_SPOTS = [((6, 0), "left", "center"), ((-6, 0), "right", "center"),
          ((0, 6), "center", "bottom"), ((0, -6), "center", "top"),
          ((5, 5), "left", "bottom"), ((-5, 5), "right", "bottom"),
          ((5, -5), "left", "top"), ((-5, -5), "right", "top"),
          ((12, 10), "left", "bottom"), ((-12, -10), "right", "top")]


def _place_labels(fig, ax, points: list[Place], lang: str, dots_of: list[Place] | None = None,
                  text_of=None, **style) -> None:
    """Greedy labelling: each label takes the first spot that stays inside the panel and
    overlaps no earlier label and no point; points are labelled from north to south."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer).extents
    dots = [(x - 4, y - 4, x + 4, y + 4)
            for x, y in (ax.transData.transform((p.long, p.lat)) for p in dots_of or points)]
    boxes: list = []
    style = {"fontsize": 8.5, "color": INK, **style}
    for place in sorted(points, key=lambda p: (-p.lat, p.long)):
        text = None
        for (dx, dy), ha, va in _SPOTS:
            if text is not None:
                text.remove()
            label = text_of(place) if text_of else place.label(lang)
            text = ax.annotate(label, (place.long, place.lat), xytext=(dx, dy),
                               textcoords="offset points", ha=ha, va=va, **style)
            box = text.get_window_extent(renderer).extents
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] \
                and box[3] <= frame[3]
            if inside and not any(_overlap(box, other) for other in boxes + dots):
                break
        boxes.append(box)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _dot_sizes(points: list[Place]) -> list[float]:
    return [28 + 22 * len(p.programmes) for p in points]


def _dot_colours(points: list[Place]) -> list[str]:
    return [ACCENT if p.programmes else MUTED for p in points]


def _scatter(ax, points: list[Place]) -> None:
    ax.scatter([p.long for p in points], [p.lat for p in points], s=_dot_sizes(points),
               c=_dot_colours(points), zorder=3, edgecolors="white", linewidths=0.8)


def _country_wide(country: Place) -> list[Place]:
    """The country itself, when a programme is located in it rather than in one of its
    cities (drawn as a square at the country's centre)."""
    direct = [p for p in country.programmes if country in p.places]
    return [country] if direct and country.lat is not None else []


def _squares(ax, countries: list[Place]) -> None:
    if countries:
        ax.scatter([c.long for c in countries], [c.lat for c in countries], s=70, marker="s",
                   c=ACCENT, zorder=3, edgecolors="white", linewidths=0.8)


def map_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    """A full-width panel of every mapped city, then one panel per country."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cities = _mapped([p for p in data.places if p.kind == "city"])
    countries = [c for c in data.places if c.kind == "country" and _mapped(c.cities)]
    columns = 2
    rows = math.ceil(len(countries) / columns)
    with matplotlib.rc_context(RC), _no_glyph_warnings():
        fig = plt.figure(figsize=(9, 2.6 + 3.6 * rows))
        grid = fig.add_gridspec(1 + rows, columns, height_ratios=[1.0] + [1.15] * rows)
        overview = fig.add_subplot(grid[0, :])
        panels = [fig.add_subplot(grid[1 + i // columns, i % columns])
                  for i in range(len(countries))]
        wide = [w for c in countries for w in _country_wide(c)]
        if cities:
            _frame(overview, cities + wide, 0.04)
            _scatter(overview, cities)
            _squares(overview, wide)
        overview.set_title(titles["overview"], fontsize=10, color=INK)
        for ax, country in zip(panels, countries, strict=True):
            points = _mapped(country.cities)
            _frame(ax, points + _country_wide(country), 0.45)
            _scatter(ax, points)
            _squares(ax, _country_wide(country))
            ax.set_title(country.label(lang), fontsize=10, color=INK)
        fig.tight_layout()
        _place_labels(fig, overview, _mapped(countries), lang, dots_of=cities + wide,
                      fontsize=9.5, color=MUTED, style="italic")
        for ax, country in zip(panels, countries, strict=True):
            _place_labels(fig, ax, _mapped(country.cities) + _country_wide(country), lang,
                          text_of=lambda p: titles["country_wide"] if p.kind == "country"
                          else p.label(lang))
        return _svg(fig)
