"""mc2cm-graph validate"""

from pathlib import Path

from mc2cm_graph.check.engines import DEFAULT_ENGINE, ENGINES

HELP = ("check the project's data, or your own Turtle files with the ontology, vocabularies and "
        "reference data, against the SHACL shapes and the QC rules (exit 1 on violations)")


def add_arguments(parser):
    parser.add_argument("files", nargs="*", type=Path,
                        help="Turtle files to check (default: the project's data/)")
    parser.add_argument("--data", type=Path, default=None,
                        help="data folder to check instead of data/ (also the reference data "
                             "that FILES are checked with)")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="fast: the store, as build uses it (default); reference: "
                             "pyshacl (slow, same report)")


def run(args) -> int:
    from mc2cm_graph.check.run import validate_files, validate_project
    from mc2cm_graph.graph import paths

    if args.files:
        report = validate_files(args.files, args.data or paths.DATA_DIR, engine=args.engine)
    else:
        report = validate_project(args.data, engine=args.engine)
    print(report.text().rstrip())
    return 0 if report.conforms else 1
