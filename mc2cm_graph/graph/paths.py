"""Where the project's resources live: a source checkout or an installed wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _resource_root() -> Path:
    # A wheel carries the resources inside the package; a checkout (or an
    # editable install) keeps them at the repository root, beside the package.
    bundled = PACKAGE_DIR / "_resources"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent


ROOT = _resource_root()
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "mc2cm.ttl"
DATA_DIR = ROOT / "data"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
QC_DIR = ROOT / "qc"
VOCAB_DIR = ROOT / "vocab"
GEO_DIR = ROOT / "geo"
SDG_KOS_FILE = VOCAB_DIR / "un-sdg-kos" / "sdg-kos-goals-targets-indicators.ttl"
SDG_EXTRA_LABELS_FILE = VOCAB_DIR / "sdg-labels-ar-ru-zh.ttl"
DCAT_AP_DIR = VOCAB_DIR / "dcat-ap"
DEFAULT_DIST_DIR = Path("dist")
# What a build reads: never an output folder, not even with --force.
PROJECT_INPUT_DIRS = (DATA_DIR, ONTOLOGY_DIR, SHAPES_DIR, QUERIES_DIR, QC_DIR, VOCAB_DIR,
                      GEO_DIR)

# The external (non-brochure) facts sit in their own file and named graph.
EXTERNAL_FACTS_FILE_NAME = "external-facts.ttl"


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every Turtle file of a data folder, sorted so builds are deterministic."""
    return sorted(p for p in Path(data_dir).rglob("*.ttl") if p.is_file())


def vocabulary_files() -> list[Path]:
    """The vendored vocabularies the data links to (UN SDG KOS and extra labels)."""
    return [SDG_KOS_FILE, SDG_EXTRA_LABELS_FILE]
