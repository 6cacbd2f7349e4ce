"""Participation per country, topic and year: table, chart (PNG with alt text), CSV; the activity report section."""

from __future__ import annotations

import csv
import datetime as dt
import io

from portal.training.services.reports import participation


def _data(make_activity, make_nomination):
    a = make_activity(title="SIENA 2030", start=dt.date(2030, 3, 2), topic="siena", status="held")
    b = make_activity(title="SIS 2031", start=dt.date(2031, 5, 2), topic="sis_sirene", status="held")
    c = make_activity(title="Cancelled", start=dt.date(2031, 6, 2), topic="siena", status="cancelled")
    for cc, act in (("BE", a), ("BE", a), ("NL", a), ("BE", b), ("DE", b)):
        make_nomination(act, cc, "confirmed", attended=True)
    make_nomination(a, "NL", "confirmed", attended=False)  # absent: not counted
    make_nomination(b, "NL", "waiting")  # not a participant
    make_nomination(c, "BE", "confirmed")  # cancelled activity


def test_participation_per_country_topic_and_year(make_activity, make_nomination, db):
    _data(make_activity, make_nomination)
    data = participation(db)
    assert data.rows == [(2030, "BE", "SIENA", 2), (2030, "NL", "SIENA", 1), (2031, "BE", "SIS / SIRENE", 1),
                         (2031, "DE", "SIS / SIRENE", 1)]
    assert data.by(1) == {"BE": 3, "DE": 1, "NL": 1} and data.total == 5
    assert participation(db, 2031).total == 2


def test_report_page_chart_and_csv(login_as, make_activity, make_nomination):
    _data(make_activity, make_nomination)
    core, _ = login_as("trainer", "BE")
    page = core.get("/training/reports").get_data(as_text=True)
    assert 'src="/training/reports/participation.png"' in page
    assert 'alt="Stacked bar chart of 5 training participants across 3 countries and 2 topics; most participants: BE 3' in page
    assert "Participants per country and year" in page and "Participants per topic and year" in page
    png = core.get("/training/reports/participation.png?year=2031")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.reader(io.StringIO(core.get("/training/reports/participation.csv?year=2030").data.decode("utf-8-sig"))))
    assert rows == [["year", "country", "topic", "participants"], ["2030", "BE", "SIENA", "2"], ["2030", "NL", "SIENA", "1"]]
    page = core.get("/training/reports?year=2031").get_data(as_text=True)
    assert "in 2031" in page


def test_empty_report_still_has_a_chart(login_as):
    sec, _ = login_as("secretariat")
    assert "No participants recorded yet" in sec.get("/training/reports").get_data(as_text=True)
    assert sec.get("/training/reports/participation.png").data[:4] == b"\x89PNG"


def test_reports_are_for_the_core_group_and_secretariat(login_as):
    for role in ("head_of_spoc", "officer"):
        c, _ = login_as(role, "BE")
        assert c.get("/training/reports").status_code == 404
        assert c.get("/training/reports/participation.png").status_code == 404


def test_training_section_in_the_network_activity_report(make_activity, make_nomination, db):
    from portal.meetings.services.activity_report import build_report

    a = make_activity(title="SIENA for operators", start=dt.date.today() - dt.timedelta(days=20), status="held",
                      cepol_support=True, cepol_reference="CEPOL 9/2026")
    make_nomination(a, "BE", "confirmed", attended=True)
    make_nomination(a, "LT", "confirmed", attended=True)
    report = build_report(db, dt.date.today() - dt.timedelta(days=60), dt.date.today())
    (section,) = [s for s in report["sections"] if s["title"] == "Training"]
    assert section["paragraphs"][0].startswith("Training activities for SPOC staff in the period: 1, with 2 participants "
                                               "from 2 countries")
    assert section["tables"][0]["rows"][0][1] == "SIENA for operators"
    assert section["tables"][0]["rows"][0][4] == "yes (CEPOL 9/2026)"
    assert section["tables"][1]["rows"] == [["BE", 1], ["LT", 1]]


def test_report_chart_and_its_text_in_the_readers_language(app, login_as, make_activity, make_nomination):
    """The chart's title and axes and its alternative text follow the reader's language, like the page."""
    from tests.conftest import set_language

    _data(make_activity, make_nomination)
    core, user = login_as("trainer", "BE")
    set_language(app, user, "fr")
    page = core.get("/training/reports?year=2031").get_data(as_text=True)
    assert ('alt="Histogramme empilé de 2 participants aux formations en 2031, dans 2 pays et 1 thèmes' in page
            and "Stacked bar chart" not in page)
    french = core.get("/training/reports/participation.png?year=2031").data
    set_language(app, user, "en")
    english = core.get("/training/reports/participation.png?year=2031").data
    assert french[:8] == english[:8] == b"\x89PNG\r\n\x1a\n" and french != english  # drawn with other words
