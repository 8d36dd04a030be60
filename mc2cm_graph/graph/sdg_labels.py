"""Arabic, Russian and Chinese SDG goal and target titles, from open-sdg's YAML files.

The UN SDG KOS snapshot we vendor has en/fr/es only. ``generate()`` turns the open-sdg
translation files into ``vocab/sdg-labels-ar-ru-zh.ttl``; a test checks the committed file
equals a fresh generation. Regenerate with ``python -m mc2cm_graph.graph.sdg_labels``.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from mc2cm_graph.graph import paths
from mc2cm_graph.graph.namespaces import ID, SDG, bind_prefixes
from mc2cm_graph.graph.serialize import turtle_bytes

TRANSLATIONS_DIR = paths.VOCAB_DIR / "open-sdg-translations"
# Language tags in lower case: pyoxigraph normalises them so, and BCP 47 ignores case.
LANGUAGES = {"ar": "ar", "ru": "ru", "zh-Hans": "zh-hans"}
LABELS_DATASET = ID["dataset/sdg-labels-ar-ru-zh"]
SOURCE_REPOSITORY = URIRef("https://github.com/open-sdg/sdg-translations")

# Filled in by an anonymous Weblate contributor in 2021, not imported from a UN source.
UNOFFICIAL_ARABIC_TARGETS = ("8.10", "16.1", "17.1")
UNOFFICIAL_NOTE = (
    "The Arabic title of this target was added to open-sdg/sdg-translations in 2021 by an "
    "anonymous contributor (commit e07e6c3b); treat it as unofficial."
)

_TATWEEL = "\u0640"
# Mends of PDF-extraction damage in open-sdg's Arabic strings (recorded in vocab/SOURCE-sdg.md).
_ARABIC_MENDS = {"سِ نداي": "سِنداي"}
_TITLE_KEY = re.compile(r"^(\d+)(?:-([0-9a-z]+))?-title$")


def mend_arabic(text: str) -> str:
    text = text.replace(_TATWEEL, "")
    for broken, mended in _ARABIC_MENDS.items():
        text = text.replace(broken, mended)
    return " ".join(text.split())


def concept_for_key(key: str) -> URIRef | None:
    """``10-7-title`` → sdg:10.7, ``10-title`` → sdg:10; other keys → None."""
    match = _TITLE_KEY.match(key)
    if not match:
        return None
    goal, target = match.groups()
    return SDG[f"{goal}.{target}"] if target else SDG[goal]


def _titles(language_dir: Path) -> dict[str, str]:
    import yaml

    titles: dict[str, str] = {}
    for name in ("global_goals.yml", "global_targets.yml"):
        with open(language_dir / name, encoding="utf-8") as f:
            titles.update(yaml.safe_load(f))
    return titles


def generate(translations_dir: Path = TRANSLATIONS_DIR) -> Graph:
    graph = bind_prefixes(Graph())
    graph.add((LABELS_DATASET, RDF.type, PROV.Entity))
    graph.add((LABELS_DATASET, RDFS.label,
               Literal("SDG goal and target titles in Arabic, Russian and Chinese", lang="en")))
    graph.add((LABELS_DATASET, DCTERMS.source, SOURCE_REPOSITORY))
    graph.add((LABELS_DATASET, DCTERMS.license, URIRef("https://opensource.org/license/mit")))
    graph.add((LABELS_DATASET, RDFS.comment, Literal(
        "Titles from open-sdg/sdg-translations commit 0cda585851a5c6f04040a9a2755fbb4496c4eead "
        "(MIT licence, Copyright (c) 2019 Open SDG). Arabic strings had tatweel removed and "
        "one broken word mended; see vocab/SOURCE-sdg.md.", lang="en")))
    for folder, tag in LANGUAGES.items():
        for key, title in sorted(_titles(translations_dir / folder).items()):
            concept = concept_for_key(key)
            if concept is None or not title:
                continue
            text = mend_arabic(title) if tag == "ar" else " ".join(str(title).split())
            graph.add((concept, SKOS.prefLabel, Literal(text, lang=tag)))
    for notation in UNOFFICIAL_ARABIC_TARGETS:
        graph.add((SDG[notation], SKOS.editorialNote, Literal(UNOFFICIAL_NOTE, lang="en")))
    return graph


def main() -> None:
    paths.SDG_EXTRA_LABELS_FILE.write_bytes(turtle_bytes(generate()))
    print(f"wrote {paths.SDG_EXTRA_LABELS_FILE}")


if __name__ == "__main__":
    main()
