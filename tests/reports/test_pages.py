"""The report pages as each role sees them: secretariat everything, a Head of SPOC the network view (no league
tables or ranks unless turned on for the round) and their own index and position, other countries' own words
only where that country agreed when submitting; observers only released rounds."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from tests.reports.conftest import ANSWERS, EARLIER, make_structures_round


def test_secretariat_sees_the_whole_report_with_every_country_s_free_text(login_as, submitted_round):
    rid = submitted_round()
    c, _ = login_as("secretariat")
    index = c.get("/reports/").get_data(as_text=True)
    assert f"/reports/rounds/{rid}" in index and "3 of 4" in index
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Weighted mean of the item scores" in page  # the maturity method, printed
    assert f'/reports/rounds/{rid}/charts/heatmap.svg' in page and f'/reports/rounds/{rid}/charts/maturity.svg' in page
    assert 'alt="Heatmap of 3 key capabilities' in page
    for text in ("=SUM(A1:A9)", "NL SPOC", "Fast replies", "Co-location", "Quality check"):
        assert text in page
    assert "not shared" not in page and "Your country's position" not in page
    svg = c.get(f"/reports/rounds/{rid}/charts/heatmap.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<title" in svg.data
    png = c.get(f"/reports/rounds/{rid}/charts/q-units.png")
    assert png.data[:4] == b"\x89PNG"
    assert c.get(f"/reports/rounds/{rid}/charts/nothing.png").status_code == 404
    assert c.get(f"/reports/rounds/{rid}/charts/heatmap.gif").status_code == 404


def test_head_of_spoc_sees_the_network_view_with_own_index_and_own_words_only(login_as, submitted_round, api):
    rid = submitted_round()
    c, user = login_as("head_of_spoc", "NL")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Your country's position: NL" in page
    # no league table: no rank, no ranking chart, the index against the network's spread
    assert "rank <strong>" not in page and ">Rank<" not in page
    assert "16.7</strong>, in the bottom quarter of the network" in page
    assert "Maturity index over the network (no ranking)" in page and 'id="network-view"' in page
    assert f"/reports/rounds/{rid}/charts/maturity.svg" not in page
    assert c.get(f"/reports/rounds/{rid}/charts/maturity.svg").status_code == 404
    maturity = api(user).get(f"/api/v1/reports/rounds/{rid}?tables=maturity").get_json()
    assert [r["country"] for r in maturity["tables"][0]["records"]] == ["NL"] and maturity["league"] is False
    assert "NL SPOC" in page and "Co-location" in page  # their own words
    for text in ("=SUM(A1:A9)", "Fast replies", "Few staff", "Quality check", "Duty officer"):
        assert text not in page, text
    assert "only where that country agreed to share them" in page
    assert "Open 24/7?" in page  # choice answers of everyone are part of the comparison
    # the downloads follow the same rule
    rows = list(csv.reader(io.StringIO(c.get(f"/reports/rounds/{rid}/download.csv").data.decode("utf-8-sig"))))
    assert not [r for r in rows[1:] if r[1] != "NL" and r[4] in ("text", "long_text")]
    assert [str(rid), "NL", "name", "basics", "text", "", "NL SPOC", "NL SPOC"] in rows
    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"/reports/rounds/{rid}/download.xlsx").data))
    free = [[cell.value for cell in row] for row in wb["Free text"].iter_rows(min_row=2)]
    assert [r[2] for r in free] == ["NL"]
    assert [row[0].value for row in wb["Maturity"].iter_rows(min_row=2)] == ["NL"]
    assert "Rank" not in [cell.value for cell in wb["Maturity"][1]]


def test_a_country_s_own_words_are_shown_to_others_only_where_it_agreed(login_as, submitted_round):
    rid = submitted_round(consent=("BE",))
    c, _ = login_as("head_of_spoc", "NL")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Fast replies" in page and "=SUM(A1:A9)" in page and "Quality check" in page  # BE agreed
    assert "Shown here: BE, NL." in page
    de, _ = login_as("head_of_spoc", "DE")
    page = de.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Fast replies" in page and "NL SPOC" not in page and "Co-location" not in page  # NL did not


def test_a_round_released_to_observers_shows_them_only_the_words_countries_agreed_to_share(login_as,
                                                                                             submitted_round):
    rid = submitted_round(shared=True, consent=("BE",))
    observer, _ = login_as("observer")
    page = observer.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Fast replies" in page and "NL SPOC" not in page and "Co-location" not in page
    assert "Your country's position" not in page and "rank <strong>" not in page
    unreleased = submitted_round(consent=("BE",), title="Unreleased")
    assert observer.get(f"/reports/rounds/{unreleased}").status_code == 404



@pytest.mark.parametrize("role,country", [("head_of_spoc", "SE"), ("observer", None), ("respondent", "SE")])
def test_users_outside_the_round_get_404(login_as, submitted_round, role, country):
    rid = submitted_round()
    c, _ = login_as(role, country)
    for url in (f"/reports/rounds/{rid}", f"/reports/rounds/{rid}/charts/heatmap.svg",
                f"/reports/rounds/{rid}/download.xlsx"):
        assert c.get(url).status_code == 404, url
    assert f"/reports/rounds/{rid}" not in c.get("/reports/").get_data(as_text=True)


def test_a_country_without_submitted_answers_sees_where_its_position_will_be(login_as, submitted_round):
    rid = submitted_round()
    c, _ = login_as("head_of_spoc", "FR")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "FR has not submitted answers in this round" in page


def test_change_since_the_previous_round_is_shown(login_as, submitted_round):
    submitted_round(EARLIER, title="Small survey 2025", days_ago=300)
    rid = submitted_round(ANSWERS, title="Small survey 2026")
    c, _ = login_as("secretariat")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Change since Small survey 2025" in page
    # each column's numbers with one decimal place: 100.0 beside 33.3
    assert "<th scope=\"row\">BE</th><td>33.3</td><td>100.0</td><td>66.7</td><td>24/7</td>" in page


def test_downloads_open_as_spreadsheet_and_document(login_as, submitted_round):
    import docx

    rid = submitted_round()
    c, _ = login_as("secretariat")
    r = c.get(f"/reports/rounds/{rid}/download.xlsx")
    assert r.status_code == 200 and 'filename="report-' in r.headers["Content-Disposition"]
    assert len(openpyxl.load_workbook(io.BytesIO(r.data)).sheetnames) >= 10
    d = docx.Document(io.BytesIO(c.get(f"/reports/rounds/{rid}/download.docx").data))
    assert len(d.inline_shapes) == 7 and len(d.tables) > 5
    assert c.get(f"/reports/rounds/{rid}/download.pdf").status_code == 404
    r = c.get(f"/reports/rounds/{rid}/download.csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset named once
    for fmt in ("xlsx", "docx", "csv"):  # country answers: kept out of every cache
        assert "no-store" in c.get(f"/reports/rounds/{rid}/download.{fmt}").headers["Cache-Control"]


@pytest.fixture
def structures_round(app):
    """structures_round(shared=False) -> id of a round of the shipped questionnaire, BE and NL submitted."""
    return lambda shared=False: make_structures_round(app, ("BE", "NL"), shared=shared)


def test_head_of_spoc_reads_their_country_profile(login_as, structures_round, db):
    from portal.directory.models import Spoc

    structures_round()
    spoc = db.get(Spoc, "BE")
    spoc.name, spoc.phone_24_7, spoc.languages, spoc.head_name = "CGI", "+3226426380", "nl, fr, en", "Anne Dubois"
    db.commit()
    c, _ = login_as("head_of_spoc", "BE")
    page = c.get("/reports/countries/BE").get_data(as_text=True)
    for text in ("CGI", "+3226426380", "Anne Dubois", "Dutch, French, English", "SPOC composition", "24/7 availability",
                 "Channels", "Languages", "Case management", "Answers of", "round “Structures”",
                 "Is the SPOC operational 24 hours a day, 7 days a week?", "BE contact table"):
        assert text in page, text
    listing = c.get("/reports/countries").get_data(as_text=True)
    assert "/reports/countries/BE" in listing


def test_another_country_s_profile_hides_its_own_words_unless_it_agreed(login_as, structures_round):
    structures_round()
    c, _ = login_as("head_of_spoc", "NL")
    page = c.get("/reports/countries/BE").get_data(as_text=True)
    assert "SPOC composition" in page and "BE contact table" not in page
    assert "did not agree to share them" in page
    observer, _ = login_as("observer")
    assert observer.get("/reports/countries/BE").status_code == 404  # not released to observers
    assert c.get("/reports/countries/XX").status_code == 404


def test_a_country_that_agreed_shows_its_whole_profile_and_observers_read_it_once_released(login_as, app):
    make_structures_round(app, ("BE", "NL"), consent=("BE",), shared=True)
    c, _ = login_as("head_of_spoc", "NL")
    assert "BE contact table" in c.get("/reports/countries/BE").get_data(as_text=True)
    observer, _ = login_as("observer")
    page = observer.get("/reports/countries/BE").get_data(as_text=True)
    assert "SPOC composition" in page and "BE contact table" in page
    assert "NL contact table" not in observer.get("/reports/countries/NL").get_data(as_text=True)
    # the list links only the profiles an observer may open (FR has no released answers: its page is a 404)
    listing = observer.get("/reports/countries").get_data(as_text=True)
    assert 'href="/reports/countries/BE"' in listing and 'href="/reports/countries/NL"' in listing
    assert 'href="/reports/countries/FR"' not in listing and "France" in listing
    assert observer.get("/reports/countries/FR").status_code == 404


def test_a_country_without_answers_has_a_directory_only_profile(login_as):
    c, _ = login_as("head_of_spoc", "BE")
    page = c.get("/reports/countries/FR").get_data(as_text=True)
    assert "has not submitted answers" in page


def test_the_processes_show_automation_variants_and_the_derived_classification_with_its_rule(login_as, app):
    from tests.reports.conftest import make_structures_round

    rid = make_structures_round(app, countries=("BE", "NL", "FR", "DE"), title="Processes")
    c, _ = login_as("secretariat")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Classification (derived from all answers, Council document 9410/17 §4):" in page
    assert "when every country that described the process does it" in page
    for header in ("Always done", "In specific cases", "Automated", "Partly automated", "Manual", "In a variant",
                   "Classification (derived)"):
        assert f">{header}<" in page
    assert "Urgent request (Art. 4(4))" in page or "Through SIRENE" in page or "Through INTERPOL" in page


def test_the_round_s_marking_is_on_the_report_page_and_in_every_file(login_as, submitted_round, db):
    import docx

    from questionnaires.models import Round

    rid = submitted_round()
    db.get(Round, rid).marking = "LIMITE"
    db.commit()
    c, _ = login_as("head_of_spoc", "NL")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert 'title="Marking of the report">LIMITE</span>' in page
    d = docx.Document(io.BytesIO(c.get(f"/reports/rounds/{rid}/download.docx").data))
    assert d.sections[0].header.paragraphs[0].text == "LIMITE"
    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"/reports/rounds/{rid}/download.xlsx").data))
    assert all(ws.oddHeader.right.text == "LIMITE" for ws in wb.worksheets)


def _untokened(page: str) -> str:
    import re

    # every form token: the page head's and the hidden field of each form (the language switch's)
    page = re.sub(r'(<meta name="csrf-token" content=")[^"]+', r"\1", page)
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", page)


def test_the_kept_report_follows_its_rounds_answers_and_sharing(app, login_as, submitted_round):
    """The report is built once and kept under its rounds' fingerprint: an answer changed in the earlier
    round, a response reopened, or the round released to observers shows at once on the next opening."""
    from questionnaires.models import Round
    from questionnaires.services import responses

    earlier = submitted_round(EARLIER, title="Small survey 2025", days_ago=300)
    rid = submitted_round(ANSWERS, title="Small survey 2026", consent=("BE",))
    c, _ = login_as("secretariat")
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Change since Small survey 2025" in page and "<th scope=\"row\">BE</th><td>33.3</td>" in page
    # kept: the same (but for the form token in the page's head, signed with the second it was made in)
    assert _untokened(c.get(f"/reports/rounds/{rid}").get_data(as_text=True)) == _untokened(page)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:  # BE was already 24/7 in the earlier round after all
        response = responses.get_response(s, s.get(Round, earlier), "BE")
        responses.reopen(s, response, None, "Corrected")
        responses.save_answers(s, response, None, {**EARLIER["BE"], "h247": "yes"}, via="demo")
        assert responses.submit(s, response, None) == []
    changed = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert changed != page and "<th scope=\"row\">BE</th><td>33.3</td>" not in changed
    with database.unit_of_work() as s:  # DE's answers withdrawn for a correction
        responses.reopen(s, responses.get_response(s, s.get(Round, rid), "DE"), None, "Correction")
    de_row = "<th scope=\"row\">DE</th>"
    assert de_row in page and de_row not in c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    observer, _ = login_as("observer")
    assert observer.get(f"/reports/rounds/{rid}").status_code == 404
    with database.unit_of_work() as s:
        s.get(Round, rid).shared = True
    shown = observer.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Fast replies" in shown and "NL SPOC" not in shown  # BE's own words only: BE agreed
