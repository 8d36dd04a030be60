"""The query limits options (``serve``, ``sparql``): their defaults are QueryLimits's."""

from mc2cm_graph.query.budget import MIB, QueryLimits


def add_limit_arguments(parser, scope: str = "", default_note: str = "") -> None:
    """--timeout and --query-memory, as ``serve`` and ``sparql`` both take them."""
    parser.add_argument("--timeout", type=float, default=QueryLimits.timeout, metavar="S",
                        help=f"{scope}stop a query after S seconds (default %(default)g"
                             f"{default_note})")
    parser.add_argument("--query-memory", type=int, default=QueryLimits().memory_mb,
                        metavar="MB", help=f"{scope}memory a query worker may use beyond the "
                                           f"graph (default %(default)s{default_note})")


def limits_from(args) -> QueryLimits:
    """The QueryLimits the options give (``--max-results`` and ``--max-bytes`` where the
    command has them)."""
    defaults = QueryLimits()
    max_mb = getattr(args, "max_bytes", None)
    return QueryLimits(timeout=args.timeout,
                       max_results=getattr(args, "max_results", defaults.max_results),
                       max_bytes=defaults.max_bytes if max_mb is None else max_mb * MIB,
                       memory_budget=args.query_memory * MIB)
