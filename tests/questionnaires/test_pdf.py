"""PDFs made on the server (WeasyPrint): the blank questionnaire per language and each response, A4, with the
round's marking on every page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from questionnaires.models import Round
from questionnaires.pdf import css_string
from tests.questionnaires.conftest import COMPLETE, MINI, form_for, response_url

A4 = (595, 842)  # points, rounded


def _mark(db, rid: int, marking: str) -> None:
    db.rollback()
    db.get(Round, rid).marking = marking
    db.commit()


def _read(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [" ".join(p.extract_text().split()) for p in reader.pages]


def test_the_blank_questionnaire_in_each_language_is_a4_with_the_marking(login_as, open_mini, db):
    rid = open_mini()
    _mark(db, rid, "LIMITE")
    c, _ = login_as("respondent", "BE")
    page = c.get(response_url(rid)).get_data(as_text=True)
    assert f'href="/questionnaires/rounds/{rid}/blank.pdf?lang=fr"' in page
    for lang, title, label, of, blank in (
            ("en", MINI["title"]["en"], "Is there a CMS?", "of", "blank questionnaire"),
            ("fr", MINI["title"]["fr"], "Y a-t-il un SGC ?", "sur", "questionnaire vierge")):  # the page's words too
        r = c.get(f"/questionnaires/rounds/{rid}/blank.pdf?lang={lang}")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        reader, texts = _read(r.data)
        assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4 for p in reader.pages)
        assert all(t.count("LIMITE") >= 2 for t in texts)  # the marking at the top and the foot of every page
        assert all(f"{of} {len(texts)}" in t for t in texts)
        whole = " ".join(texts)
        assert title in whole and label in whole and "Test round" in whole and blank in whole
    r = c.get(f"/questionnaires/rounds/{rid}/blank.pdf?lang=xx")
    assert r.status_code == 422 and "choose one of en, fr" in r.get_data(as_text=True)


def test_a_response_as_pdf_shows_its_answers(login_as, open_mini, db):
    rid = open_mini()
    c, _ = login_as("respondent", "BE")
    c.post_form(response_url(rid), form_for(COMPLETE) | {"action": "submit"})
    r = c.get(response_url(rid) + "/response.pdf?lang=en")
    assert r.status_code == 200
    reader, texts = _read(r.data)
    whole = " ".join(texts)
    assert "CaseBook" in whole and "40 persons" in whole and "Receipt" in whole and "Submitted" in whole
    assert "BE" in texts[0]
    # another country's response: 404, as its page
    nl, _ = login_as("respondent", "NL")
    assert nl.get(response_url(rid) + "/response.pdf").status_code == 404


@pytest.mark.parametrize("text", ['LIMITE"; } body { display: none', "</style><script>x</script>", "a\\b"])
def test_a_marking_cannot_escape_its_css_string(text):
    out = str(css_string(text))
    assert out[0] == out[-1] == '"' and '"' not in out[1:-1] and "<" not in out and "\\\\" not in out
