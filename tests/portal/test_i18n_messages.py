"""Rule errors, report texts and messages in the reader's language (issue 19, item 12): a French or German user
reads a refusal beside its field, in the API's JSON and the activity and comparative reports in their language,
the values the message names filled in."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from docx import Document

from tests.conftest import PASSWORD, set_language
from tests.questionnaires.conftest import open_mini as open_mini  # the fixture
from tests.reports.conftest import make_structures_round


def _page(r) -> str:
    return html.unescape(r.get_data(as_text=True))


@pytest.mark.parametrize("lang,message", [
    ("fr", "Saisissez le numéro au format international, par exemple +32 2 123 45 67."),
    ("de", "Geben Sie die Nummer im internationalen Format ein, z. B. +32 2 123 45 67."),
])
def test_a_directory_rule_error_beside_its_field_is_translated(app, login_as, lang, message):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    r = c.post_form("/directory/FR/edit", {"name": "Changed name", "phone_24_7": "call me maybe"})
    page = _page(r)
    assert r.status_code == 422 and 'id="phone_24_7-error"' in page
    error = page[page.index('id="phone_24_7-error"'):][:300]
    assert message in error and "international form" not in page


@pytest.mark.parametrize("lang,message", [
    ("fr", "Utilisez au moins 10 caractères."), ("de", "Verwenden Sie mindestens 10 Zeichen."),
])
def test_an_accounts_rule_error_with_a_value_is_translated(app, login_as, lang, message):
    c, user = login_as("officer", "BE")
    set_language(app, user, lang)
    r = c.post_form("/account/password", {"current_password": PASSWORD, "new_password": "short", "confirm": "short"})
    page = _page(r)
    assert r.status_code == 422 and message in page and "Use at least" not in page


@pytest.mark.parametrize("lang,message", [
    ("fr", "Utilisez des codes de langue à deux lettres séparés par des virgules (pas english)."),
    ("de", "Verwenden Sie zweibuchstabige Sprachcodes, durch Kommas getrennt (nicht english)."),
])
def test_a_training_rule_error_with_a_value_is_translated_beside_its_field(app, login_as, db, lang, message):
    from sqlalchemy import select

    from portal.training.models import TrainingTopic
    from portal.training.services.topics import seed_topics

    with app.extensions["spoc_db"].unit_of_work() as session:
        seed_topics(session)
    siena = db.scalar(select(TrainingTopic.id).where(TrainingTopic.key == "siena"))
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, lang)
    r = c.post_form("/training/trainers/new", {"name": "Marie Lambert", "email": "marie@police.be",
                                               "organisation": "", "country_code": "BE", "topics": [str(siena)],
                                               "languages": "fr, english", "availability": "", "bio": ""})
    page = _page(r)
    assert r.status_code == 422 and message in page and "two-letter language codes" not in page


@pytest.mark.parametrize("lang,message", [
    ("fr", "Saisissez un montant en euros, par exemple 1250.00."),
    ("de", "Geben Sie einen Betrag in Euro ein, z. B. 1250.00."),
    ("en", "Enter an amount in euros, e.g. 1250.00."),
])
def test_a_funding_rule_error_is_in_the_language_of_the_request_that_shows_it(app, lang, message):
    """A rule error is looked up once, when it is shown: in the language of the page (or API call) that shows it;
    outside a request (the command line, the worker) in English, its English form kept on the error."""
    from portal.funding import services as funding

    def add_twelve(session):  # a cost line of "twelve" euros: refused, nothing written
        budget = funding.ensure_budget(session, "meeting", 1, 2026)
        funding.add_cost(session, budget, None, category="travel", kind="planned", amount="twelve")

    database = app.extensions["spoc_db"]
    with app.test_request_context(headers={"Accept-Language": lang}):
        with pytest.raises(funding.FundingError) as caught, database.unit_of_work() as session:
            add_twelve(session)
        assert str(caught.value) == message and caught.value.field == "amount"
    assert caught.value.english == "Enter an amount in euros, e.g. 1250.00."
    with pytest.raises(funding.FundingError) as caught, database.unit_of_work() as session:
        add_twelve(session)
    assert str(caught.value) == "Enter an amount in euros, e.g. 1250.00."
    with app.test_request_context(headers={"Accept-Language": "de" if lang == "fr" else "fr"}):
        assert str(caught.value) not in (message, caught.value.english)  # the reader's language, not the raiser's


@pytest.mark.parametrize("lang,message", [
    ("fr", "Quelqu'un a enregistré cette réponse depuis que vous l'avez lue : relisez-la, puis enregistrez."),
    ("de", "Jemand hat diese Antwort gespeichert, seit Sie sie gelesen haben: Lesen Sie sie erneut und speichern "
           "Sie dann."),
])
def test_the_api_answers_in_the_language_of_the_tokens_user(app, api, make_user, open_mini, lang, message):
    rid = open_mini()
    user = make_user("respondent", "BE")
    be = api(user)  # (it merges the fixture's user: its language is set afterwards)
    set_language(app, user, lang)
    url = f"/api/v1/rounds/{rid}/responses/BE"
    be.patch(url, json={"answers": {"staff": 12}, "version": 1})
    r = be.patch(url, json={"answers": {"staff": 13}, "version": 1})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "stale_version"
    assert r.get_json()["error"]["message"] == message


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["Rapport d'activité du réseau européen des chefs de SPOC", "Réunions du réseau des chefs de SPOC tenues "
            "pendant la période : 0.", "Thèmes abordés", "Points à l'ordre du jour par thème permanent",
            "Ouverts pendant la période : 0.", "Dépenses"],
     ["Activity report of the European", "held in the period", "Topics discussed", "Opened in the period",
      ">Spending<", "Counts for the period"]),
    ("de", ["Tätigkeitsbericht des Europäischen Netzes der SPOC-Leitungen", "Im Zeitraum abgehaltene Sitzungen des "
            "Netzes der SPOC-Leitungen: 0.", "Behandelte Themen", "Tagesordnungspunkte je ständigem Thema",
            "Im Zeitraum eröffnet: 0.", "Ausgaben"],
     ["Activity report of the European", "held in the period", "Topics discussed", "Opened in the period",
      ">Spending<", "Counts for the period"]),
])
def test_the_activity_report_sections_in_the_readers_language(app, login_as, lang, words, english):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    page = _page(c.get("/meetings/report?start=2026-01-01&end=2026-06-30"))
    for text in words:
        assert text in page, text
    for text in english:
        assert text not in page, text
    r = c.get("/meetings/report.docx?start=2026-01-01&end=2026-06-30")
    doc = Document(io.BytesIO(r.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert words[0] in text and words[2] in text and "Topics discussed" not in text


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["Indice de maturité sur l'ensemble du réseau (sans classement)", "Le plus bas", "Premier quartile",
            "L'indice de votre pays"],
     ["Maturity index over the network", ">Lowest<", "Lower quartile", "Your country's index"]),
    ("de", ["Reifegradindex über das Netz (ohne Rangfolge)", "Niedrigster", "Unteres Quartil", "Der Index Ihres Landes"],
     ["Maturity index over the network", ">Lowest<", "Lower quartile", "Your country's index"]),
])
def test_the_comparative_reports_table_titles_in_the_readers_language(app, login_as, lang, words, english):
    rid = make_structures_round(app, ("BE", "NL"))
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, lang)
    page = _page(c.get(f"/reports/rounds/{rid}"))
    for text in words:
        assert text in page, text
    for text in english:
        assert text not in page, text


@pytest.mark.parametrize("lang,message", [
    ("fr", "Bob Martin est désigné(e) ; le secrétariat confirmera."),
    ("de", "Bob Martin ist nominiert; das Sekretariat wird bestätigen."),
])
def test_a_training_flash_with_a_name_is_translated(app, login_as, lang, message):
    from portal.training.models import Activity
    from portal.training.services.topics import seed_topics

    start = dt.date.today() + dt.timedelta(days=30)
    with app.extensions["spoc_db"].unit_of_work() as session:
        seed_topics(session)
        activity = Activity(title="SIENA basics", format="online", start_date=start, end_date=start, place="",
                            capacity=10, status="open")
        session.add(activity)
        session.flush()
        aid = activity.id
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, lang)
    r = c.post_form(f"/training/activities/{aid}/nominations",
                    {"nominee_name": "Bob Martin", "nominee_email": "bob@police.be", "nominee_position": "",
                     "country_code": "BE"}, follow_redirects=True)
    page = _page(r)
    assert message in page and "is nominated" not in page
