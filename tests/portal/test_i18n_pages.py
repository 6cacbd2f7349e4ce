"""Whole pages in French and German (issue 19, item 12): the meetings pages, the reports, case management and the
printable questionnaire show their chrome in the reader's language, with no English left in the words tested."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from pypdf import PdfReader

from portal.accounts.models import User
from portal.db import utcnow
from tests.conftest import set_language
from tests.reports.conftest import make_structures_round

# per page: (French words, German words, English words that must be gone)
MEETING_PAGES = {
    "/meetings/{m}": (["Ordre du jour", "Date limite d'inscription", "Réponses et statut", "Ajouter un point à l'ordre du jour",
                       "Procès-verbal et actions", "Annuler la réunion"],
                      ["Tagesordnung", "Anmeldefrist", "Antworten und Status", "Einen Tagesordnungspunkt hinzufügen",
                       "Protokoll und Aktionspunkte", "Die Sitzung absagen"],
                      [">Agenda<", "Registration deadline", "Answers and status", "Add an agenda item", "Cancel the meeting",
                       "Invited:", "Upload a document"]),
    "/meetings/{m}/minutes": (["Procès-verbal : ", "Points d'action", "Modifier le procès-verbal du point 1"],
                              ["Protokoll: ", "Aktionspunkte", "Das Protokoll zu Punkt 1 bearbeiten"],
                              ["Minutes:", "Edit the minutes of item", "No action points."]),
    "/meetings/{m}/edit": (["Modifier « Heads of SPOC meeting »", "Date limite d'inscription", "Fuseau horaire",
                            "Marquage du procès-verbal"],
                           ["„Heads of SPOC meeting“ bearbeiten", "Anmeldefrist", "Zeitzone", "Kennzeichnung des Protokolls"],
                           ["Registration deadline", ">Time zone<", "Marking of the minutes", "Edit “"]),
    # the script's words and the Presidencies' names come with the page (data-texts, data-presidencies: JSON)
    "/meetings/new": (["Planifier la réunion", "Proposée selon le calendrier des présidences", "Lien en ligne",
                       "selon le calendrier", '"2026-2": "Irlande"'],
                      ["Die Sitzung planen", "Aus dem Vorsitzkalender vorgeschlagen", "Online-Link", "laut Kalender",
                       '"2026-2": "Irland"'],
                      ["Plan the meeting", "Proposed from the Presidency calendar", "Online link", "from the calendar:",
                       "Ireland"]),
    "/meetings/report?start=2026-01-01&end=2026-12-31": (["Rapport d'activité", "Période : du"],
                                                                 ["Tätigkeitsbericht", "Zeitraum:"],
                                                                 ["Period:", ">Activity report<"]),
}


def _meeting(app, secretariat) -> int:
    from portal.meetings.services import agenda
    from portal.meetings.services import meetings as service

    day = (utcnow() + dt.timedelta(days=30)).date()
    with app.extensions["spoc_db"].unit_of_work() as session:
        actor = session.get(User, secretariat.id)  # not a merge: that would put back the language of the fixture
        meeting = service.create_meeting(
            session, actor, title="Heads of SPOC meeting", timezone="Europe/Brussels",
            start=dt.datetime.combine(day, dt.time(9)), end=dt.datetime.combine(day, dt.time(17)),
            deadline=day - dt.timedelta(days=7), venue="Brussels")
        agenda.add_item(session, meeting, actor, title="Obstacles", topic="obstacles",
                        presenter="BE", day=day, start_time=dt.time(9), end_time=dt.time(10))
        return meeting.id


def _check(page: str, present: list[str], absent: list[str], where: str) -> None:
    page = html.unescape(page)  # d&#39;inscription is read as d'inscription
    for words in present:
        assert words in page, (where, words)
    for words in absent:
        assert words not in page, (where, words)


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_meetings_pages_in_the_users_language(app, login_as, lang):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    mid = _meeting(app, user)
    for url, (french, german, english) in MEETING_PAGES.items():
        r = c.get(url.format(m=mid))
        assert r.status_code == 200, url
        _check(r.get_data(as_text=True), french if lang == "fr" else german, english, url)


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_report_pages_in_the_users_language(app, login_as, lang):
    rid = make_structures_round(app, ("BE", "NL"))
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, lang)
    page = c.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    french = ["2 pays sur 2 ont soumis leurs réponses", "Position de votre pays : BE", "Indice de maturité",
              "Vue du réseau", "Capacité", "Messages reçus", "Effectif pour 1 000 messages"]
    german = ["2 von 2 Ländern haben ihre Antworten übermittelt", "Position Ihres Landes: BE", "Reifegradindex",
              "Netzansicht", "Fähigkeit", "Eingegangene Nachrichten", "Personal je 1.000 Nachrichten"]
    _check(page, french if lang == "fr" else german,
           ["countries submitted", "Your country's position", "The network view", ">Capability<", "network median",
            "messages_in", "staff_per_1000_messages"],
           "round report")
    profile = c.get("/reports/countries/BE").get_data(as_text=True)
    _check(profile, ["profil de pays", "Contact (annuaire)"] if lang == "fr" else ["Länderprofil", "Kontakt (Verzeichnis)"],
           ["country profile", "Answers of", "Comparative report of"], "country profile")


def test_the_report_body_is_kept_per_language(app, login_as, make_user):
    """The body is rendered once per built report and viewer: a French reader does not get the English one."""
    rid = make_structures_round(app, ("BE", "NL"))
    english, _ = login_as("head_of_spoc", "BE")
    assert "Your country's position: BE" in english.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    french, user = login_as("head_of_spoc", "BE")
    set_language(app, user, "fr")
    page = french.get(f"/reports/rounds/{rid}").get_data(as_text=True)
    assert "Position de votre pays : BE" in page and "Your country's position" not in page


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_case_management_in_the_users_language(app, login_as, lang):
    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import Uploads, register_incoming_message
    from tests.casemgmt.conftest import make_payload

    c, user = login_as("officer", "BE")
    set_language(app, user, lang)
    data, errors = validate_intake(make_payload(urgent=True, urgency_ground="life_or_physical_integrity",
                                                information_access="direct"))
    assert not errors, errors
    uploads = Uploads(app.config["UPLOAD_FOLDER"], 10 * 1024 * 1024)
    with app.extensions["spoc_db"].unit_of_work() as session:
        number = register_incoming_message(session, "BE", data, None, uploads=uploads).case.registration_number
    pages = {
        "/cases/": (["Dossiers du SPOC Belgique", "Boîte de réception", "Action requise de notre part", "Sélectionner " + number,
                     "Échéance le", "Par délai légal", "urgent"],
                    ["Vorgänge des SPOC Belgien", "Posteingang", "Handlungsbedarf bei uns", number + " auswählen",
                     "Fällig am", "Nach gesetzlicher Frist", "dringend"],
                    ["Cases of the SPOC", ">Inbox<", "Needs our action", "Select " + number, ">Due ", " left<",
                     "By legal deadline"]),
        "/cases/search?q=Kowalski&run=1": (["Rechercher dans les dossiers du SPOC Belgique", "Filtres", "Boîte de réception"],
                                           ["In den Vorgängen des SPOC Belgien suchen", "Filter", "Posteingang"],
                                           ["Search the cases of the SPOC", ">Filters<", "case(s) found"]),
        f"/cases/{number}": (["Délai légal (", "Reçu le", "Ajouter une note", "Répondre au demandeur"],
                             ["Gesetzliche Frist (", "Eingegangen am", "Eine Notiz hinzufügen",
                              "Der ersuchenden Stelle antworten"],
                             ["Legal deadline (", "Received ", ">Add a note<", "Reply to the requester"]),
    }
    for url, (french, german, english) in pages.items():
        r = c.get(url)
        assert r.status_code == 200, url
        _check(r.get_data(as_text=True), french if lang == "fr" else german, english, url)


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["questionnaire vierge", "Cycle « Structures »", "page 1 sur"], ["blank questionnaire", "page 1 of"]),
    ("de", ["leerer Fragebogen", "Runde „Structures“", "Seite 1 von"], ["blank questionnaire", "page 1 of"]),
])
def test_the_printable_questionnaire_has_its_chrome_in_its_language(app, login_as, lang, words, english):
    rid = make_structures_round(app, ("BE",))
    c, _ = login_as("head_of_spoc", "BE")  # an English reader: the document's language decides
    r = c.get(f"/questionnaires/rounds/{rid}/blank.pdf?lang={lang}")
    assert r.status_code == 200
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.data)).pages)
    _check(text, words, english, "blank PDF")


def test_the_response_page_names_each_language_in_itself(app, login_as):
    rid = make_structures_round(app, ("BE",))
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, "de")
    page = c.get(f"/questionnaires/rounds/{rid}/responses/BE").get_data(as_text=True)
    switcher = page[page.index('id="language"'):]
    switcher = switcher[:switcher.index("</select>")]
    for name in ("English", "Français", "Deutsch"):
        assert name in switcher
    assert "Version 1" in page and "· version 1" not in page


@pytest.mark.parametrize("lang,message", [
    ("fr", "La réunion « Autumn meeting » est planifiée."),
    ("de", "Die Sitzung „Autumn meeting“ ist geplant."),
])
def test_a_flash_message_with_values_is_translated(app, login_as, lang, message):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    r = c.post_form("/meetings/new", {"title": "Autumn meeting", "start": "2026-10-06T09:30", "end": "2026-10-06T17:00",
                                      "timezone": "Europe/Brussels", "venue": "Brussels", "presidency_code": "",
                                      "online_url": "", "registration_deadline": "", "description": "", "clone_from": ""},
                    follow_redirects=True)
    page = r.get_data(as_text=True)
    assert message in page and "is planned" not in page


@pytest.mark.parametrize("lang,message", [
    ("fr", "La fin doit être postérieure au début."),
    ("de", "Das Ende muss nach dem Beginn liegen."),
])
def test_a_meetings_rule_error_beside_its_field_is_translated(app, login_as, lang, message):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    r = c.post_form("/meetings/new", {"title": "Autumn meeting", "start": "2026-10-06T09:30", "end": "2026-10-06T08:00",
                                      "timezone": "Europe/Brussels", "venue": "Brussels", "presidency_code": "",
                                      "online_url": "", "registration_deadline": "", "description": "", "clone_from": ""})
    page = html.unescape(r.get_data(as_text=True))
    assert r.status_code == 422 and message in page and "The end must be after the start." not in page


# ---- the training, directory and task-queue pages (issue 19, item 12) ----

def _training_activity(app) -> int:
    """An open activity of last week with two confirmed nominations (one attended) and one waiting."""
    from sqlalchemy import select

    from portal.training.models import Activity, Nomination, TrainingTopic
    from portal.training.services.topics import seed_topics

    start = dt.date.today() - dt.timedelta(days=7)
    with app.extensions["spoc_db"].unit_of_work() as session:
        seed_topics(session)
        topic = session.scalar(select(TrainingTopic).where(TrainingTopic.key == "siena"))
        activity = Activity(title="SIENA basics", format="classroom", start_date=start,
                            end_date=start + dt.timedelta(days=5), place="", capacity=10, status="open",
                            topic_id=topic.id, cepol_support=True, cepol_reference="CEPOL 9/2026")
        session.add(activity)
        session.flush()
        for n, (status, attended) in enumerate((("confirmed", True), ("confirmed", None), ("waiting", None))):
            session.add(Nomination(activity_id=activity.id, country_code="BE", status=status, attended=attended,
                                   nominee_name=f"Nominee {n}", nominee_email=f"n{n}@spoc.test"))
        return activity.id


TRAINING_PAGES = {
    "/training/": (["Formation du personnel des SPOC", "Planifier une activité", "En ligne"],
                   ["Fortbildung für SPOC-Personal", "Eine Maßnahme planen", "Online"],
                   ["Topics &amp; quota", "Topics & quota"]),
    "/training/activities/{a}": (["2 places occupées", "Oui, référence CEPOL 9/2026", "En ligne", "Présent",
                                  "Demander leur évaluation aux participants"],
                                 ["2 Plätze belegt", "Ja, Referenz CEPOL 9/2026", "Online", "Anwesend",
                                  "Die Teilnehmenden um Rückmeldung bitten"],
                                 ["places taken", "Yes, reference", "Ask the participants for feedback",
                                  " per country", "nominated "]),
    "/training/calendar": (["Activités de formation en ", "une case par jour", "lun."],
                           ["Fortbildungsmaßnahmen im ", "eine Zelle je Tag", "Mo."],
                           ["Training activities in", ">Mon<", ">Sun<"]),
    "/training/trainers": (["0 formateur trouvé."], ["0 Trainer gefunden."], ["trainers found", "trainer found"]),
    "/training/settings": (["Thèmes et quota"], ["Themen und Kontingent"], ["Topics &amp; quota", 'aria-label="Topic ']),
    "/directory/": (["Marquages des documents du réseau"], ["Kennzeichnungen der Unterlagen des Netzes"],
                    ["Markings of network material", "the list authors choose from"]),
    "/directory/markings": (["Marquages, un par ligne", "Enregistrer la liste", "« Aucun » est toujours proposé."],
                            ["Kennzeichnungen, eine je Zeile", "Liste speichern", "„Keine“ wird immer angeboten."],
                            ["Markings, one a line", "Save the list", "is always offered", "At most 60 characters"]),
    "/directory/BE/edit": (["Modifier le SPOC – "], ["SPOC bearbeiten – "], ["Edit the SPOC of"]),
}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_training_and_directory_pages_in_the_users_language(app, login_as, lang):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    aid = _training_activity(app)
    for url, (french, german, english) in TRAINING_PAGES.items():
        r = c.get(url.format(a=aid))
        assert r.status_code == 200, url
        _check(r.get_data(as_text=True), french if lang == "fr" else german, english, url)


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Tâches d'arrière-plan", "Tâches en attente :", "pas encore envoyé", "file d'attente :"]),
    ("de", ["Hintergrundaufträge", "Aufträge wartend", "noch nicht versandt", "Warteschlange:"]),
])
def test_the_jobs_page_in_the_users_language(app, login_as, lang, words):
    c, user = login_as("admin")
    set_language(app, user, lang)
    r = c.get("/admin/jobs")
    assert r.status_code == 200
    _check(r.get_data(as_text=True), words, ["jobs waiting", "not sent yet", "(queue:"], "/admin/jobs")


@pytest.mark.parametrize("lang,words", [
    ("fr", ["date limite", "Soumises : 2", "Non commencées : 0", "Clore le cycle", "PDF vierge (EN)",
            "Classements et rangs dans le rapport : désactivés (vue du réseau)"]),
    ("de", ["Frist", "2 übermittelt", "0 nicht begonnen", "Die Runde schließen", "Leeres PDF (EN)",
            "Ranglisten und Rangplätze im Bericht: aus (Netzansicht)"]),
])
def test_the_round_page_in_the_users_language(app, login_as, lang, words):
    rid = make_structures_round(app, ("BE", "NL"))
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    r = c.get(f"/questionnaires/rounds/{rid}")
    assert r.status_code == 200
    _check(r.get_data(as_text=True), words, ["· deadline", " submitted<", " not started<", "Close the round",
                                             "Blank PDF", "League tables and ranks in the report"], "round page")


QUESTIONNAIRE_PAGES = {
    "/questionnaires/": (["Une version publiée ne change jamais", "spoc questionnaire publish FILE.yaml"],
                         ["Eine veröffentlichte Version ändert sich nie", "spoc questionnaire publish FILE.yaml"],
                         ["A published version never changes", "makes a new version"]),
    "/questionnaires/import": (["Téléversez une définition dans notre format YAML (voir",
                                "<code>questionnaires/FORMAT.md</code>", "les cycles gardent la leur"],
                               ["Laden Sie eine Definition in unserem YAML-Format (siehe",
                                "<code>questionnaires/FORMAT.md</code>", "Runden behalten ihre Version"],
                               ["Upload a definition", "It is checked whole", "rounds keep theirs"]),
}


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_questionnaire_index_and_import_pages_in_the_users_language(app, login_as, lang):
    make_structures_round(app, ("BE",))
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    for url, (french, german, english) in QUESTIONNAIRE_PAGES.items():
        r = c.get(url)
        assert r.status_code == 200, url
        _check(r.get_data(as_text=True), french if lang == "fr" else german, english, url)


@pytest.mark.parametrize("lang,words", [
    ("fr", ["La réponse est verrouillée.", "Dans les rapports, les autres pays ne voient que vos choix",
            "Historique de cette réponse ("]),
    ("de", ["Die Antwort ist gesperrt.", "Die anderen Länder sehen in den Berichten nur Ihre Auswahl",
            "Verlauf dieser Antwort ("]),
])
def test_a_submitted_response_says_its_state_and_consent_in_the_users_language(app, login_as, lang, words):
    rid = make_structures_round(app, ("BE",))
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, lang)
    page = c.get(f"/questionnaires/rounds/{rid}/responses/BE").get_data(as_text=True)
    _check(page, words, ["The response is locked", "The other countries see only", "History of this response",
                         " by ", "deadline "], "submitted response")


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Envoyer mon évaluation", "En ligne", "(obligatoire)",
            "Dans l'ensemble, comment évaluez-vous cette activité de formation ?"]),
    ("de", ["Meine Rückmeldung senden", "Online", "(Pflichtfeld)", "Wie bewerten Sie diese Fortbildungsmaßnahme insgesamt?"]),
])
def test_the_feedback_form_in_the_participants_language(app, login_as, client, lang, words):
    """A participant has no account: the browser's language; the shipped questionnaire's questions in it too (it
    carries French and German texts since its version 2)."""
    import re

    from sqlalchemy import select

    from portal.mail import OutboxMessage

    aid = _training_activity(app)
    core, _ = login_as("secretariat")
    core.post_form(f"/training/activities/{aid}/feedback-requests")
    with app.extensions["spoc_db"].read_session() as session:
        body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.subject.like("Your feedback%"))).first()
    link = re.search(r"http://portal\.test(/training/feedback/\S+)", body).group(1)
    page = client.get(link, headers={"Accept-Language": lang}).get_data(as_text=True)
    _check(page, words, ["Send my feedback", "(required)", "Overall, how would you rate this training activity?"],
           "feedback form")


@pytest.mark.parametrize("lang,yes,no", [("fr", "Oui", "Non"), ("de", "Ja", "Nein")])
def test_a_yes_no_question_is_answered_in_the_questionnaires_language(app, login_as, lang, yes, no):
    """The yes/no choices are the question type's own (not the questionnaire's lists): said in the language the
    response is shown in, on the form and in the answers, not "Yes"/"No" whatever the language."""
    import re

    rid = make_structures_round(app, ("BE",))
    c, user = login_as("respondent", "BE")
    set_language(app, user, lang)
    page = html.unescape(c.get(f"/questionnaires/rounds/{rid}/responses/BE?lang={lang}").get_data(as_text=True))
    answers = re.findall(r'<dd class="col-md-7">\s*(Yes|No|Oui|Non|Ja|Nein)\s*<', page)
    assert yes in answers and not {"Yes", "No"} & set(answers), answers


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["État membre de l'UE", "Belgique"], ["EU Member State", "Belgium"]),
    ("de", ["EU-Mitgliedstaat", "Belgien"], ["EU Member State", "Belgium"]),
])
def test_a_countrys_status_and_the_action_filters_are_in_the_users_language(app, login_as, lang, words, english):
    c, user = login_as("secretariat")
    set_language(app, user, lang)
    country = c.get("/directory/BE").get_data(as_text=True)  # "SPOC Belgium" is the SPOC's name as recorded
    _check(country, words, [english[0], f"<h1 class=\"h3\">{english[1]}"], "/directory/BE")
    index = c.get("/directory/").get_data(as_text=True)  # the countries and presidencies by their names
    _check(index, [words[1]], [f">{english[1]}<"], "/directory/")
    actions = c.get("/meetings/actions").get_data(as_text=True)
    _check(actions, ["Ouvertes (en retard comprises)" if lang == "fr" else "Offen (überfällige eingeschlossen)"],
           ["Open (overdue included)"], "/meetings/actions")


def test_the_reports_index_counts_and_names_the_version_in_the_users_language(app, login_as):
    make_structures_round(app, ("BE",))
    c, user = login_as("secretariat")
    set_language(app, user, "de")
    page = html.unescape(c.get("/reports/").get_data(as_text=True))
    assert "(Version 1)" in page and "(version 1)" not in page
    assert " von 31<" in page or " von 1<" in page, "a round's count of submitted responses"
    assert " of 31<" not in page and " of 1<" not in page
