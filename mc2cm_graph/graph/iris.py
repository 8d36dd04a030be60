"""Where every IRI of ours starts, spelled once (a public contract: keep it stable).

Plain strings, so that modules that never load rdflib can use them too;
graph/namespaces.py builds the rdflib namespaces on them. The ontology and data files
(Turtle) spell the same IRIs; tests check that they agree.
"""

BASE = "https://w3id.org/mc2cm/"
ONTOLOGY = BASE + "ontology"  # the ontology itself
ONTOLOGY_NS = ONTOLOGY + "#"  # its classes and properties (prefix mc2cm:)
ID = BASE + "id/"  # our resources: programmes, cities, themes, ...
SHAPES_NS = BASE + "shapes#"  # the SHACL shapes (prefix mc2cms:)
DIST = BASE + "dist/"  # where the release is published by default
