"""`mc2cm-graph serve` / `publish` on the command line: what they say when they start, and
their answers to bad options."""

import socket

import pytest

from tests.server.conftest import run_cli


def test_serve_says_where_and_that_it_is_local_only(server):
    assert server.url.startswith("http://127.0.0.1:")
    assert any(line.startswith("local-only") for line in server.printed)
    assert any("time limit 2 s, at most 300 rows" in line for line in server.printed)


def test_port_in_use_is_a_clear_error(built_dist):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = run_cli("serve", "--dist", str(built_dist), "--port", str(port), "--workers", "1",
                       timeout=60)
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("args", "phrase"), [
    (["serve", "--timeout", "0"], "must be positive"),
    (["serve", "--max-results", "-1"], "must be positive"),
    (["serve", "--port", "eighty"], "invalid int value"),
    (["serve", "--bogus"], "unrecognized arguments: --bogus"),
    (["publish"], "the following arguments are required: --store"),
    (["publish", "--store", "localhost:7878"], "not an http(s) URL"),
])
def test_bad_options(args, phrase):
    done = run_cli(*args, timeout=60)
    assert done.returncode == 2
    assert phrase in done.stderr and "Traceback" not in done.stderr


def test_sigterm_stops_the_server_cleanly(built_dist):
    import signal

    from tests.server.conftest import Served

    served = Served("--dist", str(built_dist), "--workers", "1")
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(20) == 0
