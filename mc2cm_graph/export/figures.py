"""Two pictures for the site, written as SVG text by hand (no plotting library).

- The SDG-target × theme matrix: how many programmes address a theme and serve a target.
- A map of the places: points at the coordinates the data gives (geo:lat/geo:long), one
  panel for the whole region and one per country. No coastline or tiles: nothing of the
  sort ships with the project, and fetching one at build time is not allowed.

Text stays text so browsers shape Arabic; the Arabic pictures are right to left (the matrix
mirrored, the map's panels ordered from the right; the map itself is not mirrored). Every
number is rounded to one decimal, so output is byte-identical from run to run.
"""

from __future__ import annotations

import math
import textwrap

from mc2cm_graph.export.sitedata import Place, SiteData
from mc2cm_graph.export.svg import (
    ACCENT,
    INK,
    LINE,
    MUTED,
    document,
    element,
    num,
    text,
    text_width,
)

PAD = 12.0
LABEL_SIZE = 12.0
LINE_HEIGHT = 15.0
CELL_W, CELL_H = 46.0, 34.0
GOAL_GAP = 8.0
# Stops of a white-to-blue ramp (ColorBrewer "Blues").
RAMP = [(0.0, (247, 251, 255)), (0.25, (198, 219, 239)), (0.5, (107, 174, 214)),
        (0.75, (33, 113, 181)), (1.0, (8, 48, 107))]


def matrix_counts(data: SiteData) -> list[list[int]]:
    """counts[i][j]: programmes addressing theme i and serving target j."""
    return [[sum(1 for p in theme.programmes if target in p.targets) for target in data.targets]
            for theme in data.themes]


