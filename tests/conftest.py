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
