"""mc2cm-graph sparql"""

from mc2cm_graph.cli._results import add_output_arguments, notify, print_result

HELP = "run an ad-hoc SELECT or ASK query from a file (or - for standard input)"


def add_arguments(parser):
    parser.add_argument("file", help="a .rq file, or - to read the query from standard input")
    add_output_arguments(parser)


def run(args) -> int:
    import sys
    from pathlib import Path

    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.query.run import run_sparql

    if args.file == "-":
        text, source = sys.stdin.read(), "<stdin>"
    else:
        path = Path(args.file)
        if not path.is_file():
            raise Mc2cmError("query file not found", file=path, hint="check the path")
        text, source = path.read_text(encoding="utf-8"), str(path)
    result = run_sparql(text, dist_dir=args.dist, endpoint=args.endpoint, source=source,
                        notify=notify)
    return print_result(result, args)
