"""Issue 19 items 10-12 outside case management: a day is written one way per language everywhere (pages, mails,
documents), the round report's DOCX/XLSX built by the worker and the API's table titles are in the requester's
language, and a country is named in the reader's language. English stays as it was."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import docx
import openpyxl
import pytest

from portal.dates import format_day, format_moment
from portal.mail import render_template
from tests.conftest import set_language
from tests.reports.conftest import make_structures_round

DAY = dt.date(2030, 1, 31)


@pytest.mark.parametrize("lang,day,moment", [
    ("en", "31 Jan 2030", "Thu 05 Sep 2030 14:30"),
    ("fr", "31 janv. 2030", "jeu. 5 sept. 2030 14:30"),
    ("de", "31. Jan. 2030", "Do. 5. Sept. 2030 14:30"),
])
def test_one_day_format_per_language(lang, day, moment):
    assert format_day(DAY, language=lang) == day == format_day("2030-01-31", language=lang)
    assert format_moment(dt.datetime(2030, 9, 5, 14, 30), "%a %d %b %Y %H:%M", lang) == moment


def test_outside_a_request_a_day_is_english_unless_a_language_is_forced(app):
    from flask_babel import force_locale

    assert format_day(DAY) == "31 Jan 2030"
    with app.app_context(), force_locale("fr"):  # the worker building a French report
        assert format_day(DAY) == "31 janv. 2030"


@pytest.mark.parametrize("lang,deadline,absent", [
    ("en", "Deadline: 31 Jan 2030.", "31/01/2030"),
    ("fr", "Date limite : 31 janv. 2030.", "31/01/2030"),
    ("de", "Frist: 31. Jan. 2030.", "31.01.2030"),
])
def test_a_mail_writes_the_day_as_the_pages_do(lang, deadline, absent):
    from types import SimpleNamespace

    round_ = SimpleNamespace(title="Structures 2030", deadline=DAY, version=SimpleNamespace(title="SPOC structures"))
    _subject, body = render_template("questionnaires/mail/invitation.txt", lang, round=round_, country_code="BE",
                                     url="https://portal.example/q", set_password_link=None, link_hours=48)
    assert deadline in body and absent not in body


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
     [" Jan ", " Feb ", " Apr ", " Aug ", " Dec "]),
    ("de", ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
     [" Oct ", " Dec "]),
])
def test_the_questionnaire_index_writes_deadlines_in_the_readers_language(app, login_as, lang, words, english):
    rid = make_structures_round(app, ("BE",))
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    page = html.unescape(c.get("/questionnaires/").get_data(as_text=True))
    with app.extensions["spoc_db"].unit_of_work() as session:
        from questionnaires.models import Round

        deadline = session.get(Round, rid).deadline
    assert format_day(deadline, language=lang) in page
    assert deadline.strftime("%d %b %Y") not in page or lang == "en"


def _french_build(c, rid, fmt):
    r = c.post_form(f"/reports/rounds/{rid}/build.{fmt}")
    status = c.get(r.headers["Location"]).get_data(as_text=True)
    return c.get(re.search(r'id="build-file" href="([^"]+)"', status).group(1)).data


def test_a_report_build_is_in_its_requesters_language(app, login_as):
    """A French requester's Word file, a German requester's workbook, then an English requester's Word file of
    the same round: each in its requester's language (the French file is not handed to the English reader)."""
    rid = make_structures_round(app, ("BE", "NL"))
    french, user = login_as("secretariat")
    set_language(app, user, "fr")
    d = docx.Document(io.BytesIO(_french_build(french, rid, "docx")))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert any("Indice de maturité" in h for h in headings) and not any(h.endswith("Maturity index") for h in headings)
    german, user = login_as("secretariat")
    set_language(app, user, "de")
    wb = openpyxl.load_workbook(io.BytesIO(_french_build(german, rid, "xlsx")))
    assert "Zahlen im Überblick" in wb.sheetnames and "Figures summary" not in wb.sheetnames
    english, _ = login_as("secretariat")
    d = docx.Document(io.BytesIO(_french_build(english, rid, "docx")))
    assert any(p.text.endswith("Maturity index") for p in d.paragraphs if p.style.name.startswith("Heading"))
    assert not any("Indice de maturité" in p.text for p in d.paragraphs)


def test_the_worker_builds_in_the_language_it_is_given_outside_a_request(app, make_user):
    from portal.jobs import get_queue
    from reports.models import ReportBuild
    from reports.services.builds import request_build

    rid = make_structures_round(app, ("BE", "NL"))
    user = make_user("secretariat")
    with app.extensions["spoc_db"].unit_of_work() as session:
        build_id = request_build(session, rid, "xlsx", user).id
    with app.app_context():  # no request: as the worker runs it
        get_queue().enqueue("reports.build", build_id, "de")
    with app.extensions["spoc_db"].read_session() as session:
        content = session.get(ReportBuild, build_id).content
    assert "Zahlen im Überblick" in openpyxl.load_workbook(io.BytesIO(content)).sheetnames


def test_the_api_titles_are_in_the_token_users_language(app, api, make_user):
    rid = make_structures_round(app, ("BE", "NL"))
    user = make_user("secretariat")
    client = api(user)  # (its token's making merges the fixture's user, language and all: set it afterwards)
    set_language(app, user, "fr")
    body = client.get(f"/api/v1/reports/rounds/{rid}").get_json()
    tables = {t["key"]: t for t in body["tables"]}
    assert tables["maturity"]["title"] == "Indice de maturité par pays"
    assert [c["title"] for c in tables["numeric_summary"]["columns"]][:2] == ["Identifiant de la question", "Question"]


def test_a_country_is_named_in_the_readers_language(app, login_as):
    from portal.directory.reference import country_name

    assert country_name("EL") == "Greece" and country_name("BE") == "Belgium"  # English: as before
    make_structures_round(app, ("BE", "NL"))
    for lang, words in (("fr", ["Belgique", "Pays-Bas", "Grèce"]), ("de", ["Belgien", "Niederlande", "Griechenland"])):
        c, user = login_as("secretariat")
        set_language(app, user, lang)
        page = c.get("/reports/countries").get_data(as_text=True)
        assert all(w in page for w in words), lang
        assert ">Belgium<" not in page and ">Greece<" not in page
        assert words[0] in c.get("/reports/countries/BE").get_data(as_text=True)
