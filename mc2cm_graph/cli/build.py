"""mc2cm-graph build"""

from pathlib import Path

from mc2cm_graph.check.engines import DEFAULT_ENGINE, ENGINES
from mc2cm_graph.cli._args import positive_int
from mc2cm_graph.cli._progress import add_output_arguments
from mc2cm_graph.graph import iris

HELP = "load, validate and export the graph into dist/ (all or nothing)"


def add_arguments(parser):
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder to build from (default: the project's data/)")
    parser.add_argument("--out", type=Path, default=Path("dist"),
                        help="output folder (default: dist/); it must be missing, empty or "
                             "an earlier release")
    parser.add_argument("--force", action="store_true",
                        help="replace --out even if it holds other files (never a file)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="where the folder will be published: the catalogue's download "
                             "URLs and the w3id rules (dist/w3id/) point there (default: "
                             f"{iris.DIST})")
    parser.add_argument("--reason", action="store_true",
                        help="materialise OWL-RL entailments (inverse links, inferred types)")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="fast: embedded pyoxigraph store, SHACL and rules as SPARQL "
                             "(default); reference: rdflib + pyshacl + owlrl (slow, same result)")
    parser.add_argument("--site-max", type=int, default=None, metavar="N",
                        help="write a site page per programme up to N programmes; above, "
                             "the site is an overview (default: 2000; docs/scale.md)")
    parser.add_argument("--ld-max", type=int, default=None, metavar="N",
                        help="write static linked-data files for each programme's resources "
                             "up to N programmes; above, `serve` answers for them (default: "
                             "2000; docs/scale.md)")
    parser.add_argument("--jobs", "-j", type=positive_int, default=None, metavar="N",
                        help="run the exporters in N processes at once (default: one per "
                             "core; 1: one after another in this process)")
    add_output_arguments(parser)


def run(args, stream=None) -> int:
    from mc2cm_graph.cli._progress import run_build
    from mc2cm_graph.export.options import ExportOptions

    return run_build(args, stream, reason=args.reason, engine=args.engine,
                     options=ExportOptions(site_max=args.site_max, ld_max=args.ld_max,
                                           workers=args.jobs))
