"""Regenerate geo/mediterranean.geojson from Natural Earth (npm package world-atlas).

Run from the repository root: ``python geo/regenerate.py`` (needs npm, node and shapely; the
package itself needs none of them). It installs world-atlas and topojson-client from the npm
registry into a temporary folder, converts the 1:50m country TopoJSON to GeoJSON with
topojson-client's own ``topo2geo``, keeps the countries that touch the Mediterranean region,
clips them to it, simplifies them (topology-preserving, about 1 km) and rounds coordinates
to 3 decimals (about 100 m). The output is written sorted, so the same input gives the same
bytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

WORLD_ATLAS = "world-atlas@2.0.2"
TOPOJSON_CLIENT = "topojson-client@3.1.0"
# West, south, east, north (degrees): the Mediterranean with its southern and eastern shores.
REGION = (-14.0, 18.0, 42.0, 47.0)
TOLERANCE = 0.01  # degrees
OUT = Path(__file__).resolve().parent / "mediterranean.geojson"


def _countries_geojson(folder: Path) -> dict:
    subprocess.run(["npm", "install", "--silent", "--no-save", "--no-audit", "--no-fund",
                    "--prefix", str(folder), WORLD_ATLAS, TOPOJSON_CLIENT], check=True)
    modules = folder / "node_modules"
    out = folder / "countries.geojson"
    with open(modules / "world-atlas" / "countries-50m.json", "rb") as topology:
        subprocess.run([str(modules / ".bin" / "topo2geo"), f"countries={out}"],
                       stdin=topology, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 3), round(coords[1], 3)]
    return [_rounded(c) for c in coords]


def clipped(collection: dict) -> dict:
    from shapely.geometry import box, mapping, shape

    region = box(*REGION)
    features = []
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        if not geometry.intersects(region):
            continue
        part = geometry.intersection(region).simplify(TOLERANCE, preserve_topology=True)
        if part.is_empty or part.area < 1e-4:
            continue
        name = feature["properties"]["name"]
        features.append({"type": "Feature", "id": feature.get("id") or name,
                         "properties": {"name": name},
                         "geometry": {**mapping(part),
                                      "coordinates": _rounded(mapping(part)["coordinates"])}})
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "bbox": list(REGION), "features": features}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        collection = clipped(_countries_geojson(Path(tmp)))
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(collection['features'])} countries, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
