"""mc2cm-graph query"""

from mc2cm_graph.cli._results import add_output_arguments, print_result

HELP = "run a saved query (see `mc2cm-graph queries`) over the built graph or an endpoint"


def add_arguments(parser):
    parser.add_argument("name", help="the query's name, e.g. programmes-by-target")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter value, e.g. --param target=10.7 (repeatable)")
    parser.add_argument("--lang", choices=("ar", "en", "fr"), default=None,
                        help="language of the labels (default: en, falling back to others)")
    add_output_arguments(parser)


def run(args) -> int:
    from mc2cm_graph.cli._results import ensure_local_release
    from mc2cm_graph.query.run import parse_assignments, run_query

    ensure_local_release(args)
    result = run_query(args.name, parse_assignments(args.param), lang=args.lang,
                       dist_dir=args.dist, endpoint=args.endpoint,
                       with_external=args.with_external)
    return print_result(result, args)
