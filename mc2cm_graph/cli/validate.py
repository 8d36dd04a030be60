"""mc2cm-graph validate"""

from pathlib import Path

HELP = "validate the project's data, or your own Turtle files with the ontology and vocabularies"


def add_arguments(parser):
    parser.add_argument("files", nargs="*", type=Path,
                        help="Turtle files to check (default: the project's data/)")


def run(args) -> int:
    from mc2cm_graph.load import load_graph
    from mc2cm_graph.project import load_project
    from mc2cm_graph.validate import validate_graph

    if args.files:
        project = load_project(data_dir=None, extra_files=[])
        project.data = load_graph(args.files)
    else:
        project = load_project()
    report = validate_graph(project.union())
    print(report.text().rstrip())
    return 0 if report.conforms else 1
