"""Writes explore-mc2cm.ipynb (unexecuted) from the cells below: the notebook's source of
truth is this script, so a diff shows the cells, not JSON. Run from anywhere:
    python docs/notebooks/make_notebook.py
The tests execute the notebook (tests/docs/test_notebook.py)."""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    ("md", """# Exploring the MC2CM Targeted City Actions

The knowledge graph of the 15 action programmes that the Mediterranean City-to-City
Migration project (MC2CM) describes in its Arabic brochure: cities, activities, results,
the MC2CM recommendation themes and the UN SDG targets they serve.

The Arabic texts are the brochure's own; English and French are the project's
translations. `mc2cm_graph.load()` gives the release: read from `dist/` when it is
current, else built (and validated) in memory."""),
    ("code", """import mc2cm_graph as mc

release = mc.load()
release"""),
    ("md", """## The programmes

`release.query(name, **parameters)` runs a saved query (`mc2cm-graph queries` lists
them; so does `release.queries()`) and answers a `Table`: rows of Python values,
`.to_pandas()`, `.to_csv()`."""),
    ("code", """[q.name for q in release.queries()][:8]"""),
    ("code", """programmes = release.query("programmes").to_pandas()
programmes[["position", "title", "places"]]"""),
    ("md", """## SDG targets × MC2CM themes

Each cell counts the programmes that address the theme and serve at least one target of
the goal."""),
    ("code", """matrix = release.query("theme-goal-matrix").to_pandas().set_index("theme")
matrix.loc[:, (matrix != 0).any()]"""),
    ("md", """## Which SDG goals do the programmes serve?"""),
    ("code", """import matplotlib.pyplot as plt  # the kernel shows figures inline

goals = release.query("goal-coverage").to_pandas()
counts = goals.set_index("goalNumber")["programmes"].sort_values()
ax = counts.plot.barh(figsize=(6, 3), color="#2b6cb0", title="Programmes per SDG goal")
ax.set_xlabel("programmes")
plt.tight_layout()"""),
    ("md", """## Where they take place

`places.geojson` (RFC 7946) holds the places with their programmes; here drawn over the
Natural Earth outlines the site's maps use."""),
    ("code", """import json

from mc2cm_graph.build import ensure_built
from mc2cm_graph.graph import paths

dist = ensure_built().parent  # builds dist/ once if it is missing
places = json.loads((dist / "places.geojson").read_text(encoding="utf-8"))
outlines = json.loads((paths.GEO_DIR / "mediterranean.geojson").read_text(encoding="utf-8"))

fig, ax = plt.subplots(figsize=(7, 4))
for feature in outlines["features"]:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [
        geometry["coordinates"]]
    for polygon in polygons:
        xs, ys = zip(*polygon[0], strict=True)
        ax.fill(xs, ys, color="#eeeeee", edgecolor="#999999", linewidth=0.4)
for feature in places["features"]:
    lon, lat = feature["geometry"]["coordinates"]
    ax.plot(lon, lat, "o", color="#c53030")
    name = feature["properties"]["name"]  # {"ar": …, "en": …, "fr": …}
    ax.annotate(name["en"], (lon, lat), fontsize=7, xytext=(3, 3), textcoords="offset points")
ax.set_xlim(-10, 40)
ax.set_ylim(28, 46)
ax.set_aspect("equal")
len(places["features"])"""),
    ("md", """## Asking in Arabic

Parameters take Arabic as the brochure writes it, with or without harakat, and
Arabic-Indic digits (١٠.٧ is 10.7)."""),
    ("code", """release.query("programmes-by-place", place="عمان", lang="ar").to_pandas()"""),
    ("code", """release.query("programmes-by-target", target="١٠.٧", lang="ar").to_pandas()[
    ["position", "title"]]"""),
    ("md", """## Any SPARQL

`release.sparql(text)` answers a `Table` for SELECT, a `bool` for ASK and an rdflib
`Graph` for CONSTRUCT; `release.graph` is rdflib over the same store."""),
    ("code", """release.sparql('''
PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
SELECT (COUNT(?activity) AS ?activities) (COUNT(DISTINCT ?programme) AS ?programmes)
WHERE { ?programme mc2cm:hasActivity ?activity }
''').to_pandas()"""),
    ("md", """## A join with outside data: the UN's SDG indicators

The UN SDG vocabulary (vendored in `vocab/un-sdg-kos/`, UN licence in its SOURCE file)
lists the indicators of each target; the release keeps goals and targets only. A pandas
join gives, per programme, the indicators that could measure it."""),
    ("code", """import pandas as pd
import rdflib

kos = rdflib.Graph().parse(paths.SDG_KOS_FILE)
indicators = kos.query('''
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
SELECT ?target ?indicator ?code WHERE {
  ?indicator a sdgo:Indicator ; skos:broader ?target ; skos:notation ?code .
  FILTER(DATATYPE(?code) = sdgo:SDGCodeCompact)
}''')
indicators = pd.DataFrame([{k: str(v) for k, v in row.asdict().items()} for row in indicators])
links = release.sparql('''
PREFIX mc2cm: <https://w3id.org/mc2cm/ontology#>
SELECT ?programme ?target WHERE { ?programme mc2cm:contributesToTarget ?target }''').to_pandas()
joined = links.merge(indicators, on="target")
joined.groupby("programme")["code"].agg(lambda codes: ", ".join(sorted(set(codes)))).to_frame(
    "indicators")"""),
    ("md", """## Moving to a server

The same calls work on any SPARQL 1.1 endpoint, for example an Oxigraph server or
Virtuoso holding the release (docs/server.md):

```python
remote = mc.connect("http://127.0.0.1:7878/query")
remote.query("programmes-by-target", target="10.7").to_pandas()
```"""),
]


def notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell(text) if kind == "md" else new_code_cell(text)
             for kind, text in CELLS]
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})


if __name__ == "__main__":
    target = Path(__file__).with_name("explore-mc2cm.ipynb")
    nbformat.write(notebook(), target)
    print(target)
