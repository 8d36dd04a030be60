"""The site's maps, as SVG text: the region map (one per language) and a small map per place.

The land is Natural Earth's (export/site/basemap.py: vendored outlines, pyproj projection).
Cities are circles sized by their number of programmes; a programme set in a whole country
(Lebanon) is a square on that country. Where markers crowd on the region map (closer than
CROWDED px), their group gets a zoomed inset below it, lettered on the region map. Places
without coordinates (regions, districts) are left off; programmes with no mapped place are
named in the caption.

Text stays text so browsers shape Arabic; in Arabic labels go left of their marker first and
insets are ordered from the right (the map itself is not mirrored). Every number is rounded
to one decimal, so output is byte-identical from run to run.
"""

from __future__ import annotations

import json
import math

from mc2cm_graph.export.site.basemap import Frame, outline_named, outlines
from mc2cm_graph.export.site.data import Place, Programme, SiteData
from mc2cm_graph.export.site.svg import (
    ACCENT,
    INK,
    MUTED,
    document,
    element,
    lines,
    text,
    text_width,
)

MAP_W = 520.0
PAD, GAP, TITLE_H = 10.0, 12.0, 22.0
INSET_H = 210.0
PLACE_W, PLACE_H = 320.0, 220.0
CITY_SIZE, COUNTRY_SIZE = 13.0, 12.0
SQUARE = 10.0
MAX_RADIUS = 11.8
MAX_LISTED = 10  # unmapped programmes named in the caption; the rest are counted
CROWDED = 22.0  # px on the region map
SEA, LAND, OURS, BORDER = "#e8f1f8", "#f4f1ea", "#e6dfcf", "#b9b1a0"
LETTERS = "ABCDEFGHIJ"


def mapped(places: list[Place]) -> list[Place]:
    return [p for p in places if p.lat is not None and p.long is not None]


def country_wide(country: Place) -> list[Place]:
    """The country itself when a programme is located in it rather than in one of its
    cities (drawn as a square at the country's coordinates)."""
    direct = [p for p in country.programmes if country in p.places]
    return [country] if direct and country.lat is not None else []


def markers(data: SiteData) -> list[Place]:
    """What the region map marks: every city with coordinates, and countries set as a whole."""
    cities = mapped([p for p in data.places if p.kind == "city"])
    return cities + [w for c in data.places if c.kind == "country" for w in country_wide(c)]


def unmapped_programmes(data: SiteData) -> list[Programme]:
    """Programmes the map cannot show: no place, or only places without coordinates."""
    return [p for p in data.programmes if not mapped(p.places)]


def _radius(place: Place) -> float:
    """Area grows with the number of programmes, up to MAX_RADIUS (16 programmes)."""
    return min(3.0 + 2.2 * math.sqrt(len(place.programmes)), MAX_RADIUS)


def _window(places: list[Place], margin: float, least: float) -> tuple[float, ...]:
    """A lon/lat box around places: ``margin`` of its span on each side, at least ``least``
    degrees across."""
    longs, lats = [p.long for p in places], [p.lat for p in places]
    span = max(max(longs) - min(longs), max(lats) - min(lats), least)
    cx, cy = (max(longs) + min(longs)) / 2, (max(lats) + min(lats)) / 2
    half = span * (0.5 + margin)
    return (cx - half, cy - half * 0.75, cx + half, cy + half * 0.75)


# --- Drawing ---------------------------------------------------------------------------------

def _land(frame: Frame, clip: str, ours: set[str]) -> list[str]:
    x, y, w, h = frame.box
    found = [element("clipPath", {"id": clip}, element("rect", {"x": x, "y": y, "width": w,
                                                                  "height": h})),
             element("rect", {"x": x, "y": y, "width": w, "height": h, "fill": SEA,
                              "stroke": BORDER, "stroke_width": 1})]
    paths = [element("path", {"d": frame.path(o), "class": "land", "data_country": o.name,
                              "fill": OURS if o.name in ours else LAND, "stroke": BORDER,
                              "stroke_width": 0.7, "stroke_linejoin": "round"})
             for o in outlines() if frame.shows(o)]
    found.append(element("g", {"clip_path": f"url(#{clip})"}, "".join(paths)))
    return found


