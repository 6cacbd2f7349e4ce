"""A report built for a French or German reader has its charts' alt texts and notes, the maturity method and what
each answer scores, and the change table's title in that language, with the reader's decimal separator (issue 19,
item 12): in the DOCX, the XLSX and the round's report page, and no English one is left."""

from __future__ import annotations

import html
import io

import docx
import openpyxl
import pytest

from portal.i18n import in_language
from reports.chart_cache import ChartCache
from reports.document import docx_report
from reports.exports import xlsx_report
from reports.frame import tidy_frame
from reports.report import build_report
from tests.conftest import set_language
from tests.reports.conftest import ANSWERS, EARLIER

# what the reader reads, in French and German, and the English it replaces
EXPECTED = {
    "fr": {"ranking": "Classement de maturité, du plus élevé au plus bas : BE 100,0, DE 66,7, NL 16,7. BE est mis "
                      "en évidence.",
           "heatmap": "Carte thermique de 3 capacités clés (lignes) pour 3 pays (colonnes)",
           "units": "Diagramme en barres : Units Sur 2 pays ayant répondu :",
           "units_note": "Pays ayant répondu : 2 ; plusieurs réponses possibles",
           "formats": "Points moyens sur 2 pays (le premier des 3 choix obtient 3 points, le dernier 1)",
           "formats_note": "Points moyens, 2 pays ayant classé",
           "needs": "Diagramme en barres empilées : Training needs Pays par réponse, ligne par ligne :",
           "method": "Moyenne pondérée des notes des éléments", "scores": "Police = 1; Ministry = 0,5; Other, pas de "
                                                                       "réponse = 0",
           "changes": "Évolution depuis Round 2025"},
    "de": {"ranking": "Reifegrad-Rangfolge, höchster zuerst: BE 100,0, DE 66,7, NL 16,7. BE ist hervorgehoben.",
           "heatmap": "Heatmap von 3 Schlüsselfähigkeiten (Zeilen) für 3 Länder (Spalten)",
           "units": "Balkendiagramm: Units Von 2 antwortenden Ländern:",
           "units_note": "Antwortende Länder: 2; mehrere Antworten möglich",
           "formats": "Durchschnittliche Punkte über 2 Länder (die erste von 3 Auswahlmöglichkeiten erhält 3 Punkte",
           "formats_note": "Durchschnittliche Punkte, 2 Länder mit Rangfolge",
           "needs": "Gestapeltes Balkendiagramm: Training needs Länder je Antwort, Zeile für Zeile:",
           "method": "Gewichteter Mittelwert der Punktwerte", "scores": "Police = 1; Ministry = 0,5; Other, keine "
                                                                      "Antwort = 0",
           "changes": "Veränderung seit Round 2025"},
}
ENGLISH = ("Maturity ranking", "is highlighted", "Heatmap of", "Bar chart:", "Stacked bar chart", "countries answering",
           "Countries answering", "Average points", "Weighted mean", "no answer", "Change since", "This round")


def _build(small, language: str):
    return build_report(small, tidy_frame(small, ANSWERS, lang=language), title="Small SPOC survey",
                        subtitle="Round 2026", previous=[("Round 2025", small, tidy_frame(small, EARLIER))],
                        current_label="", highlight="BE", lang=language)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_charts_texts_are_in_the_readers_language(app, small, language):
    with app.test_request_context(), in_language(language):
        report = _build(small, language)
    want = EXPECTED[language]
    assert report.chart("maturity").alt == want["ranking"]
    assert report.chart("heatmap").alt.startswith(want["heatmap"])
    assert report.chart("q-units").alt.startswith(want["units"]) and report.chart("q-units").data["note"] == \
        want["units_note"]
    assert want["formats"] in report.chart("q-formats").alt
    assert report.chart("q-formats").data["note"] == want["formats_note"]
    assert report.chart("q-needs").alt.startswith(want["needs"])
    texts = [c.alt for c in report.charts] + [str(c.data.get("note", "")) for c in report.charts]
    assert not [t for t in texts if any(english in t for english in ENGLISH)]
    assert report.tables["changes"].title == want["changes"]
    assert list(report.tables["trend"].frame.columns) == ["Round 2025", {"fr": "Ce cycle", "de": "Diese Runde"}[language]]


def test_a_count_of_one_reads_in_the_singular(app, small):
    one = {"BE": ANSWERS["BE"]}
    for language, singular in (("en", "Of 1 country answering"), ("fr", "Sur 1 pays ayant répondu"),
                               ("de", "Von 1 antwortenden Land:")):
        with app.test_request_context(), in_language(language):
            report = build_report(small, tidy_frame(small, one), title="Small", lang=language)
        assert singular in report.chart("q-units").alt, language
    assert "Heatmap of 3 key capabilities (rows) for 1 country (columns)" in \
        build_report(small, tidy_frame(small, one), title="Small").chart("heatmap").alt


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_document_and_workbook_are_wholly_in_the_readers_language(app, small, tmp_path, language):
    with app.test_request_context(), in_language(language):
        report = _build(small, language)
        document = docx.Document(io.BytesIO(docx_report(report, ChartCache(tmp_path))))
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx_report(report, ChartCache(tmp_path))))
    want = EXPECTED[language]
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert descriptions[0] == want["ranking"] and descriptions[1].startswith(want["heatmap"])
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert want["method"] in text and want["scores"] in cells
    assert not [d for d in descriptions if any(english in d for english in ENGLISH)]
    assert not [e for e in ENGLISH if e in text or e in cells]
    values = "\n".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row
                       if c.value is not None)
    assert want["method"] in values and want["scores"] in values and want["changes"] in values
    assert not [e for e in ENGLISH if e in values]
    assert "classification, derived from the answers" not in values


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_round_report_page_is_wholly_in_the_readers_language(app, login_as, submitted_round, language):
    submitted_round(EARLIER, title="Round 2025", days_ago=30)
    rid = submitted_round(title="Round 2026")
    c, user = login_as("secretariat")
    set_language(app, user, language)
    page = html.unescape(c.get(f"/reports/rounds/{rid}").get_data(as_text=True))
    want = EXPECTED[language]
    assert want["method"] in page and want["scores"] in page and want["changes"] in page
    assert f'alt="{want["heatmap"]}' in page and want["units"] in page
    assert not [e for e in ENGLISH if e in page]
