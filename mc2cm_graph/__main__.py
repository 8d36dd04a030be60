import sys

from mc2cm_graph.cli import main

sys.exit(main())
