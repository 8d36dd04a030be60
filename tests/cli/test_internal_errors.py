"""Issue 21 item 7: inputs that ended in "internal error" (exit 70) are clear errors."""

import pytest

from mc2cm_graph.cli import main


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("base_url", ["http://x.example/a]", "http://x.example/a[",
                                      "http://x.example/a\x1b", "http://[x.example/"])
def test_a_base_url_that_is_no_iri_is_a_clear_error(base_url, tmp_path, capsys):
    code, err = run(capsys, "export", "--out", str(tmp_path / "out"), "--base-url", base_url)
    assert code == 2 and "is not a plain http(s) URL" in err and "internal error" not in err
    assert not (tmp_path / "out").exists()


def test_a_5000_digit_goal_is_an_invalid_value(capsys):
    code, err = run(capsys, "query", "programmes-by-goal", "--param", "goal=" + "1" * 5000)
    assert code == 2 and "invalid value for parameter goal" in err

