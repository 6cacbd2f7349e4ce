"""The problems of an XLSForm import are shown in the language of the page that imports (issue 19): the summary,
where each problem is, and what it is; the English stays for the command line."""

from __future__ import annotations

import html
import io

import pytest

from portal.accounts.models import User
from questionnaires.xlsform import XLSFormImportError, import_xlsform
from tests.questionnaires.test_xlsform import workbook

SURVEY = [["type", "name", "label", "label::French (fr)"],
          ["select_one nowhere", "q1", "Question", "Question"],
          ["calculate", "q2", "Sum", "Somme"],
          ["text", "q3", "", "Sans libellé anglais"]]
WORDS = {
    "fr": ["Le fichier XLSForm ne peut pas être importé (3 problèmes) :",
           "feuille 'survey', ligne 2, colonne 'type' : la liste de choix 'nowhere' ne figure pas sur la feuille choices",
           "ligne 3, colonne 'calculation' : une ligne calculate nécessite un calcul (calculation)",
           "une question nécessite un libellé en anglais (colonne label ou label::English (en))"],
    "de": ["Das XLSForm kann nicht importiert werden (3 Probleme):",
           "Blatt 'survey', Zeile 2, Spalte 'type': die Auswahlliste 'nowhere' steht nicht auf dem Blatt choices",
           "Zeile 3, Spalte 'calculation': eine calculate-Zeile benötigt eine Berechnung (calculation)",
           "eine Frage benötigt eine Beschriftung in der Sprache Englisch (Spalte label oder label::English (en))"],
}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_import_page_lists_the_problems_in_the_readers_language(login_as, db, lang):
    sec, user = login_as("secretariat")
    db.get(User, user.id).language = lang
    db.commit()
    r = sec.post_form("/questionnaires/import", {"file": (io.BytesIO(workbook(SURVEY)), "bad.xlsx")},
                      content_type="multipart/form-data")
    page = html.unescape(r.get_data(as_text=True))
    assert r.status_code == 422
    for words in WORDS[lang]:
        assert words in page, words
    assert "cannot be imported" not in page and "is not on the choices sheet" not in page and "row 3" not in page


def test_the_problems_keep_their_english_for_the_command_line_and_a_log(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        with pytest.raises(XLSFormImportError) as exc:
            import_xlsform(workbook(SURVEY), questionnaire_id="bad")
        shown = [e.text for e in exc.value.errors]
    assert "la liste de choix 'nowhere' ne figure pas sur la feuille choices" in shown
    assert "the choice list 'nowhere' is not on the choices sheet" in [e.message for e in exc.value.errors]
