"""Options and printing shared by the `query` and `sparql` verbs."""

import sys
from pathlib import Path


def add_output_arguments(parser):
    from_formats = ("table", "csv", "tsv", "json", "md", "xlsx")
    parser.add_argument("--format", "-f", choices=from_formats, default="table",
                        help="output format (default: table)")
    parser.add_argument("--endpoint", metavar="URL",
                        help="run on this SPARQL 1.1 endpoint instead of the local dist/ graph")
    parser.add_argument("--dist", type=Path, default=None, metavar="DIR",
                        help="built graph folder to query (default: dist/; built if missing)")
    parser.add_argument("--width", type=int, default=60, metavar="N",
                        help="table format: cut cells to N columns (0: never cut; default 60)")
    parser.add_argument("--bom", action="store_true",
                        help="csv and tsv: start with a byte-order mark (Excel then reads "
                        "the Arabic as UTF-8)")
    parser.add_argument("--with-external", action="store_true",
                        help="also load the facts from outside the brochure "
                        "(dist/mc2cm-external.trig), each source in its own named graph")


def notify(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def ensure_local_release(args) -> None:
    """Build the release first when a verb queries the local one and it is missing."""
    if not args.endpoint:
        from mc2cm_graph.build import ensure_built

        ensure_built(args.dist, notify)


def print_result(result, args) -> int:
    from mc2cm_graph.query.format import BINARY_FORMATS, format_bytes, format_result

    if args.format in BINARY_FORMATS or args.bom:
        if args.format in BINARY_FORMATS and sys.stdout.isatty():
            from mc2cm_graph.graph.errors import Mc2cmError

            raise Mc2cmError(f"--format {args.format} writes a binary file",
                             hint=f"redirect it into a file: ... > results.{args.format}")
        data = format_bytes(result, args.format, max_width=args.width, bom=args.bom)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    return write(format_result(result, args.format, max_width=args.width))


def write(text: str) -> int:
    """Print the whole text (a closed pipe is handled once, in the CLI's main)."""
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