def _marker(frame: Frame, place: Place, lang: str, highlight: bool = True) -> tuple[str, tuple]:
    """The marker's SVG and its box (a circle per city, a square for a whole country)."""
    x, y = frame.xy(place.lat, place.long)
    tip = element("title", {}, text(f"{place.label(lang)}: {len(place.programmes)}"))
    common = {"class": "marker", "data_place": place.slug, "stroke": "#ffffff",
              "stroke_width": 1.2}
    fill = ACCENT if place.programmes and highlight else MUTED
    if place.kind == "country":
        half = SQUARE / 2
        svg = element("rect", {"x": x - half, "y": y - half, "width": SQUARE, "height": SQUARE,
                               "fill": fill, **common}, tip)
        return svg, (x - half, y - half, x + half, y + half)
    r = _radius(place) if highlight else 3.0
    svg = element("circle", {"cx": x, "cy": y, "r": r, "fill": fill, **common}, tip)
    return svg, (x - r, y - r, x + r, y + r)


# --- Labels: greedy placement around each point ----------------------------------------------

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
    """The first spot near the point inside the frame that overlaps no box already taken
    (labels and markers); the plain right (left in Arabic) spot if none."""
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


def _labels(frame: Frame, points: list[tuple[Place, str, float]], taken: list, rtl: bool,
            size: float, **style) -> list[str]:
    """Labels for (place, text, gap) from north to south, avoiding what is taken."""
    x, y, w, h = frame.box
    edges = (x + 2, y + 2, x + w - 2, y + h - 2)
    found = []
    for place, label, gap in sorted(points, key=lambda t: (-t[0].lat, t[0].long, t[0].slug)):
        lx, ly = _spot(frame.xy(place.lat, place.long), gap, label, size, taken, edges, rtl)
        taken.append(label_box(lx, ly, label, size))
        # A white halo under the label (SVG 1.1 has no paint-order): the same text stroked,
        # then the text itself.
        halo = {**style, "fill": "#ffffff"}
        found.append(lines([label], lx, ly, size, "middle", class_="halo", stroke="#ffffff",
                           stroke_width=3, stroke_linejoin="round", **halo))
        found.append(lines([label], lx, ly, size, "middle", class_="label",
                           data_label_for=place.slug, **style))
    return found


def _city_label(place: Place, lang: str, titles: dict) -> tuple[Place, str, float]:
    if place.kind == "country":
        return place, titles["country_wide"], SQUARE / 2 + 4
    return place, place.label(lang), _radius(place) + 4


# --- The region map --------------------------------------------------------------------------

def crowded_groups(frame: Frame, places: list[Place]) -> list[list[Place]]:
    """Places whose markers come closer than CROWDED px (single linkage), two or more."""
    points = {p.slug: frame.xy(p.lat, p.long) for p in places}
    group_of = {p.slug: i for i, p in enumerate(places)}
    for a in places:
        for b in places:
            ax, ay = points[a.slug]
            bx, by = points[b.slug]
            if group_of[a.slug] != group_of[b.slug] and math.hypot(ax - bx, ay - by) < CROWDED:
                old, new = group_of[b.slug], group_of[a.slug]
                group_of = {k: new if g == old else g for k, g in group_of.items()}
    groups: dict[int, list[Place]] = {}
    for p in places:
        groups.setdefault(group_of[p.slug], []).append(p)
    found = [g for g in groups.values() if len(g) > 1]
    return sorted(found, key=lambda g: (min(p.long for p in g), g[0].slug))


def _countries_of(group: list[Place], lang: str) -> str:
    names = []
    for p in sorted(group, key=lambda p: p.long):
        country = p if p.kind == "country" else p.country
        if country is not None and country.label(lang) not in names:
            names.append(country.label(lang))
    return " · ".join(names)


