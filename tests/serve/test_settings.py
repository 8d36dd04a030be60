"""The server's settings are one value, built once from serve's options and shared by the
runner and the query service unchanged: nothing can change them after."""

import dataclasses
from pathlib import Path

import pytest

from mc2cm_graph.query.budget import QueryLimits
from mc2cm_graph.serve.settings import Settings


def test_settings_cannot_be_changed_once_built():
    settings = Settings(dist_dir=Path("dist"), host="127.0.0.1", port=0,
                        limits=QueryLimits(), workers=1, per_client=1, queries_dir=None,
                        accept_no_network_wall=False, write_seconds=30, with_external=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.workers = 100
    assert settings.workers == 1
