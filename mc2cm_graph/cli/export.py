"""mc2cm-graph export"""

from pathlib import Path

from mc2cm_graph.cli._progress import add_output_arguments
from mc2cm_graph.graph import iris

HELP = ("write the open-data release into a folder: Turtle, N-Triples, JSON-LD, "
        "DCAT-AP catalogue and the documentation site (all or nothing)")


def add_arguments(parser):
    parser.add_argument("--out", type=Path, default=Path("dist"),
                        help="output folder (default: dist/); it must be missing, empty or "
                             "an earlier release")
    parser.add_argument("--force", action="store_true",
                        help="replace --out even if it holds other files (never a file)")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder to export (default: the project's data/)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="where the folder will be published; the catalogue's download "
                             f"URLs start with it (default: {iris.DIST})")
    add_output_arguments(parser)


def run(args, stream=None) -> int:
    from mc2cm_graph.cli._progress import run_build

    return run_build(args, stream)
