"""The command line: ``mc2cm-graph VERB ...``.

Each verb is a small module in this package exposing ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``. Verb modules import the library lazily inside ``run`` so that
``--help`` stays fast. The library never imports this package.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from mc2cm_graph import __version__


def _verb_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield info.name.replace("_", "-"), importlib.import_module(f"{__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mc2cm-graph",
        description="Build, validate, query, serve and publish the MC2CM knowledge graph.",
    )
    parser.add_argument("--version", action="version", version=f"mc2cm-graph {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")
    verbs.required = True
    for name, module in _verb_modules():
        sub = verbs.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from mc2cm_graph.graph.errors import Mc2cmError

    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except Mc2cmError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (`... | head`): it has had enough; that is no error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
