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
    from mc2cm_graph.cli._terminal import terminal_safe_streams

    args = build_parser().parse_args(argv)
    with terminal_safe_streams():
        return _run(args)


def _run(args) -> int:
    """Run a verb; every failure ends as `error:` + `how to fix` and an exit code, never a
    traceback. Expected failures that reach here unconverted (network, disk, encoding,
    size limits) are named by ``user_error``; anything else is a bug and says so."""
    from mc2cm_graph.graph.errors import user_error

    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (`... | head`): it has had enough; that is no error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place that turns failures into messages
        error = user_error(exc)
        if error is None:
            return _internal_error(exc)
        _print_error(str(error))
        return error.exit_code


def _print_error(text: str) -> None:
    from mc2cm_graph.cli._terminal import escape_controls

    # Messages may quote remote answers or file contents: never let them drive a terminal,
    # nor a log viewed with `cat` later.
    print(f"error: {escape_controls(text)}", file=sys.stderr)


def _internal_error(exc: BaseException) -> int:
    import os
    import traceback

    if os.environ.get("MC2CM_TRACEBACK"):
        traceback.print_exception(exc, file=sys.stderr)
    _print_error(f"internal error: {type(exc).__name__}: {exc}\n  how to fix: this is a bug in "
                 "mc2cm-graph; please report it with the command you ran "
                 "(MC2CM_TRACEBACK=1 shows the details)")
    return 70