def _shade(share: float) -> str:
    for (low, a), (high, b) in zip(RAMP, RAMP[1:], strict=False):
        if share <= high:
            f = (share - low) / (high - low)
            return "#" + "".join(f"{round(x + (y - x) * f):02x}" for x, y in zip(a, b, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*RAMP[-1][1])


def _goal_runs(data: SiteData) -> list[tuple[str, int, int]]:
    """(goal, first column, last column) for each run of targets of the same goal."""
    runs: list[tuple[str, int, int]] = []
    for j, target in enumerate(data.targets):
        goal = target.goal.slug if target.goal else target.slug.split(".")[0]
        if runs and runs[-1][0] == goal:
            runs[-1] = (goal, runs[-1][1], j)
        else:
            runs.append((goal, j, j))
    return runs


def _lines(ts: list[str], x: float, y_first: float, size: float, anchor: str,
           **attrs) -> str:
    spans = "".join(element("tspan", {"x": x, "y": y_first + i * size * 1.25}, text(t))
                    for i, t in enumerate(ts))
    return element("text", {"font_size": size, "text_anchor": anchor, **attrs}, spans)


def matrix_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    counts = matrix_counts(data)
    rtl = lang == "ar"
    runs = _goal_runs(data)
    goal_of = {j: g for g, (_, first, last) in enumerate(runs) for j in range(first, last + 1)}
    wrapped = [textwrap.wrap(t.label(lang), 42) or [t.slug] for t in data.themes]
    heights = [max(CELL_H, len(lines) * LINE_HEIGHT + 6) for lines in wrapped]
    label_w = max((text_width(line, LABEL_SIZE) for lines in wrapped for line in lines),
                  default=0) + 10
    width_m = len(data.targets) * CELL_W + max(len(runs) - 1, 0) * GOAL_GAP
    top_m = PAD + 26 + 22
    x_m = PAD if rtl else PAD + label_w

    def column_x(j: int) -> float:
        offset = j * CELL_W + goal_of[j] * GOAL_GAP
        return x_m + width_m - offset - CELL_W if rtl else x_m + offset

    top = max((max(row, default=0) for row in counts), default=0)
    body = [_lines([titles["targets"]], x_m + width_m / 2, PAD + 14, 13.0, "middle",
                   font_weight="bold")]
    for j, target in enumerate(data.targets):
        body.append(_lines([target.slug], column_x(j) + CELL_W / 2, top_m - 8, 11.0, "middle",
                           direction="ltr"))
    y = top_m
    for i, (theme, lines) in enumerate(zip(data.themes, wrapped, strict=True)):
        h = heights[i]
        edge = x_m + width_m + 8 if rtl else x_m - 8
        first = y + h / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + LABEL_SIZE * 0.35
        body.append(_lines(lines, edge, first, LABEL_SIZE, "end"))
        for j, target in enumerate(data.targets):
            body.append(_cell(counts[i][j], top, column_x(j), y, h, theme.slug, target.slug))
        y += h
    body += _goal_labels(runs, column_x, y + 6, titles["goal"])
    width = PAD * 2 + label_w + width_m
    return document(width, y + 48, lang, titles.get("matrix_title", titles["targets"]),
                    titles.get("matrix_caption", ""), body)


def _cell(n: int, top: int, x: float, y: float, h: float, theme: str, target: str) -> str:
    fill = _shade(n / (max(top, 1) * 1.25))
    rect = element("rect", {"x": x + 1, "y": y + 1, "width": CELL_W - 2, "height": h - 2,
                            "fill": fill, "class": "cell", "data_theme": theme,
                            "data_target": target, "data_count": n})
    if not n:
        return rect
    label = _lines([str(n)], x + CELL_W / 2, y + h / 2 + 4, 12.0, "middle",
                   fill="#ffffff" if n > top * 0.6 else INK)
    return rect + label


def _goal_labels(runs, column_x, y: float, word: str) -> list[str]:
    """Under the matrix, the goal of each run of targets (on two lines when it is narrow)."""
    found = []
    for goal, first, last in runs:
        xs = [column_x(first), column_x(last)]
        centre = (min(xs) + max(xs) + CELL_W) / 2
        span = max(xs) - min(xs) + CELL_W
        phrase = f"{word} {goal}"
        lines = [phrase] if text_width(phrase, 11.0) <= span - 4 else [word, goal]
        found.append(element("line", {"x1": min(xs) + 2, "y1": y, "x2": max(xs) + CELL_W - 2,
                                      "y2": y, "stroke": MUTED, "stroke_width": 1}))
        found.append(_lines(lines, centre, y + 14, 11.0, "middle"))
    return found


# --- The map -------------------------------------------------------------------------------

MAP_W = 900.0
GUTTER_L, GUTTER_B, TITLE_H = 30.0, 16.0, 24.0
CITY_SIZE, COUNTRY_SIZE = 11.0, 12.0
SQUARE = 9.0


def _mapped(places: list[Place]) -> list[Place]:
    return [p for p in places if p.lat is not None and p.long is not None]


def _country_wide(country: Place) -> list[Place]:
    """The country itself, when a programme is located in it rather than in one of its
    cities (drawn as a square at the country's centre)."""
    direct = [p for p in country.programmes if country in p.places]
    return [country] if direct and country.lat is not None else []


def _radius(place: Place) -> float:
    return 3.0 + 2.2 * math.sqrt(len(place.programmes))


class Panel:
    """A rectangle of the picture showing some points in an equirectangular projection,
    scaled at the points' mean latitude so distances look right around them."""

    def __init__(self, points: list[Place], box: tuple[float, float, float, float], pad: float):
        self.box = box  # x, y, width, height of the plot area
        lats = [p.lat for p in points]
        longs = [p.long for p in points]
        self.k = math.cos(math.radians(sum(lats) / len(lats)))
        span = max(max(lats) - min(lats), max(longs) - min(longs), 1.0)
        margin = pad * span
        xs = ((min(longs) - margin) * self.k, (max(longs) + margin) * self.k)
        ys = (min(lats) - margin, max(lats) + margin)
        self.spans = (xs[1] - xs[0], ys[1] - ys[0])
        self.scale = min(box[2] / (xs[1] - xs[0]), box[3] / (ys[1] - ys[0]))
        self.cx, self.cy = (xs[0] + xs[1]) / 2, (ys[0] + ys[1]) / 2

    def xy(self, lat: float, long: float) -> tuple[float, float]:
        x, y, w, h = self.box
        return (x + w / 2 + (long * self.k - self.cx) * self.scale,
                y + h / 2 - (lat - self.cy) * self.scale)

    def degrees(self) -> tuple[float, float, float, float]:
        """West, east, south, north edges of the plot area."""
        x, y, w, h = self.box
        half_w, half_h = w / 2 / self.scale, h / 2 / self.scale
        return ((self.cx - half_w) / self.k, (self.cx + half_w) / self.k,
                self.cy - half_h, self.cy + half_h)


def _step(low: float, high: float) -> float:
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if (high - low) / step <= 6:
            return step
    return 20.0


def _ticks(low: float, high: float) -> list[float]:
    step = _step(low, high)
    return [k * step for k in range(math.ceil(low / step), math.floor(high / step) + 1)]


def _degree(value: float) -> str:
    return f"{num(value)}°"


def _graticule(panel: Panel) -> list[str]:
    x, y, w, h = panel.box
    west, east, south, north = panel.degrees()
    found = [element("rect", {"x": x, "y": y, "width": w, "height": h, "fill": "#fbfcfd",
                              "stroke": "#cbd2d9", "stroke_width": 1})]
    for long in _ticks(west, east):
        px = panel.xy(south, long)[0]
        found.append(element("line", {"x1": px, "y1": y, "x2": px, "y2": y + h,
                                      "stroke": LINE, "stroke_width": 0.8}))
        found.append(_lines([_degree(long)], px, y + h + 12, 9.0, "middle", fill=MUTED,
                            direction="ltr"))
    for lat in _ticks(south, north):
        py = panel.xy(lat, west)[1]
        found.append(element("line", {"x1": x, "y1": py, "x2": x + w, "y2": py,
                                      "stroke": LINE, "stroke_width": 0.8}))
        found.append(_lines([_degree(lat)], x - GUTTER_L / 2, py + 3, 9.0, "middle",
                            fill=MUTED, direction="ltr"))
    return found


def _marker(panel: Panel, place: Place, lang: str) -> tuple[str, tuple]:
    """The marker's SVG and its box (a circle per city, a square for a whole country)."""
    x, y = panel.xy(place.lat, place.long)
    tip = element("title", {}, text(f"{place.label(lang)}: {len(place.programmes)}"))
    common = {"class": "marker", "data_place": place.slug, "stroke": "#ffffff",
              "stroke_width": 1}
    if place.kind == "country":
        half = SQUARE / 2
        svg = element("rect", {"x": x - half, "y": y - half, "width": SQUARE,
                               "height": SQUARE, "fill": ACCENT, **common}, tip)
        return svg, (x - half, y - half, x + half, y + half)
    r = _radius(place)
    svg = element("circle", {"cx": x, "cy": y, "r": r,
                             "fill": ACCENT if place.programmes else MUTED, **common}, tip)
    return svg, (x - r, y - r, x + r, y + r)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box, frame) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


