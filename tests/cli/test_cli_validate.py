"""``mc2cm-graph validate`` through the CLI's main(): the project's data, a user's files, the
report's content and the exit codes (0 conforms, 1 violations, 2 unreadable input)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mc2cm_graph.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_validate_without_files_checks_the_project(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("Validation: conforms (0 results).")


def test_validate_a_data_folder(tmp_path, capsys):
    (tmp_path / "p.ttl").write_bytes((FIXTURES / "invalid" / "target-unknown.ttl").read_bytes())
    assert main(["validate", "--data", str(tmp_path)]) == 1


def test_report_names_resource_rule_value_and_fix(capsys):
    fixture = FIXTURES / "invalid" / "target-unknown.ttl"
    assert main(["validate", str(fixture)]) == 1
    out = capsys.readouterr().out
    # the unknown target, and its target link out of step with it (10.99 without a link, the
    # link's 10.7 without mc2cm:contributesToTarget)
    assert out.startswith("Validation: 3 result(s) on 1 resource(s).")
    assert f"programme:test-fixture  ({fixture}:" in out
    assert "sdg/10.99 is linked with mc2cm:contributesToTarget but has no target link" in out
    assert "rule:  mc2cms:programme-target (Node) mc2cm:contributesToTarget" in out
    assert "value: sdg:10.99" in out
    assert "fix:   link at least one SDG target" in out


def test_validate_runs_the_qc_rules_too(tmp_path, capsys):
    text = (FIXTURES / "valid" / "programme.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "typo.ttl"
    bad.write_text(text.replace("mc2cm:positionInSource 99", "mc2cm:positionInSource 99 ;\n"
                                "    mc2cm:positonInSource 99"), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "qc/undeclared-term.rq" in out and "mc2cm:positonInSource" in out


def test_validate_help_is_fast_to_import():
    import subprocess
    import sys

    code = ("import sys; from mc2cm_graph.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('pyshacl', 'rdflib', 'owlrl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parents[2], check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(("engine", "pyshacl"), [("fast", False), ("reference", True)])
def test_validate_files_runs_the_engine_asked_for(engine, pyshacl):
    """`validate FILE --engine E`: the same report either way, so which engine ran shows
    in what it loaded: the fast engine (SHACL compiled to SPARQL) never imports pyshacl."""
    import subprocess
    import sys

    fixture = FIXTURES / "valid" / "programme.ttl"
    # the arguments come from the command line, as a user's do (not strings of this code)
    code = ("import sys; from mc2cm_graph.cli import main; code = main(sys.argv[1:]); "
            "print(code, 'pyshacl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, "validate", str(fixture), "--engine",
                          engine], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent, check=True).stdout
    assert out.split()[-2:] == ["0", str(pyshacl)]


def test_report_names_the_property_stated_for_an_alternative_path(capsys):
    assert main(["validate", str(FIXTURES / "invalid" / "quantity-negative.ttl")]) == 1
    out = capsys.readouterr().out
    assert "rule:  mc2cms:quantity (MinInclusive) mc2cm:peopleReachedCount\n" in out
    assert "value: -40" in out


def test_report_shows_an_inverse_path(capsys):
    assert main(["validate", str(FIXTURES / "invalid" / "activity-orphan.ttl")]) == 1
    assert "(MinCount) ^mc2cm:hasActivity" in capsys.readouterr().out


def _both_engines(capsys, *args):
    outputs = {}
    for engine in ("fast", "reference"):
        code = main(["validate", *args, "--engine", engine])
        outputs[engine] = (code, capsys.readouterr().out)
    return outputs


def test_fast_and_reference_engines_print_the_same_report(tmp_path, capsys):
    """validate runs the engine build runs (the store) unless asked for pyshacl; the two
    print the same report, word for word, on good and bad data."""
    from mc2cm_graph.graph.synth import synthesise

    synthesise(tmp_path / "broken", 30, seed=1, violations=6)
    for args in ([], [str(FIXTURES / "invalid" / "target-unknown.ttl")],
                 ["--data", str(tmp_path / "broken")]):
        outputs = _both_engines(capsys, *args)
        assert outputs["fast"] == outputs["reference"], args
    assert outputs["fast"][0] == 1 and "programme:synth-000001" in outputs["fast"][1]


def test_validate_does_not_load_pyshacl_on_the_fast_engine(capsys):
    import subprocess
    import sys

    code = ("import sys; from mc2cm_graph.cli import main; main(['validate']); "
            "print('pyshacl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120).stdout
    assert out.strip().endswith("False")


def test_a_long_value_is_shown_clipped_to_120_characters(tmp_path, capsys):
    """A value of over 120 characters (here an IRI where a title belongs) is shown cut to
    119 and an ellipsis, so one result stays one line of a readable width."""
    long_iri = "https://example.org/" + "n" * 200
    text = (FIXTURES / "invalid" / "label-iri.ttl").read_text(encoding="utf-8")
    assert "<https://example.org/name>" in text
    (tmp_path / "p.ttl").write_text(text.replace("https://example.org/name", long_iri),
                                    encoding="utf-8")
    assert main(["validate", str(tmp_path / "p.ttl")]) == 1
    out = capsys.readouterr().out
    values = [line.split("value: ", 1)[1] for line in out.splitlines() if "value: <" in line]
    assert values == [f"<{long_iri}"[:119] + "…"], out
