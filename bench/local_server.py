"""What the endpoint benchmarks share: a `serve` process of this checkout on a free
loopback port, and the memory it and its query workers hold."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_server(extra: list[str]) -> tuple[subprocess.Popen, str]:
    """Start `mc2cm-graph serve --port 0 EXTRA…`; return the process and its base URL
    once it has printed its SPARQL endpoint (it is then answering)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mc2cm_graph", "serve", "--port", "0", "--quiet", *extra],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        text=True)
    url = ""
    for line in process.stdout:
        if " serving " in line:
            url = line[line.index("http://"):].strip().rstrip("/")
        if "SPARQL endpoint" in line:
            return process, url
    raise SystemExit("the server did not start")


def rss_bytes(pid: int, with_children: bool = False) -> int:
    """Resident memory of ``pid`` and, if asked, of its children (the query workers)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if with_children and children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass  # a worker that ended between the listing and the read
    return total
