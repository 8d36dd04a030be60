"""Starting a real `oxigraph` server (from the `oxigraph` PyPI package) on 127.0.0.1 for a
test, and stopping it after: one helper for every test that needs a real store."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def oxigraph_binary() -> str | None:
    """The server binary beside this Python (its venv), else on PATH, else None."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20, process=None) -> None:
    """Return once something listens on the port; fail early if ``process`` has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on port {port} after {seconds} s")


def stop_process(process: subprocess.Popen, grace: float) -> None:
    """Ask a server process to end (SIGTERM), give it ``grace`` seconds to write its store
    and exit, then kill it."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextlib.contextmanager
def running_oxigraph(*arguments) -> Iterator[str]:
    """Run ``oxigraph ARGUMENTS --bind 127.0.0.1:PORT`` (e.g. ``serve`` or
    ``serve-read-only --location DIR``); yield its base URL; stop it afterwards."""
    with oxigraph_process(*arguments) as (url, _process):
        yield url


@contextlib.contextmanager
def oxigraph_process(*arguments) -> Iterator[tuple[str, subprocess.Popen]]:
    """As running_oxigraph, yielding the process too (its memory, for the benchmark)."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("oxigraph server binary not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen([binary, *map(str, arguments), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.kill()
        process.wait(10)


def load_into(location: Path, release: Path) -> None:
    """Bulk-load a Turtle file into an on-disk Oxigraph store folder."""
    subprocess.run([oxigraph_binary(), "load", "--location", str(location),
                    "--file", str(release)], check=True, capture_output=True)
