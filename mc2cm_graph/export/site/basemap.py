"""The base map: the vendored Natural Earth outlines (geo/mediterranean.geojson) projected
with pyproj into a rectangle of a picture.

The projection is Lambert azimuthal equal-area centred on the Mediterranean (35° N, 14° E):
areas are true, so countries compare fairly, and shapes stay close to true across the
region's 5,000 km. It is computed on a sphere of the mean Earth radius, as d3-geo's
``geoAzimuthalEqualArea`` does, so the query page (which projects result points in the
browser with the vendored d3-geo) puts a point on exactly the pixel the site does;
``Frame.d3`` gives d3 the same parameters. At these scales the sphere is far below a pixel
from the ellipsoidal projection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from mc2cm_graph.export.site.svg import num
from mc2cm_graph.graph import paths

LAT0, LON0 = 35.0, 14.0
RADIUS = 6371008.8  # metres, the IUGG mean Earth radius
PROJ = f"+proj=laea +lat_0={LAT0} +lon_0={LON0} +R={RADIUS} +units=m +no_defs"
BASEMAP_FILE = paths.GEO_DIR / "mediterranean.geojson"
MIN_STEP = 0.6  # px: a ring's points closer than this to the last one kept are dropped


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", PROJ, always_xy=True)


def project(longs: list[float], lats: list[float]) -> tuple[list[float], list[float]]:
    """Longitudes and latitudes (degrees, WGS84) to metres in the map's projection."""
    xs, ys = _transformer().transform(longs, lats)
    return list(xs), list(ys)


@dataclass(frozen=True)
class Outline:
    """A country: its name (Natural Earth's English name) and its rings, projected (metres),
    with their bounding box."""

    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bounds: tuple[float, float, float, float]
    degrees: tuple[float, float, float, float]  # west, south, east, north


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=1)
def _features() -> tuple[tuple[str, list[list[list[float]]]], ...]:
    """Each country of the vendored file: its name and rings, in degrees."""
    collection = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    return tuple((f["properties"]["name"], _rings(f["geometry"]))
                 for f in collection["features"])


def _degrees(raw: list[list[list[float]]]) -> tuple[float, float, float, float]:
    longs = [p[0] for ring in raw for p in ring]
    lats = [p[1] for ring in raw for p in ring]
    return min(longs), min(lats), max(longs), max(lats)


@lru_cache(maxsize=1)
def outlines() -> tuple[Outline, ...]:
    """Every country of the vendored file, projected once per process."""
    found = []
    for name, raw in _features():
        rings = []
        for ring in raw:
            xs, ys = project([p[0] for p in ring], [p[1] for p in ring])
            rings.append(tuple(zip(xs, ys, strict=True)))
        points = [p for ring in rings for p in ring]
        bounds = (min(p[0] for p in points), min(p[1] for p in points),
                  max(p[0] for p in points), max(p[1] for p in points))
        found.append(Outline(name, tuple(rings), bounds, _degrees(raw)))
    return tuple(found)


def outline_named(name: str) -> Outline | None:
    return next((o for o in outlines() if o.name == name), None)


def degrees_named(name: str) -> tuple[float, float, float, float] | None:
    """The country's box in degrees (west, south, east, north), without projecting (so
    without pyproj, which the catalogue need not import)."""
    return next((_degrees(raw) for found, raw in _features() if found == name), None)


_PATHS: dict[tuple, str] = {}  # Frame.path's, by frame and outline


class Frame:
    """A rectangle of the picture (x, y, width, height in px) showing a window of the
    projected map: the lon/lat box ``window`` (west, south, east, north), fitted whole and
    centred."""

    def __init__(self, window: tuple[float, float, float, float],
                 box: tuple[float, float, float, float]):
        west, south, east, north = window
        steps = [i / 8 for i in range(9)]
        longs = [west + (east - west) * t for t in steps] * 2 + [west] * 9 + [east] * 9
        lats = [south] * 9 + [north] * 9 + [south + (north - south) * t for t in steps] * 2
        xs, ys = project(longs, lats)
        self.box = box
        self.extent = (max(xs) - min(xs), max(ys) - min(ys))  # metres
        self.scale = min(box[2] / (max(xs) - min(xs)), box[3] / (max(ys) - min(ys)))
        self.centre = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Projected metres to the picture's pixels (y downwards)."""
        bx, by, w, h = self.box
        return (bx + w / 2 + (x - self.centre[0]) * self.scale,
                by + h / 2 - (y - self.centre[1]) * self.scale)

    def xy(self, lat: float, long: float) -> tuple[float, float]:
        xs, ys = project([long], [lat])
        return self.px(xs[0], ys[0])

    def metres(self) -> tuple[float, float, float, float]:
        """The box's edges in projected metres (west, south, east, north)."""
        bx, by, w, h = self.box
        half_w, half_h = w / 2 / self.scale, h / 2 / self.scale
        return (self.centre[0] - half_w, self.centre[1] - half_h,
                self.centre[0] + half_w, self.centre[1] + half_h)

    def shows(self, outline: Outline) -> bool:
        west, south, east, north = self.metres()
        left, bottom, right, top = outline.bounds
        return left < east and west < right and bottom < north and south < top

    def path(self, outline: Outline) -> str:
        """The outline as SVG path data in this frame's pixels, tiny steps dropped; worked
        out once per frame and outline (each language's map draws the same land)."""
        key = (self.box, self.scale, self.centre, outline.name)
        if key not in _PATHS:
            _PATHS[key] = self._path(outline)
        return _PATHS[key]

    def _path(self, outline: Outline) -> str:
        parts = []
        for ring in outline.rings:
            kept = [self.px(*ring[0])]
            for point in ring[1:]:
                x, y = self.px(*point)
                if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= MIN_STEP:
                    kept.append((x, y))
            if len(kept) >= 3:
                parts.append("M" + "L".join(f"{num(x)} {num(y)}" for x, y in kept) + "Z")
        return "".join(parts)

    def d3(self) -> dict:
        """The same projection for d3-geo: geoAzimuthalEqualArea().rotate(r).scale(s)
        .translate(t) maps a point to the pixel ``xy`` gives (d3 works on the unit sphere,
        with y downwards)."""
        bx, by, w, h = self.box
        return {"rotate": [-LON0, -LAT0], "scale": round(self.scale * RADIUS, 4),
                "translate": [round(bx + w / 2 - self.centre[0] * self.scale, 4),
                              round(by + h / 2 + self.centre[1] * self.scale, 4)]}
