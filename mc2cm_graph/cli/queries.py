"""mc2cm-graph queries"""

HELP = "list the saved queries: name, summary and parameters"


def add_arguments(parser):
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="also print each query's description")


def run(args) -> int:
    from mc2cm_graph.cli._results import write
    from mc2cm_graph.query.saved import load_catalogue

    lines = []
    for query in load_catalogue().values():
        params = ", ".join(p.name + ("" if p.required else "?") for p in query.params)
        lines.append(f"{query.name}  ({params})" if params else query.name)
        lines.append(f"    {query.summary}")
        if args.verbose:
            lines.append(f"    {query.description}")
    lines.append("\nparameters marked ? are optional; "
                 "run one with: mc2cm-graph query NAME --param NAME=VALUE")
    return write("\n".join(lines) + "\n")
