"""mc2cm-graph sparql"""

from mc2cm_graph.cli._limits import add_limit_arguments, limits_from
from mc2cm_graph.cli._results import add_output_arguments, print_result

HELP = "run an ad-hoc SELECT or ASK query from a file (or - for standard input)"


def add_arguments(parser):
    parser.add_argument("file", help="a .rq file, or - to read the query from standard input")
    add_output_arguments(parser)
    add_limit_arguments(parser, scope="local graph: ", default_note=", as the server")
    parser.add_argument("--no-limits", action="store_true",
                        help="local graph: run without a time or memory limit")


def run(args) -> int:
    import math
    import sys

    from mc2cm_graph.cli._results import ensure_local_release
    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.graph.textfile import decode_text, read_text
    from mc2cm_graph.query.run import run_sparql

    if not (math.isfinite(args.timeout) and args.timeout > 0) or args.query_memory < 1:
        raise Mc2cmError("--timeout and --query-memory must be positive",
                         hint="e.g. --timeout 30 --query-memory 256, or --no-limits")
    if args.file == "-":
        source = "<stdin>"
        raw = getattr(sys.stdin, "buffer", None)  # None when stdin is already text
        text = sys.stdin.read() if raw is None else decode_text(raw.read(), source)
    else:
        source = args.file
        text = read_text(args.file)
    ensure_local_release(args)
    limits = None if args.no_limits else limits_from(args)
    result = run_sparql(text, dist_dir=args.dist, endpoint=args.endpoint, source=source,
                        limits=limits, with_external=args.with_external)
    return print_result(result, args)