def _overview(data: SiteData, places: list[Place], lang: str, titles: dict, ours: set[str]):
    """The region panel: its frame, its SVG and the crowded groups that get insets."""
    inner_w = MAP_W - 2 * PAD
    longs, lats = [p.long for p in places], [p.lat for p in places]
    window = (min(longs) - 3.0, min(lats) - 2.5, max(longs) + 3.0, max(lats) + 2.5)
    extent = Frame(window, (0, 0, 1, 1)).extent
    height = min(max(inner_w * extent[1] / extent[0], 200.0), 360.0)
    frame = Frame(window, (PAD, PAD + TITLE_H, inner_w, height))
    groups = crowded_groups(frame, places)
    body = _land(frame, "clip-overview", ours)
    taken = []
    for place in places:
        svg, box = _marker(frame, place, lang)
        body.append(svg)
        taken.append(box)
    in_insets = {p.slug for g in groups for p in g}
    for i, group in enumerate(groups):
        inset = Frame(_window(group, 0.25, 0.5), (0, 0, 1, 1))
        west, south, east, north = inset.metres()
        x1, y1 = frame.px(west, north)
        x2, y2 = frame.px(east, south)
        body.append(element("rect", {"x": x1, "y": y1, "width": x2 - x1, "height": y2 - y1,
                                     "fill": "none", "stroke": INK, "stroke_width": 1,
                                     "stroke_dasharray": "3 2", "class": "inset-box"}))
        taken.append((x1, y1, x2, y2))
        body.append(lines([LETTERS[i]], x1 - 7 if x1 > PAD + 12 else x2 + 7, y1 + 4, 12.0,
                          "middle", font_weight="bold"))
        taken.append((x1 - 14, y1 - 8, x1, y1 + 6))
    countries = [c for c in mapped([p for p in data.places if p.kind == "country"])
                 if c.programmes]
    body += _labels(frame, [(c, c.label(lang), 8.0) for c in countries], taken, lang == "ar",
                    COUNTRY_SIZE, fill=MUTED, font_style="italic")
    body += _labels(frame, [_city_label(p, lang, titles) for p in places
                            if p.slug not in in_insets], taken, lang == "ar", CITY_SIZE,
                    fill=INK)
    panel = element("g", {"class": "panel", "data_panel": "overview"}, "".join(body))
    return frame, panel, groups


def inset_boxes(groups: list[list[Place]], top: float, rtl: bool) -> list[tuple[float, ...]]:
    """Where each inset goes, below ``top``: a wide group (its window wider than tall) takes
    a full row, as tall as its window asks within limits; the others two to a row (from the
    right in Arabic)."""
    inner_w = MAP_W - 2 * PAD
    half_w = (inner_w - GAP) / 2
    boxes: dict[int, tuple[float, ...]] = {}
    y = top + TITLE_H
    waiting = None  # a half-width inset waiting for its neighbour
    for i, group in enumerate(groups):
        extent = Frame(_window(group, 0.25, 0.5), (0, 0, 1, 1)).extent
        if extent[0] > 1.3 * extent[1]:
            height = min(max(inner_w * extent[1] / extent[0], 150.0), 280.0)
            boxes[i] = (PAD, y, inner_w, height)
            y += height + TITLE_H + GAP
        elif waiting is None:
            waiting = i
        else:
            boxes[waiting] = (PAD, y, half_w, INSET_H)
            boxes[i] = (PAD + half_w + GAP, y, half_w, INSET_H)
            waiting = None
            y += INSET_H + TITLE_H + GAP
    if waiting is not None:
        boxes[waiting] = (PAD, y, half_w, INSET_H)
    found = [boxes[i] for i in range(len(groups))]
    return [(MAP_W - x - w, y, w, h) for x, y, w, h in found] if rtl else found


def _inset(group: list[Place], i: int, box: tuple, lang: str, titles: dict,
           ours: set[str]) -> str:
    frame = Frame(_window(group, 0.25, 0.5), box)
    body = _land(frame, f"clip-inset-{i}", ours)
    taken = []
    for place in group:
        svg, marker_box = _marker(frame, place, lang)
        body.append(svg)
        taken.append(marker_box)
    body += _labels(frame, [_city_label(p, lang, titles) for p in group], taken,
                    lang == "ar", CITY_SIZE, fill=INK)
    x, y, w, _ = box
    title = f"{LETTERS[i]} · {_countries_of(group, lang)}"
    body.append(lines([title], x + w / 2, y - 7, 12.0, "middle", font_weight="bold"))
    return element("g", {"class": "panel", "data_panel": f"inset-{LETTERS[i]}"}, "".join(body))


def our_countries(data: SiteData) -> set[str]:
    """Natural Earth names of the countries in the data (matched by English label)."""
    return {c.label("en") for c in data.places if c.kind == "country"}


def map_caption(data: SiteData, titles: dict, lang: str) -> str:
    """The caption, naming the programmes the map cannot show."""
    missing = unmapped_programmes(data)
    if not missing:
        return titles["map_caption"]
    names = "؛ ".join if lang == "ar" else "; ".join
    listed = names(titles["programme_n"].format(n=p.position, title=p.label(lang))
                   for p in missing[:MAX_LISTED])
    if len(missing) > MAX_LISTED:
        listed += f" (+{len(missing) - MAX_LISTED})"
    return f"{titles['map_caption']} {titles['map_unplaced'].format(programmes=listed)}"


