"""A report file built for a French or German reader is in that language: the maturity spread's row labels, the
sheet names (legal for Excel, at most 31 characters), and a country profile's spoken languages (issue 19)."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from portal.i18n import in_language
from reports.chart_cache import ChartCache
from reports.document import docx_report
from reports.exports import sheet_name, xlsx_report
from reports.frame import tidy_frame
from reports.report import build_report, network_view
from tests.reports.conftest import ANSWERS

SPREAD = {"fr": ["Pays", "Le plus bas", "Premier quartile", "Médiane", "Troisième quartile", "Le plus élevé"],
          "de": ["Länder", "Niedrigster", "Unteres Quartil", "Median", "Oberes Quartil", "Höchster"]}
HEADERS = {"fr": ["Mesure", "Indice de maturité"], "de": ["Kennzahl", "Reifegradindex"]}
SHEETS = {"fr": ["À propos du rapport", "Maturité", "Méthode de maturité", "Maturité dans le réseau"],
          "de": ["Über diesen Bericht", "Reifegrad", "Reifegradmethode", "Reifegrad im Netzwerk"]}


@pytest.fixture
def spread_report(small):
    return network_view(build_report(small, tidy_frame(small, ANSWERS), title="Small SPOC survey"), "BE")


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_workbook_names_its_sheets_and_spread_in_the_readers_language(app, spread_report, tmp_path, language):
    with app.test_request_context(), in_language(language):
        wb = openpyxl.load_workbook(io.BytesIO(xlsx_report(spread_report, ChartCache(tmp_path))))
    for name in SHEETS[language]:
        assert name in wb.sheetnames, name
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)
    assert not {"About", "Maturity", "Charts", "Free text"} & set(wb.sheetnames)
    spread = [[c.value for c in row] for row in wb[SHEETS[language][3]].iter_rows(min_row=2)]
    assert [r[0] for r in spread] == SPREAD[language]
    assert [c.value for c in wb[SHEETS[language][3]][1]] == HEADERS[language]


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_document_labels_the_spread_in_the_readers_language(app, spread_report, tmp_path, language):
    with app.test_request_context(), in_language(language):
        document = docx.Document(io.BytesIO(docx_report(spread_report, ChartCache(tmp_path))))
    firsts = [row.cells[0].text for table in document.tables for row in table.rows]
    assert all(label in firsts for label in SPREAD[language])
    assert not {"Lowest", "Lower quartile", "Upper quartile", "Highest"} & set(firsts)


def test_a_sheet_name_is_legal_and_short_in_any_language():
    assert sheet_name("Why? [draft]: a/b*c\\d") == "Why- -draft-- a-b-c-d"
    long = sheet_name("Capabilities gained and lost since the previous round of the questionnaire")
    assert len(long) <= 31 and long == "Capabilities gained and lost"
    assert sheet_name("Maturity", taken=["maturity"]) == "Maturity (2)"
    assert sheet_name("'quoted'") == "quoted"


def test_a_profile_names_the_spoken_languages_in_the_readers_language(login_as, structures_round, db):
    from portal.accounts.models import User
    from portal.directory.models import Spoc

    structures_round()
    c, user = login_as("head_of_spoc", "BE")
    db.get(Spoc, "BE").languages = "nl, fr, en"
    db.get(User, user.id).language = "de"
    db.commit()
    page = c.get("/reports/countries/BE").get_data(as_text=True)
    assert "Niederländisch, Französisch, Englisch" in page and "Dutch" not in page
    assert "Verfügbarkeit rund um die Uhr" in page or "24/7-Verfügbarkeit" in page


@pytest.fixture
def structures_round(app):
    from tests.reports.conftest import make_structures_round

    return lambda: make_structures_round(app, ("BE", "NL"))


@pytest.mark.parametrize("language,words,footer", [("fr", ("page", "sur"), "Page &P sur &N"),
                                                    ("de", ("Seite", "von"), "Seite &P von &N"),
                                                    ("en", ("page", "of"), "Page &P of &N")])
def test_the_files_number_their_pages_in_the_readers_language(app, spread_report, tmp_path, language, words, footer):
    """'page 1 of 5' in the footer of the DOCX and of every printed sheet of the XLSX, in the report's language."""
    with app.test_request_context(), in_language(language):
        document = docx.Document(io.BytesIO(docx_report(spread_report, ChartCache(tmp_path))))
        book = openpyxl.load_workbook(io.BytesIO(xlsx_report(spread_report, ChartCache(tmp_path))))
    footer_xml = document.sections[0].footer.paragraphs[0]._p.xml
    assert f" · {words[0]} " in footer_xml and f" {words[1]} " in footer_xml
    assert {ws.oddFooter.right.text for ws in book.worksheets} == {footer}


@pytest.mark.parametrize("language,row", [("fr", ["24/7", "oui", "2 sur 3"]), ("de", ["24/7", "ja", "2 von 3"]),
                                          ("en", ["24/7", "yes", "2 of 3"])])
def test_a_countrys_capabilities_against_the_network_read_in_its_language(app, language, row):
    from reports.page import position_capabilities

    position = {"capabilities": [{"label": "24/7", "own": True, "network": 2, "of": 3},
                                 {"label": "CMS", "own": None, "network": 1, "of": 3}]}
    with app.test_request_context(), in_language(language):
        rows = position_capabilities(position)
    assert rows[0] == row
    assert (rows[1][1] == "no answer") == (language == "en")


@pytest.mark.parametrize("language,marks", [("fr", {"oui", "non"}), ("de", {"ja", "nein"}), ("en", {"yes", "no"})])
def test_the_heatmaps_data_table_marks_in_place_in_the_readers_language(app, spread_report, language, marks):
    """The capability table under the heatmap says yes / no in the language of its caption ("oui = en place")."""
    from reports.page import capability_rows

    with app.test_request_context(), in_language(language):
        _, rows = capability_rows(spread_report)
    shown = {mark for row in rows for mark in row[1:]} - {"–"}
    assert shown and shown <= marks, shown


def test_a_tables_numbers_have_the_same_decimal_places_down_each_column():
    from reports.page import cells

    assert cells([["IE", 75.5, 1], ["LT", 64.0, 6], ["DK", 40.0, 12]]) == [
        ["IE", "75.5", "1"], ["LT", "64.0", "6"], ["DK", "40.0", "12"]]  # as the chart beside it prints them
    assert cells([["BE", 3.0], ["NL", 12.0]]) == [["BE", "3"], ["NL", "12"]]  # whole numbers stay whole
    assert cells([]) == []


def test_every_table_a_report_can_hold_has_a_sheet_name_of_its_own():
    """A table without one would have its key as its sheet's name ("workload", in every language)."""
    import re
    from pathlib import Path

    from reports import report
    from reports.exports import SHEET_NAMES

    keys = set(re.findall(r'add\("(\w+)", Table\(', Path(report.__file__).read_text()))
    assert {"maturity", "workload", "changes", "trend"} <= keys
    assert keys - set(SHEET_NAMES) == set()