# Directions tried in turn for a label's centre, as unit steps (right, left, above, below,
# then the diagonals); each ring tries them farther from the point.
_DIRECTIONS = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]


def label_box(x: float, y: float, label: str, size: float) -> tuple[float, ...]:
    """The box a label written at (x, y) (centre, baseline) takes, by our width estimate."""
    w, h = text_width(label, size), size * 1.25
    centre = y - size * 0.35
    return (x - w / 2, centre - h / 2, x + w / 2, centre + h / 2)


def _spot(point: tuple, gap: float, label: str, size: float, taken: list, frame,
          rtl: bool) -> tuple[float, float]:
    """Greedy placement: the first spot near the point inside the frame that overlaps no
    box already taken (labels and markers); the plain right (left in Arabic) spot if none."""
    w, h = text_width(label, size), size * 1.25
    directions = [(-dx, dy) for dx, dy in _DIRECTIONS] if rtl else _DIRECTIONS
    for ring in (1.0, 2.2, 3.6):
        for dx, dy in directions:
            x = point[0] + dx * (gap * ring + w / 2)
            y = point[1] + dy * (gap * ring + h / 2) + size * 0.35
            box = label_box(x, y, label, size)
            if _inside(box, frame) and not any(_overlap(box, other) for other in taken):
                return x, y
    dx = -1 if rtl else 1
    return point[0] + dx * (gap + w / 2), point[1] + size * 0.35


