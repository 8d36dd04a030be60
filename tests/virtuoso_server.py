"""Starting Virtuoso Open Source 7 (Debian's `virtuoso-opensource-7-bin`) on 127.0.0.1 for a
test or a benchmark, and stopping it after: a throwaway database folder, the recipe's own
deploy/virtuoso/virtuoso.ini with free ports, and deploy/virtuoso/setup.sql run through isql
(the publishing user, a new dba password), as docs/server.md tells a user to do."""

from __future__ import annotations

import configparser
import contextlib
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.oxigraph_server import free_port, stop_process, wait_for_port

RECIPE = Path(__file__).resolve().parents[1] / "deploy" / "virtuoso"
PUBLISHER = "mc2cm_publisher"
START_SECONDS = 60


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def isql_binary() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql")


def missing_reason() -> str | None:
    """Why Virtuoso cannot run here (for pytest's skip), or None."""
    if virtuoso_binary() is None or isql_binary() is None:
        return ("Virtuoso not installed (virtuoso-t and isql-vt: Debian package "
                "virtuoso-opensource-7-bin, which .ci/run installs)")
    return None


@dataclass(frozen=True)
class Virtuoso:
    http: str  # http://127.0.0.1:PORT
    sql_port: int
    publisher_password: str
    dba_password: str
    folder: Path
    pid: int

    @property
    def sparql(self) -> str:
        return f"{self.http}/sparql"

    @property
    def store(self) -> str:
        return f"{self.http}/sparql-graph-crud-auth"

    def isql(self, *statements: str, timeout: float = 120) -> str:
        return run_isql(self.sql_port, self.dba_password, "exec=" + " ".join(statements),
                        timeout=timeout)


def write_ini(folder: Path, sql_port: int, http_port: int,
              settings: dict[tuple[str, str], str] | None = None) -> Path:
    """The recipe's ini with the ports (and any ``(section, key): value`` of ``settings``)
    changed; comments are not kept."""
    ini = configparser.ConfigParser(inline_comment_prefixes=None, interpolation=None)
    ini.optionxform = str  # Virtuoso's keys are case-sensitive in our copy too
    ini.read(RECIPE / "virtuoso.ini", encoding="utf-8")
    ini["Parameters"]["ServerPort"] = f"127.0.0.1:{sql_port}"
    ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{http_port}"
    for (section, key), value in (settings or {}).items():
        ini[section][key] = value
    path = folder / "virtuoso.ini"
    with path.open("w", encoding="utf-8") as out:
        ini.write(out)
    return path


def run_isql(port: int, password: str, *arguments: str, timeout: float = 120) -> str:
    done = subprocess.run([isql_binary(), str(port), "dba", password, *arguments],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def wait_for_sparql(url: str, process: subprocess.Popen, seconds: float) -> None:
    """The HTTP port opens before the SPARQL endpoint is set up: wait for an answer."""
    ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with code {process.returncode}")
        with contextlib.suppress(OSError, urllib.error.URLError), \
                urllib.request.urlopen(ask, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"Virtuoso's SPARQL endpoint did not answer within {seconds} s")


@contextlib.contextmanager
def running_virtuoso(folder: Path, settings: dict[tuple[str, str], str] | None = None
                     ) -> Iterator[Virtuoso]:
    """Start Virtuoso with its database in ``folder`` (new), set it up with setup.sql, and
    yield it; stop it afterwards. Raises RuntimeError (with the log) if it cannot start."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = write_ini(folder, sql_port, http_port, settings)
    process = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(ini)],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            wait_for_port(sql_port, START_SECONDS, process)
            wait_for_sparql(f"http://127.0.0.1:{http_port}/sparql", process, START_SECONDS)
        except RuntimeError as err:
            log = folder / "virtuoso.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
            raise RuntimeError(f"{err}\n{tail}") from None
        publisher, dba = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        run_isql(sql_port, "dba", str(RECIPE / "setup.sql"), "-i", publisher, dba)
        yield Virtuoso(f"http://127.0.0.1:{http_port}", sql_port, publisher, dba, folder,
                       process.pid)
    finally:
        stop_process(process, grace=30)
