"""The QC check comparing the brochure's target wordings with the UN titles of all targets
(mc2cm_graph/check/target_wording.py): run by validate and build, on both engines."""

import shutil

import pytest

from mc2cm_graph.build import build
from mc2cm_graph.check.qc import run_qc, to_store
from mc2cm_graph.check.target_wording import (
    NAME,
    TITLES_QUERY,
    WORDINGS_QUERY,
    _rows,
    check,
    mismatches,
    normalise_arabic,
)
from mc2cm_graph.check.validate import validate_project
from mc2cm_graph.graph import paths
from mc2cm_graph.graph.errors import Mc2cmError
from mc2cm_graph.graph.project import load_project

SDG = "http://metadata.un.org/sdg/"
DATA_WORDING = "تعزيز بناء القدرات من خلال توفير بيانات عالية الجودة وموثوقة ضمن وقت مناسب"
PARTNERSHIPS = "تشجيع الشراكات بين القطاعات العامة والمجتمع المدني"  # printed beside ١٧.١٧


@pytest.fixture(scope="module")
def store():
    return to_store(load_project().union())


@pytest.fixture(scope="module")
def titles(store):
    return dict(_rows(store, TITLES_QUERY))


def test_arabic_normalisation_folds_the_usual_variants():
    # hamza and alef forms, ta marbuta, alef maqsura, diacritics, tatweel, leading particles
    assert normalise_arabic("إنشاء أماكن آمنة") == normalise_arabic("انشاء اماكن امنه")
    assert normalise_arabic("مسؤولة") == normalise_arabic("مسوولة")
    assert normalise_arabic("مستوى") == normalise_arabic("مستوي")
    assert normalise_arabic("فعّالة") == normalise_arabic("فعالة") == normalise_arabic("فعـــالة")
    assert normalise_arabic("والتنمية") == normalise_arabic("التنمية") == ["تنميه"]


def test_the_titles_of_all_169_targets_are_compared(titles):
    assert len(titles) == 169


def test_the_corrected_data_is_silent(store):
    assert check(store) == []
    assert [v for v in run_qc(load_project().union()) if v.constraint == f"qc:{NAME}"] == []


def test_the_wording_printed_beside_17_8_is_reported_and_names_17_18(titles):
    found = mismatches([(SDG + "17.8", DATA_WORDING)], titles)
    assert [(f[0], f[3]) for f in found] == [(SDG + "17.8", SDG + "17.18")]
    target, wording, own, best, score = found[0]
    assert score > 3 * own


@pytest.mark.parametrize("unrelated", ["3.1", "14.1", "7.2"])
def test_a_wording_moved_to_an_unrelated_target_is_reported(titles, unrelated):
    found = mismatches([(SDG + unrelated, PARTNERSHIPS)], titles)
    assert [(f[0], f[3]) for f in found] == [(SDG + unrelated, SDG + "17.17")]


def test_every_wording_of_the_data_fits_its_own_target(store, titles):
    wordings = _rows(store, WORDINGS_QUERY)
    assert len(wordings) == 21 and mismatches(wordings, titles) == []


@pytest.fixture(scope="module")
def as_printed(tmp_path_factory):
    """The data as the brochure prints it: programme 14 and the wording on 17.8."""
    data = tmp_path_factory.mktemp("as-printed") / "data"
    shutil.copytree(paths.DATA_DIR, data)
    labels = data / "sdg-brochure-labels.ttl"
    labels.write_text(labels.read_text(encoding="utf-8").replace(
        "sdg:17.18 mc2cm:brochureTargetLabel", "sdg:17.8 mc2cm:brochureTargetLabel"),
        encoding="utf-8")
    programme = data / "programmes" / "14-rabat-evidence-based.ttl"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "sdg:11.1 , sdg:17.18 ;", "sdg:11.1 , sdg:17.8 ;"), encoding="utf-8")
    return data


def test_validate_reports_the_misprint(as_printed):
    report = validate_project(as_printed)
    rows = [v for v in report.violations if v.constraint == f"qc:{NAME}"]
    assert [(v.focus, v.path) for v in rows] == [("sdg:17.8", "mc2cm:brochureTargetLabel")]
    assert "sdg:17.18" in rows[0].message and not report.conforms
    assert "sdg:17.8" in report.text() and "sdg:17.18" in report.text()


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_build_stops_on_the_misprint_on_both_engines(as_printed, tmp_path, engine):
    with pytest.raises(Mc2cmError) as err:
        build(as_printed, tmp_path / "dist", engine=engine)
    text = str(err.value)
    assert f"qc:{NAME}" in text and "sdg:17.8" in text and "sdg:17.18" in text
    assert not (tmp_path / "dist").exists()
