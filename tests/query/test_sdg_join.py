"""The pandas join of docs/queries.md runs as written against a CSV in the UN SDG Global
Database's layout (made-up numbers), and joins the rows it should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "tests" / "fixtures" / "joins" / "sdg-global-database-made-up.csv"


def _example() -> str:
    text = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    return re.search(r"<!-- join-example -->\n```python\n(.*?)```", text, re.S)[1]


def test_the_docs_join_example_runs_and_joins_on_m49_and_indicator(built_dist):
    pd = pytest.importorskip("pandas")
    assert "MADE-UP" in CSV.read_text(encoding="utf-8").splitlines()[1]
    scope = {"dist": built_dist, "csv_path": CSV}
    exec(compile(_example(), "docs/queries.md (join example)", "exec"), scope)  # noqa: S102
    joined = scope["joined"]
    got = {(int(r.position), r.ISO3, r.Indicator, r.Value) for r in joined.itertuples()}
    # Worked out from the brochure's table (tests/query/test_query_expected_rows.py): 10.7 is
    # listed by 1 (Sfax, TUN) and by 9, 11, 14 (Morocco); 11.1 by 11, 14 (Morocco) and 15
    # (Beirut, LBN); 16.7 by 10, 12 (Jordan). Afghanistan (4) has no programme.
    assert got == {(1, "TUN", "10.7.2", 2), (9, "MAR", "10.7.2", 1), (11, "MAR", "10.7.2", 1),
                   (14, "MAR", "10.7.2", 1), (11, "MAR", "11.1.1", 33.3),
                   (14, "MAR", "11.1.1", 33.3), (15, "LBN", "11.1.1", 44.4),
                   (10, "JOR", "16.7.2", 55.5), (12, "JOR", "16.7.2", 55.5)}
    assert pd.api.types.is_string_dtype(joined["GeoAreaCode"])
