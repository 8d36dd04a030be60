"""Bad data, through the commands users run: ``mc2cm-graph build --data DIR --out DIR`` and
``mc2cm-graph validate FILE``. Each case must end in a clear message (file, line and column
where they apply, what to fix), a non-zero exit, and the previous output folder untouched.
The catalogue is docs/reliability.md."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from mc2cm_graph.check.reference import reference_data_files
from mc2cm_graph.cli import main
from mc2cm_graph.export.outdir import write_marker
from tests.fixtures.defects import BASE_FILE, apply

BASE = BASE_FILE.read_text(encoding="utf-8")
PROGRAMMES = "data/programmes"  # where make_data_dir puts the cases' files


def edited(*edits) -> bytes:
    return apply(BASE, edits).encode("utf-8")


def at(content: bytes | str, needle: str) -> str:
    """``line:column`` (1-based, in characters) where ``needle`` first occurs: the position
    the error message must point at."""
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def line_of(content: str, needle: str) -> str:
    return at(content, needle).split(":")[0]


MALFORMED = edited(("mc2cm:positionInSource 99 ;", "mc2cm:positionInSource 99"))
UNDEFINED_PREFIX = edited(("city:sfax", "ville:sfax"))
BAD_TAG = edited(('"Test programme"@en', '"Test programme"@en_GB'))
LATIN1 = BASE.replace("d'essai", "d'\u00e9ssai")
DIRECTION = edited(('"برنامج تجريبي"@ar', '"برنامج تجريبي"@ar--rtl'))
TRIPLE_TERM = BASE + ("\n<< programme:test-fixture mc2cm:locatedIn city:sfax >> "
                      "dcterms:source <https://example.org/> .\n")


@dataclass
class Case:
    files: dict[str, bytes]  # programme files, relative to the data folder's programmes/
    exit_code: int
    expected: tuple[str, ...]  # what the message must say (file:line:col, rule, value, fix)


CASES = {
    "malformed-turtle": Case(  # the ';' after the position is missing: the next line is wrong
        {"99-test.ttl": MALFORMED}, 2,
        (f"99-test.ttl:{at(MALFORMED, 'mc2cm:hasActivity')}: syntax error",
         "how to fix: fix the Turtle at that position")),
    "undefined-prefix": Case(
        {"99-test.ttl": UNDEFINED_PREFIX}, 2,
        (f"99-test.ttl:{at(UNDEFINED_PREFIX, 'ville:')}: syntax error: "
         "The prefix ville: has not been declared",)),
    "malformed-language-tag": Case(
        {"99-test.ttl": BAD_TAG}, 2, (f"99-test.ttl:{at(BAD_TAG, '_GB')}: syntax error",)),
    "wrong-language-tag": Case(
        {"99-test.ttl": edited(('"Test programme"@en', '"Test programme"@english'))},
        1, ("programme:test-fixture", "mc2cms:label-languages", '"Test programme"@english',
            "tagged @ar, @en or @fr", "mc2cms:label-en", "add an English name")),
    "language-subtag": Case(
        {"99-test.ttl": edited(('"Test programme"@en', '"Test programme"@en-GB'))},
        1, ("qc/text-language-tag.rq", '"Test programme"@en-gb',
            "tag names, objectives and subtitles exactly @ar, @en or @fr")),
    "literal-for-iri": Case(
        {"99-test.ttl": edited(("mc2cm:locatedIn city:sfax", 'mc2cm:locatedIn "Sfax"'))},
        1, ("programme:test-fixture  (/",  # the resource, then the file and line it begins at
            f"{PROGRAMMES}/99-test.ttl:{line_of(BASE, 'programme:test-fixture a')})",
            "mc2cms:programme-place (Class, NodeKind)",
            'value: "Sfax"', "not a string")),
    "unknown-sdg-target": Case(
        {"99-test.ttl": edited(("sdg:10.7", "sdg:10.99"))},
        1, ("mc2cms:programme-target (Node) mc2cm:contributesToTarget", "value: sdg:10.99",
            "a target of the UN SDG vocabulary")),
    "goal-as-target": Case(
        {"99-test.ttl": edited(("sdg:10.7", "sdg:10"))},
        1, ("mc2cms:programme-target (Node)", "value: sdg:10\n", "not a goal (sdg:10)")),
    "duplicate-programme-iri": Case(
        {"99-test.ttl": BASE.encode(),
         "99-test-copy.ttl": edited(("mc2cm:positionInSource 99", "mc2cm:positionInSource 98"))},
        2, ("99-test.ttl: programme:test-fixture is defined (typed mc2cm:Programme) both here "
            "and in", "99-test-copy.ttl", "describe each resource in one file")),
    "duplicate-programme-position": Case(
        {"99-test.ttl": BASE.encode(),
         "99-test-copy.ttl": BASE.replace("test-fixture", "test-copy").encode()},
        1, ("programme:test-copy", "programme:test-fixture", "qc/duplicate-programme-position.rq",
            "value: 99", "two programmes claim the same place in the brochure")),
    "missing-required-field": Case(
        {"99-test.ttl": edited(('"يهدف البرنامج إلى تدريب الموظفين المحليين."@ar ,', ""))},
        1, ("mc2cms:objective-ar (QualifiedMinCount) mc2cm:objective",
            "add the brochure's Arabic objective")),
    "theme-outside-scheme": Case(
        {"99-test.ttl": edited(("theme:welcome-instruments", "atype:training"))},
        1, ("mc2cms:programme-theme (Node) mc2cm:addressesTheme", "value: atype:training",
            "one of the eight concepts of data/themes.ttl")),
    "undeclared-property": Case(
        {"99-test.ttl": edited(("mc2cm:fundedBy", "mc2cm:fundedby"))},
        1, ("qc/undeclared-term.rq", "value: mc2cm:fundedby",
            "the ontology does not declare it")),
    "not-utf8": Case(  # "é" saved as Latin-1 in the middle of the UTF-8 Arabic file
        {"99-test.ttl": LATIN1.encode("utf-8").replace("\u00e9".encode(), b"\xe9")}, 2,
        (f"99-test.ttl:{at(LATIN1, chr(0xe9))}: not UTF-8 (byte 0xe9)",
         "save the file as UTF-8")),
    "empty-file": Case({"99-test.ttl": b"  \n"}, 2, ("99-test.ttl: file is empty",)),
    "rdf12-base-direction": Case(
        {"99-test.ttl": DIRECTION}, 2,
        (f"99-test.ttl:{at(DIRECTION, '@ar--rtl')}: RDF 1.2 base directions",
         "use a plain language tag such as @ar")),
    "rdf12-triple-term": Case(
        {"99-test.ttl": TRIPLE_TERM.encode()}, 2,
        (f"99-test.ttl:{at(TRIPLE_TERM, '<<')}: RDF 1.2 triple terms",)),
}


def make_data_dir(root: Path, case: Case) -> Path:
    data = root / "data"
    (data / "programmes").mkdir(parents=True)
    for path in reference_data_files():
        shutil.copy(path, data / path.name)
    for name, content in case.files.items():
        (data / "programmes" / name).write_bytes(content)
    return data


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_build_refuses_bad_data_and_keeps_dist(name, tmp_path, capsys):
    case = CASES[name]
    data = make_data_dir(tmp_path, case)
    out = tmp_path / "dist"
    out.mkdir()
    (out / "mc2cm.ttl").write_text("# the previous release\n", encoding="utf-8")
    write_marker(out)
    before = snapshot(out)

    code = main(["build", "--data", str(data), "--out", str(out)])

    captured = capsys.readouterr()
    assert code == case.exit_code
    message = captured.err
    for text in case.expected:
        assert text in message, f"{text!r} not in:\n{message}"
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dist"]  # no staging left


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_reports_bad_files(name, tmp_path, capsys):
    case = CASES[name]
    data = make_data_dir(tmp_path, case)
    files = sorted(str(p) for p in (data / "programmes").iterdir())

    code = main(["validate", *files])

    captured = capsys.readouterr()
    assert code == case.exit_code
    shown = captured.out + captured.err
    for text in case.expected:
        assert text in shown, f"{text!r} not in:\n{shown}"


def test_validate_accepts_a_new_programme_linking_to_reference_data(capsys):
    assert main(["validate", str(BASE_FILE)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_validate_reports_a_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "nope.ttl: file not found" in capsys.readouterr().err


def test_validate_refuses_an_unsupported_file_type(tmp_path, capsys):
    odd = tmp_path / "programme.json"
    odd.write_text("{}", encoding="utf-8")
    assert main(["validate", str(odd)]) == 2
    assert "programme.json: unsupported file type '.json'" in capsys.readouterr().err


def test_loader_merges_two_definitions_only_when_asked(tmp_path):
    from mc2cm_graph.graph.errors import Mc2cmError
    from mc2cm_graph.graph.load import load_graph

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(BASE, encoding="utf-8")
    second.write_text(BASE, encoding="utf-8")
    with pytest.raises(Mc2cmError, match="defined .* both here and in"):
        load_graph([first, second])
    assert len(load_graph([first, second], single_definition=False)) == len(load_graph([first]))
    assert len(load_graph([first, first])) == len(load_graph([first]))  # one file, read once
