"""mc2cm-graph publish"""

import os
from pathlib import Path

from mc2cm_graph.cli._args import seconds
from mc2cm_graph.graph import iris

HELP = "replace a graph in a remote triple store with the built graph (Graph Store Protocol PUT)"


def add_arguments(parser):
    parser.add_argument("--store", required=True, metavar="URL",
                        help="the store's Graph Store endpoint, e.g. http://localhost:7878/store "
                             "(Oxigraph) or http://localhost:3030/ds/data (Fuseki)")
    parser.add_argument("--graph", default=None, metavar="IRI",
                        help="named graph to replace (default "
                             f"{iris.ID}graph/mc2cm; 'default' for the "
                             "store's default graph; or ?graph=IRI in the --store URL)")
    parser.add_argument("--user", default=None,
                        help="user name (or env MC2CM_STORE_USER)")
    parser.add_argument("--password", default=None,
                        help="password (prefer env MC2CM_STORE_PASSWORD: options show in ps)")
    parser.add_argument("--timeout", type=seconds, default=60.0, metavar="S",
                        help="give up if the store does not answer within S seconds (default 60)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                        help="folder holding the built mc2cm.ttl (default dist/)")


def run(args) -> int:
    from mc2cm_graph.publish import graph_for, make_target, publish

    target = make_target(args.store, graph_for(args.store, args.graph),
                         user=args.user or os.environ.get("MC2CM_STORE_USER"),
                         password=args.password or os.environ.get("MC2CM_STORE_PASSWORD"))
    result = publish(args.dist / "mc2cm.ttl", target, timeout=args.timeout)
    print(f"published {result.triples} triples into {target.shown_graph()} at "
          f"{target.endpoint} (HTTP {result.status})")
    return 0
