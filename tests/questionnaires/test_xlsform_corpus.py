"""Real XLSForm workbooks (tests/questionnaires/xlsform_corpus/, sources and licences in its manifest.json).

Every workbook of supported types imports with the questions the reference converter pyxform finds in it;
every other one is refused with problems that name their sheet, and the import page publishes nothing."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import pytest
from sqlalchemy import func, select

from questionnaires.models import QuestionnaireVersion
from questionnaires.xlsform import XLSFormImportError, export_xlsform, import_xlsform

CORPUS = Path(__file__).with_name("xlsform_corpus")
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["workbooks"]
ACCEPTED = [w for w in MANIFEST if "questions" in w]
REFUSED = [w for w in MANIFEST if "refused" in w]
NOT_QUESTIONS = {"note", "group", "repeat", "start", "end", "today", "deviceid", "subscriberid", "simserial",
                 "phonenumber", "username", "email", "audit"}


def data_of(entry: dict) -> bytes:
    return (CORPUS / entry["file"]).read_bytes()


def pyxform_questions(path: Path) -> list[str]:
    """The questions pyxform reads in a workbook (its own meta/instanceID left out)."""
    from pyxform.xls2json import parse_file_to_json

    def walk(node: dict) -> list[str]:
        found = []
        for child in node.get("children", []):
            if child.get("name") == "meta" or child.get("type") in NOT_QUESTIONS:
                found += walk(child) if child.get("type") in ("group", "repeat") and child.get("name") != "meta" else []
            else:
                found.append(child["name"])
        return found

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return walk(parse_file_to_json(str(path)))


def test_the_manifest_lists_every_workbook_with_its_source_and_licence():
    on_disk = {p.name for p in CORPUS.glob("*.xlsx")}
    assert on_disk == {w["file"] for w in MANIFEST}
    assert len(ACCEPTED) >= 10 and len(REFUSED) >= 30
    for w in MANIFEST:
        assert w["source"].startswith(f"https://github.com/{w['repository']}/blob/{w['commit']}/")
        assert w["licence"] and (CORPUS / "LICENSE.pyxform").exists()


@pytest.mark.parametrize("entry", ACCEPTED, ids=lambda w: w["file"])
def test_a_supported_workbook_imports_with_the_questions_pyxform_finds(entry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Unknown extension is not supported" in some files
        definition = import_xlsform(data_of(entry), filename=entry["file"])
    expected = pyxform_questions(CORPUS / entry["file"])
    assert [q.id for q in definition.questions] == expected
    assert len(definition.questions) == entry["questions"]
    assert import_xlsform(export_xlsform(definition)) == definition


@pytest.mark.parametrize("entry", REFUSED, ids=lambda w: w["file"])
def test_an_unsupported_workbook_is_refused_naming_where(entry):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(XLSFormImportError) as exc:
            import_xlsform(data_of(entry), filename=entry["file"])
    errors = exc.value.errors
    assert errors[0].message.startswith(entry["refused"])
    for e in errors:
        assert e.sheet in ("survey", "choices", "settings", "") and e.message
        if e.sheet == "survey" and e.row and e.row > 1 and "rows" not in e.message:
            assert e.column, e  # a problem on a row of the survey names its column


def test_the_import_page_publishes_none_of_the_refused_workbooks(login_as, db):
    sec, _ = login_as("secretariat")
    for entry in REFUSED:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(data_of(entry)), entry["file"])},
                              content_type="multipart/form-data")
        assert r.status_code == 422, entry["file"]
        assert "The XLSForm cannot be imported" in r.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 0
    r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(data_of(ACCEPTED[0])), ACCEPTED[0]["file"])},
                      content_type="multipart/form-data")
    assert r.status_code == 302
    db.rollback()
    assert db.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 1
