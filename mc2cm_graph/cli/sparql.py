"""mc2cm-graph sparql"""

from mc2cm_graph.cli._results import add_output_arguments, notify, print_result

HELP = "run an ad-hoc SELECT or ASK query from a file (or - for standard input)"


def add_arguments(parser):
    parser.add_argument("file", help="a .rq file, or - to read the query from standard input")
    add_output_arguments(parser)


def run(args) -> int:
    import sys

    from mc2cm_graph.graph.textfile import decode_text, read_text
    from mc2cm_graph.query.run import run_sparql

    if args.file == "-":
        source = "<stdin>"
        raw = getattr(sys.stdin, "buffer", None)  # None when stdin is already text
        text = sys.stdin.read() if raw is None else decode_text(raw.read(), source)
    else:
        source = args.file
        text = read_text(args.file)
    result = run_sparql(text, dist_dir=args.dist, endpoint=args.endpoint, source=source,
                        notify=notify, with_external=args.with_external)
    return print_result(result, args)