def _labels(panel: Panel, points: list[tuple[Place, str, float]], obstacles: list, rtl: bool,
            **style) -> list[str]:
    """Labels for (place, text, gap) from north to south, avoiding markers and each other."""
    x, y, w, h = panel.box
    frame = (x + 2, y + 2, x + w - 2, y + h - 2)
    taken = list(obstacles)
    found = []
    size = style.pop("size")
    for place, label, gap in sorted(points, key=lambda t: (-t[0].lat, t[0].long, t[0].slug)):
        lx, ly = _spot(panel.xy(place.lat, place.long), gap, label, size, taken, frame, rtl)
        taken.append(label_box(lx, ly, label, size))
        found.append(_lines([label], lx, ly, size, "middle", class_="label",
                            data_label_for=place.slug, **style))
    return found


def _panel(points, markers_of, labelled, box, pad, title, lang, **style) -> list[str]:
    panel = Panel(points, box, pad)
    body = _graticule(panel)
    obstacles = []
    for place in markers_of:
        svg, marker_box = _marker(panel, place, lang)
        body.append(svg)
        obstacles.append(marker_box)
    body += _labels(panel, labelled, obstacles, lang == "ar", **style)
    x, y, w, _ = box
    body.append(_lines([title], x + w / 2, y - 8, 13.0, "middle", font_weight="bold"))
    return body


def map_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    """A full-width panel of every mapped city, then one panel per country."""
    rtl = lang == "ar"
    cities = _mapped([p for p in data.places if p.kind == "city"])
    countries = [c for c in data.places if c.kind == "country" and _mapped(c.cities)]
    wide = [w for c in countries for w in _country_wide(c)]
    inner_w = MAP_W - 2 * PAD - GUTTER_L
    body: list[str] = []
    y = PAD + TITLE_H
    if cities:
        spans = Panel(cities + wide, (0, 0, 1, 1), 0.04).spans
        height = min(max(inner_w * spans[1] / spans[0], 170.0), 320.0)
        box = (PAD + GUTTER_L, y, inner_w, height)
        body += _panel(cities + wide, cities + wide,
                       [(c, c.label(lang), 8.0) for c in _mapped(countries)]
                       + [(c, c.label(lang), _radius(c) + 4) for c in cities if c.country is None],
                       box, 0.04, titles["overview"], lang,
                       size=COUNTRY_SIZE, fill=MUTED, font_style="italic")
        y += height + GUTTER_B + TITLE_H + 8
    column_w = (MAP_W - 2 * PAD - 2 * GUTTER_L - 16) / 2
    panel_h = 230.0
    for i, country in enumerate(countries):
        column = (1 - i % 2) if rtl else i % 2
        x = PAD + GUTTER_L + column * (column_w + 16 + GUTTER_L)
        top = y + (i // 2) * (panel_h + GUTTER_B + TITLE_H + 8)
        points = _mapped(country.cities) + _country_wide(country)
        labelled = [(p, titles["country_wide"] if p.kind == "country" else p.label(lang),
                     (SQUARE / 2 if p.kind == "country" else _radius(p)) + 4) for p in points]
        body += _panel(points, points, labelled, (x, top, column_w, panel_h), 0.45,
                       country.label(lang), lang, size=CITY_SIZE, fill=INK)
    rows = math.ceil(len(countries) / 2)
    height = y + rows * (panel_h + GUTTER_B + TITLE_H + 8) - TITLE_H
    return document(MAP_W, height, lang, titles.get("map_title", titles["overview"]),
                    titles.get("map_caption", ""), body)
