"""The two engines that validate (and reason): ``fast``, the store with SHACL compiled to
SPARQL (check/compiled.py) and SPARQL rules; ``reference``, pyshacl and owlrl on rdflib
graphs. Named here once for the library, the build and the command line."""

ENGINES = ("fast", "reference")
DEFAULT_ENGINE = "fast"