def map_svg(data: SiteData, lang: str, titles: dict[str, str]) -> bytes:
    """The region map, then a zoomed inset per crowded group, two to a row."""
    places = markers(data)
    ours = our_countries(data)
    body: list[str] = []
    height = PAD + TITLE_H
    groups: list[list[Place]] = []
    if places:
        frame, panel, groups = _overview(data, places, lang, titles, ours)
        body.append(element("text", {"x": MAP_W / 2, "y": PAD + 14, "font_size": 13.0,
                                     "text_anchor": "middle", "font_weight": "bold"},
                            text(titles["overview"])))
        body.append(panel)
        height = frame.box[1] + frame.box[3] + GAP
    for i, box in enumerate(inset_boxes(groups, height, lang == "ar")):
        body.append(_inset(groups[i], i, box, lang, titles, ours))
        height = max(height, box[1] + box[3] + GAP)
    height += PAD
    return document(MAP_W, height, lang, titles["map_title"], map_caption(data, titles, lang),
                    body)


# --- A place's own small map -----------------------------------------------------------------

def place_window(place: Place) -> tuple[float, ...] | None:
    """Around a country's cities (else its whole outline); a city and 1.6° around it."""
    if place.kind == "country":
        points = mapped([place] + place.cities)
        if len(points) > 1:
            return _window(points, 0.15, 2.0)
        outline = outline_named(place.label("en"))
        if outline is not None:
            west, south, east, north = outline.degrees
            return (west - 0.5, south - 0.5, east + 0.5, north + 0.5)
        return _window(points, 0.2, 2.0) if points else None
    if place.lat is None or place.long is None:
        return None
    return (place.long - 1.6, place.lat - 1.2, place.long + 1.6, place.lat + 1.2)


def place_map_svg(data: SiteData, place: Place, lang: str, titles: dict[str, str]) -> bytes | None:
    """The place on its map: a country with its cities, or a city among its neighbours
    (shown smaller and grey). None for a place without coordinates."""
    window = place_window(place)
    if window is None:
        return None
    frame = Frame(window, (1, 1, PLACE_W - 2, PLACE_H - 2))
    ours = {place.label("en")} if place.kind == "country" else (
        {place.country.label("en")} if place.country else set())
    body = _land(frame, "clip-place", ours)
    shown = mapped(place.cities) + country_wide(place) if place.kind == "country" else [place]
    others = [p for p in markers(data) if p not in shown and p.kind == "city"
              and _within(frame, p)]
    taken = []
    for other in others:
        svg, box = _marker(frame, other, lang, highlight=False)
        body.append(svg)
        taken.append(box)
    for p in shown:
        svg, box = _marker(frame, p, lang)
        body.append(svg)
        taken.append(box)
    body += _labels(frame, [_city_label(p, lang, titles) for p in shown], taken, lang == "ar",
                    CITY_SIZE, fill=INK)
    title = titles["place_map_title"].format(place=place.label(lang))
    return document(PLACE_W, PLACE_H, lang, title, title, body)


def _within(frame: Frame, place: Place) -> bool:
    x, y = frame.xy(place.lat, place.long)
    bx, by, w, h = frame.box
    return bx <= x <= bx + w and by <= y <= by + h


# --- The query page's base map ---------------------------------------------------------------

# The Mediterranean, from the Atlantic coast of Morocco to the Levant.
QUERY_WINDOW = (-11.0, 28.0, 40.0, 46.0)
QUERY_W, QUERY_H = 900.0, 420.0


def query_basemap_svg() -> bytes:
    """The land of the query page's map view, projected; its root carries the d3-geo
    parameters (data-projection) with which the page puts result points on it. The server's
    copy (serve/web/basemap.svg) is written from this by scripts/regenerate_basemap.py,
    never at build time."""
    frame = Frame(QUERY_WINDOW, (0, 0, QUERY_W, QUERY_H))
    body = "".join(_land(frame, "clip-basemap", set()))
    root = element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {QUERY_W:g} {QUERY_H:g}",
        "role": "img", "class": "basemap",
        "data_projection": json.dumps(frame.d3(), separators=(",", ":")),
        "data_source": "Natural Earth 1:50m (public domain), Lambert azimuthal equal-area"},
        "\n" + body + "\n")
    return (root + "\n").encode("utf-8")

