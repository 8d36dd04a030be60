"""Fixtures shared by every test folder."""

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> Path:
    """The project's data built once per test session into a private folder; tests only
    read it (a test that needs to change a release builds its own)."""
    from mc2cm_graph.build import build

    out = tmp_path_factory.mktemp("built") / "dist"
    build(out_dir=out)
    return out


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """Virtuoso set up by the recipe of docs/server.md (deploy/virtuoso/), on free ports of
    127.0.0.1 with a throwaway database; stopped after the session. Skipped where Virtuoso
    is not installed."""
    from tests.virtuoso_server import missing_reason, running_virtuoso

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def pytest_terminal_summary(terminalreporter, config):
    """The random order's seed at the end of every run, also under -q (pytest-randomly
    prints it only in the header, which -q hides), so a failure's order can be replayed."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(f"random test order: seed {seed} (replay it with "
                                    f"--randomly-seed={seed}; -p no:randomly runs in file order)")
