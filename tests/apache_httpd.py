"""Debian's Apache httpd for the tests: a minimal configuration written into a folder of
the test's, two virtual hosts on free ports of 127.0.0.1, stopped afterwards.

One host reads ``.htaccess`` files (AllowOverride All, as w3id.org runs), the other
serves a folder as a static host with the media types of the release's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

MODULES_DIR = Path("/usr/lib/apache2/modules")
MODULES = ("mpm_event", "authz_core", "rewrite", "mime", "headers", "dir")
START_SECONDS = 20
# The static host's media types (docs/export.md, "Publishing on the web").
STATIC_TYPES = """\
  AddType text/turtle .ttl
  AddType application/ld+json .jsonld
  AddType application/n-triples .nt
  AddType application/trig .trig
  AddType application/geo+json .geojson
  AddType text/html .html
  AddCharset utf-8 .ttl .html
"""


def apache_binary() -> str | None:
    """The httpd binary with the modules the tests load, or None."""
    binary = shutil.which("apache2") or (
        "/usr/sbin/apache2" if Path("/usr/sbin/apache2").is_file() else None)
    if binary is None or not all((MODULES_DIR / f"mod_{m}.so").is_file() for m in MODULES):
        return None
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configuration(run_dir: Path, rules_root: Path, rules_port: int, static_root: Path,
                  static_port: int) -> str:
    modules = "\n".join(f"LoadModule {m}_module {MODULES_DIR}/mod_{m}.so" for m in MODULES)
    # Run as root (CI), httpd switches to an unprivileged user: the folders are made
    # world-readable for it by the caller.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    return f"""\
ServerRoot "{run_dir}"
ServerName 127.0.0.1
PidFile "{run_dir}/httpd.pid"
ErrorLog "{run_dir}/error.log"
DefaultRuntimeDir "{run_dir}"
Mutex file:{run_dir} default
LogLevel warn
TypesConfig /dev/null
{modules}
{user}Listen 127.0.0.1:{rules_port}
Listen 127.0.0.1:{static_port}
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<VirtualHost 127.0.0.1:{rules_port}>
  DocumentRoot "{rules_root}"
  <Directory "{rules_root}">
    AllowOverride All
    Require all granted
  </Directory>
</VirtualHost>
<VirtualHost 127.0.0.1:{static_port}>
  DocumentRoot "{static_root}"
  <Directory "{static_root}">
    Require all granted
  </Directory>
{STATIC_TYPES}</VirtualHost>
"""


def _wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"httpd exited: {log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("httpd did not start in time")


@contextlib.contextmanager
def running_apache(binary: str, run_dir: Path, rules_root: Path, rules_port: int,
                   static_root: Path, static_port: int):
    """httpd in the foreground with that configuration; stopped (SIGTERM, then kill)."""
    conf = run_dir / "httpd.conf"
    conf.write_text(configuration(run_dir, rules_root, rules_port, static_root, static_port))
    check = subprocess.run([binary, "-t", "-f", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"httpd refused the configuration: {check.stderr}")
    process = subprocess.Popen([binary, "-f", str(conf), "-DFOREGROUND"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(rules_port, process, run_dir / "error.log")
        _wait_for(static_port, process, run_dir / "error.log")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
