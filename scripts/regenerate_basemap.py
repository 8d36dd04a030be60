"""Regenerate the server's base map, mc2cm_graph/serve/web/basemap.svg, from geo/ (the
vendored Natural Earth outlines), projected as the site's maps are.

Run it after changing geo/ or the projection: ``python scripts/regenerate_basemap.py``.
No build or export writes into the package; tests/export/test_maps.py checks the file is
what this writes.
"""

import sys

from mc2cm_graph.export.site.maps import query_basemap_svg
from mc2cm_graph.serve.app import WEB_DIR

BASEMAP_FILE = WEB_DIR / "basemap.svg"


def main() -> int:
    BASEMAP_FILE.write_bytes(query_basemap_svg())
    print(f"wrote {BASEMAP_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
