"""mc2cm-graph serve"""

import math
from pathlib import Path

from mc2cm_graph.cli._limits import add_limit_arguments, limits_from
from mc2cm_graph.query.budget import QueryLimits

HELP = "serve the built graph read-only: SPARQL endpoint, query page, resource pages, API"


def add_arguments(parser):
    parser.add_argument("--with-external", action="store_true",
                        help="also serve the facts from outside the brochure "
                        "(dist/mc2cm-external.trig), each source in its own named graph")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000,
                        help="port (default 8000; 0 picks a free one and prints it)")
    add_limit_arguments(parser)
    parser.add_argument("--max-results", type=int, default=QueryLimits.max_results,
                        metavar="N", help="refuse results of more than N rows or triples "
                                          "(default %(default)s)")
    parser.add_argument("--max-bytes", type=int, default=QueryLimits().max_mb, metavar="MB",
                        help="refuse answers larger than MB megabytes (default %(default)s)")
    parser.add_argument("--workers", type=int, default=4, metavar="N",
                        help="worker processes for expensive queries (default 4; two more "
                             "answer pages, the API and cheap queries)")
    parser.add_argument("--per-client", type=int, default=2, metavar="N",
                        help="expensive queries one client address may run at once "
                             "(default 2)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                        help="folder holding the built mc2cm.ttl (default dist/)")
    parser.add_argument("--queries", type=Path, default=None, metavar="DIR",
                        help="saved queries (*.rq) to offer at /api/ (default: the project's)")
    parser.add_argument("--write-timeout", type=float, default=30.0, metavar="S",
                        help="cut off a client that takes none of its answer for S seconds "
                             "(default 30)")
    parser.add_argument("--accept-no-network-wall", action="store_true",
                        help="serve even where query workers cannot be cut off from the "
                             "network (no seccomp): the query guard alone then keeps SERVICE "
                             "and FROM from reaching other servers")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def check_arguments(args) -> None:
    """Mc2cmError naming the option and what to give instead."""
    from mc2cm_graph.graph.errors import Mc2cmError

    for name in ("timeout", "write_timeout"):
        value = getattr(args, name)
        if not (math.isfinite(value) and value > 0):
            raise Mc2cmError(f"--{name.replace('_', '-')} {value}: must be positive and "
                             "finite (seconds)")
    for name in ("max_results", "max_bytes", "query_memory", "workers", "per_client"):
        if getattr(args, name) < 1:
            raise Mc2cmError(f"--{name.replace('_', '-')} {getattr(args, name)}: must be "
                             "positive")
    if not 0 <= args.port <= 65535:
        raise Mc2cmError(f"--port {args.port}: must be between 0 and 65535 (0 picks a "
                         "free one)")
    if args.dist.exists() and not args.dist.is_dir():
        raise Mc2cmError(f"--dist {args.dist}: not a folder",
                         hint="give the folder `mc2cm-graph build` wrote (default dist/)")
    if args.dist != Path("dist") and not (args.dist / "mc2cm.ttl").is_file():
        raise Mc2cmError(f"--dist {args.dist}: no built graph there ({args.dist}/mc2cm.ttl "
                         "not found)", hint=f"run `mc2cm-graph build --out {args.dist}` "
                                            "first, or leave --dist out to use dist/")
    if args.queries is not None and not args.queries.is_dir():
        raise Mc2cmError(f"--queries {args.queries}: no such folder",
                         hint="give a folder of saved queries (*.rq), or leave --queries "
                              "out for the project's")
    if args.queries is not None and not any(args.queries.glob("*.rq")):
        raise Mc2cmError(f"--queries {args.queries}: no saved queries (*.rq) in it",
                         hint="give a folder of .rq files, or leave --queries out")


def run(args) -> int:
    from mc2cm_graph.serve.runner import serve
    from mc2cm_graph.serve.settings import Settings

    check_arguments(args)
    if args.dist == Path("dist"):
        from mc2cm_graph.build import ensure_built

        ensure_built(args.dist, notify=lambda message: print(message, flush=True))
    serve(Settings(dist_dir=args.dist, host=args.host, port=args.port,
                   limits=limits_from(args), workers=args.workers, per_client=args.per_client,
                   queries_dir=args.queries,
                   accept_no_network_wall=args.accept_no_network_wall,
                   write_seconds=args.write_timeout, with_external=args.with_external),
          quiet=args.quiet)
    return 0
