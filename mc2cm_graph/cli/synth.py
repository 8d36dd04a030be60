"""mc2cm-graph synth"""

from pathlib import Path

HELP = "write a data folder of synthetic programmes (for benchmarks and scale tests)"


def add_arguments(parser):
    parser.add_argument("--programmes", type=int, required=True, help="how many programmes")
    parser.add_argument("--out", type=Path, required=True, help="data folder to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--violations", type=int, default=0,
                        help="break this many programmes on purpose; they are listed in "
                             "OUT/violations.json")


def run(args) -> int:
    from mc2cm_graph.graph.synth import synthesise

    files = synthesise(args.out, args.programmes, seed=args.seed, violations=args.violations)
    print(f"wrote {len(files)} files into {args.out} "
          f"({args.programmes} programmes, {args.violations} broken on purpose)")
    return 0
