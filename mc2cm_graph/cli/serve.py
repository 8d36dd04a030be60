"""mc2cm-graph serve"""

from pathlib import Path

from mc2cm_graph.cli._args import port, positive_int, seconds

HELP = "serve the built graph read-only: SPARQL endpoint, query page, resource pages, API"


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=port, default=8000,
                        help="port (default 8000; 0 picks a free one and prints it)")
    parser.add_argument("--timeout", type=seconds, default=10.0, metavar="S",
                        help="stop a query after S seconds (default 10)")
    parser.add_argument("--max-results", type=positive_int, default=10_000, metavar="N",
                        help="refuse results of more than N rows or triples (default 10000)")
    parser.add_argument("--workers", type=positive_int, default=4, metavar="N",
                        help="query worker processes (default 4)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                        help="folder holding the built mc2cm.ttl (default dist/)")
    parser.add_argument("--queries", type=Path, default=None, metavar="DIR",
                        help="saved queries (*.rq) to offer at /api/ (default: the project's)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def run(args) -> int:
    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.serve.app import Settings, serve

    if args.timeout <= 0 or args.max_results < 1 or args.workers < 1:
        raise Mc2cmError("--timeout, --max-results and --workers must be positive")
    serve(Settings(dist_dir=args.dist, host=args.host, port=args.port, timeout=args.timeout,
                   max_results=args.max_results, workers=args.workers,
                   queries_dir=args.queries), quiet=args.quiet)
    return 0
