"""`mc2cm-graph serve` / `publish` on the command line: what they say when they start, and
their answers to bad options."""

import socket

import pytest

from tests.serve.conftest import run_cli


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
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "pick another --port (0 picks a free one)" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_address_not_of_this_machine_is_a_clear_error(built_dist):
    """192.0.2.1 (TEST-NET-1, RFC 5737) is no address of this machine: the hint says so,
    not something about ports."""
    done = run_cli("serve", "--dist", str(built_dist), "--host", "192.0.2.1", "--port", "0",
                   "--workers", "1", timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "cannot listen on 192.0.2.1:0" in done.stderr
    assert "192.0.2.1 is not an address of this machine" in done.stderr, done.stderr
    assert "privileges" not in done.stderr


@pytest.mark.parametrize(("args", "phrase"), [
    (["serve", "--timeout", "0"], "must be positive"),
    (["serve", "--max-results", "-1"], "must be positive"),
    (["serve", "--port", "eighty"], "invalid int value"),
    (["serve", "--port", "70000"], "between 0 and 65535"),
    (["serve", "--timeout", "inf"], "positive and finite"),
    (["serve", "--timeout", "nan"], "positive and finite"),
    (["serve", "--workers", "0"], "must be positive"),
    (["serve", "--dist", "/nonexistent"], "no built graph there"),
    (["serve", "--queries", "/nonexistent"], "--queries /nonexistent: no such folder"),
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

    from tests.serve.conftest import Served

    served = Served("--dist", str(built_dist), "--workers", "1")
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(20) == 0


def test_loopback_hosts_are_called_local_only(built_dist):
    from tests.serve.conftest import Served

    served = Served("--dist", str(built_dist), "--workers", "1", "--host", "127.0.0.2")
    try:
        assert any(line.startswith("local-only") for line in served.printed)
        assert not any("other machines can connect" in line for line in served.printed)
    finally:
        served.stop()


def test_ipv6_loopback_serves_or_says_why(built_dist):
    from tests.serve.conftest import Served, http

    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        done = run_cli("serve", "--dist", str(built_dist), "--host", "::1", "--port", "0",
                       "--workers", "1", timeout=60)
        assert done.returncode == 2 and "cannot listen on [::1]" in done.stderr
        assert "pick another --port" not in done.stderr and "::1" in done.stderr
        return
    served = Served("--dist", str(built_dist), "--workers", "1", "--host", "::1")
    try:
        assert served.url.startswith("http://[::1]:")
        assert any(line.startswith("local-only") for line in served.printed)
        assert http(f"{served.url}/sparql?query=ASK%7B%7D")[0] == 200
    finally:
        served.stop()
