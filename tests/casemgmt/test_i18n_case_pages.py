"""The case module wholly in the reader's language (issue 19, items 10-12): country names, the options of
the case forms, the validation messages of entities and of the intake, the four-eyes drafts, the statistics
charts and the API's own error messages, in French and German; English stays as it was."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from casemgmt.models import Approval
from casemgmt.services.settings import set_setting
from portal.directory.reference import country_name
from tests.casemgmt.conftest import make_payload
from tests.conftest import set_language


def _options(page: str, name: str) -> dict[str, str]:
    """value -> shown label of the options of the select named `name`."""
    select_ = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select_, name
    return {v: html.unescape(label).strip()
            for v, label in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>(.*?)</option>', select_.group(1), re.S)}


@pytest.mark.parametrize("lang,names", [
    ("fr", {"EL": "Grèce", "DK": "Danemark", "DE": "Allemagne", "US": "États-Unis"}),
    ("de", {"EL": "Griechenland", "DK": "Dänemark", "DE": "Deutschland", "US": "Vereinigte Staaten"}),
    ("en", {"EL": "Greece", "DK": "Denmark", "CZ": "Czechia", "US": "United States"}),
])
def test_a_country_is_named_in_the_readers_language(lang, names):
    for code, name in names.items():
        assert country_name(code, language=lang) == name
    assert country_name("XX", language=lang) == "XX" and country_name(None, language=lang) == ""


@pytest.mark.parametrize("lang,ground,country,english", [
    ("fr", "Menace imminente pour la vie ou l'intégrité physique", "Allemagne", "Imminent threat to life"),
    ("de", "Unmittelbare Gefahr für Leib oder Leben", "Deutschland", "Imminent threat to life"),
])
def test_the_options_of_the_case_forms_are_in_the_users_language(app, login_as, intake, lang, ground, country,
                                                                 english):
    _, number, _ = intake("BE", subject="Options check")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    assert _options(page, "ev-urgency_ground")["life_or_physical_integrity"] == ground
    assert english not in html.unescape(page)
    intake_page = client.get("/cases/new").get_data(as_text=True)
    assert _options(intake_page, "counterpart_country")["DE"] == country
    # a list written in the form (marked N_), not an enumeration
    assert _options(page, "pr-priority")["1"] == {"fr": "1 – critique", "de": "1 – kritisch"}[lang]


@pytest.mark.parametrize("lang,required,iban,vehicle,missing_case", [
    ("fr", "Ce champ est obligatoire.", "n'est pas un IBAN valide", "un véhicule nécessite une plaque",
     "Cette affaire n'existe pas, ou vous n'êtes pas autorisé à la consulter."),
    ("de", "Dieses Feld ist erforderlich.", "ist keine gültige IBAN", "ein Fahrzeug braucht ein Kennzeichen",
     "Diesen Fall gibt es nicht, oder Sie dürfen ihn nicht einsehen."),
])
def test_the_api_says_what_is_wrong_with_an_entity_in_the_token_users_language(app, api, make_user, intake, lang,
                                                                                 required, iban, vehicle,
                                                                                 missing_case):
    officer = make_user("officer", "BE")
    client = api(officer)
    _, number, _ = intake("BE", officer)
    set_language(app, officer, lang)
    r = client.post(f"/api/v1/cases/{number}/entities", json={"entity": {"kind": "person"}, "justification": "j"})
    assert r.status_code == 422 and r.get_json()["error"]["fields"]["entity.person.surname"] == required
    r = client.post(f"/api/v1/cases/{number}/entities",
                    json={"entity": {"kind": "bank_account", "iban": "BE00 0000 0000 0000"}, "justification": "j"})
    assert r.status_code == 422 and iban in r.get_json()["error"]["fields"]["entity.bank_account.iban"]
    r = client.post("/api/v1/cases/intake", json=make_payload(entities=[{"kind": "vehicle"}]))
    assert r.status_code == 422 and vehicle in " ".join(r.get_json()["error"]["fields"].values())
    r = client.get("/api/v1/cases/BE-1999-999999")
    assert r.status_code == 404 and r.get_json()["error"] == {"code": "not_found", "message": missing_case,
                                                              "fields": {}}


def test_a_validation_message_stays_english_for_an_english_reader(api, make_user, intake):
    officer = make_user("officer", "BE")
    _, number, _ = intake("BE", officer)
    r = api(officer).post(f"/api/v1/cases/{number}/entities", json={"entity": {"kind": "vehicle"},
                                                                     "justification": "j"})
    assert r.status_code == 422 and "a vehicle needs a plate or a VIN" in r.get_json()["error"]["fields"].values()


REFUSAL = {"xm-exchange": "1", "xm-type": "refusal", "xm-refusal_grounds": "a",
           "xm-body": "The information is not available to us.", "xm-justification": "not held"}


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["Refus dans {number}/1 :", "Refus (art. 6)", "en attente d'approbation"], "Refusal in"),
    ("de", ["Ablehnung in {number}/1:", "Ablehnungen (Art. 6)", "wartet auf Genehmigung"], "Refusal in"),
])
def test_a_draft_waiting_for_approval_reads_in_the_approvers_language(app, api, make_user, login_as, db, lang,
                                                                      words, english):
    r = api(make_user("officer", "BE")).post("/api/v1/cases/intake", json=make_payload())
    number = r.get_json()["registration_number"]
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "four_eyes", ["refusal"])
    officer, _ = login_as("officer", "BE")
    assert officer.post_form(f"/cases/{number}/exchanges/messages", REFUSAL).status_code == 302
    db.rollback()
    (approval,) = db.scalars(select(Approval)).all()
    assert approval.summary.startswith("Refusal in")  # stored as it was: English, the fallback of an old row
    supervisor, user = login_as("supervisor", "BE")
    set_language(app, user, lang)
    page = html.unescape(supervisor.get("/cases/approvals").get_data(as_text=True))
    for text in words:
        assert text.format(number=number) in page, text
    assert english not in page and "The information is not available to us." in page  # the text as typed


@pytest.mark.parametrize("lang,title,column,english", [
    ("fr", "Affaires par canal, {year}", "Canal", "Cases by channel"),
    ("de", "Fälle nach Kanal, {year}", "Kanal", "Cases by channel"),
])
def test_the_statistics_charts_are_titled_in_the_users_language(app, login_as, intake, lang, title, column,
                                                                english):
    intake("BE", channel="SIENA")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    year = dt.datetime.now(dt.UTC).year
    page = html.unescape(client.get(f"/cases/statistics?year={year}").get_data(as_text=True))
    alt = re.search(r'<img class="chart-img"[^>]*name=channel[^>]*alt="([^"]*)"', page)
    assert alt and alt.group(1).startswith(title.format(year=year)) and "SIENA (Europol): 1" in alt.group(1)
    assert f'<th scope="col">{column}</th>' in page and english not in page
    png = client.get(f"/cases/statistics/chart.png?name=channel&year={year}")
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"


@pytest.mark.parametrize("lang,words", [
    ("fr", {"state": ("waiting", "En attente"), "action": ("collection", "Collecte")}),
    ("de", {"state": ("waiting", "Wartend"), "action": ("collection", "Erhebung")}),
])
def test_the_search_and_access_log_filters_are_in_the_users_language(app, login_as, lang, words):
    client, user = login_as("supervisor", "BE")
    set_language(app, user, lang)
    search = client.get("/cases/search").get_data(as_text=True)
    value, label = words["state"]
    assert _options(search, "state")[value] == label
    log = client.get("/cases/access-log").get_data(as_text=True)
    value, label = words["action"]
    assert _options(log, "action")[value] == label


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["Entrant : Demande", "Reçu : Demande", ">inconnu<", "<td>Personne", "signaler comme inexact",
            " · naissance 19"], ["Incoming", "Received: ", ">unknown<", "<td>person", "flag inaccurate", " · born "]),
    ("de", ["Eingehend: Ersuchen", "Eingegangen: Ersuchen", "<td>Person", "als unrichtig kennzeichnen", " · geb. 19"],
     ["Incoming", "Received: ", ">unknown<", "<td>person", "flag inaccurate", " · born "]),
    ("en", ["Incoming: Request", "Received: Request", ">unknown<", "<td>Person", "flag inaccurate"], ["<td>person"]),
])
def test_the_case_folder_says_which_way_each_exchange_and_message_went_in_the_readers_language(
        app, login_as, intake, lang, words, english):
    """The exchanges' and messages' direction and a person's data-subject category (LED Art. 6) by their labels in
    the reader's language, not English words or stored codes written in the template."""
    _, number, _ = intake("BE", subject="Direction check")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    page = html.unescape(client.get(f"/cases/{number}").get_data(as_text=True))
    folder = page[page.find('id="exchanges"'):page.find('id="case-log"') if 'id="case-log"' in page else None]
    for word in words:
        assert word in folder, word
    for word in english:
        assert word not in folder, word


@pytest.mark.parametrize("lang,intake_words,case_words", [
    ("fr", ["Référence du canal", "Reçu le", "Pays de l'interlocuteur", "Demande urgente (art. 4, paragraphe 4)",
            "Adresses postales", "Une par ligne : rue ; numéro ; code postal ; ville ; pays (p. ex. BE)."],
     ["Catégorie de personne concernée", "Prénoms", "Immatriculation", "Titulaire du compte",
      "(a) non disponibles pour le SPOC ou les autorités compétentes"]),
    ("de", ["Referenz des Kanals", "Empfangen am", "Land der Gegenstelle", "Dringendes Ersuchen (Art. 4 Abs. 4)",
            "Postanschriften", "Eine pro Zeile: Straße; Nummer; Postleitzahl; Ort; Land (z. B. BE)."],
     ["Kategorie der betroffenen Person", "Vornamen", "Kennzeichen", "Kontoinhaber"]),
])
def test_the_officers_forms_are_labelled_in_the_readers_language(app, login_as, intake, lang, intake_words,
                                                                  case_words):
    """The case module's forms (the intake form, a case's entity and exchange forms) are WTForms fields labelled
    with plain strings: their labels and hints are in the catalogues (portal/i18n.py gathers every field's) and
    shown in the reader's language, not in English."""
    _, number, _ = intake("BE", subject="Labels check")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    new = html.unescape(client.get("/cases/new").get_data(as_text=True))
    for word in intake_words:
        assert word in new, word
    for english in ("Channel reference", "Received at", "Postal addresses", "One per line"):
        assert english not in new, english
    case = html.unescape(client.get(f"/cases/{number}").get_data(as_text=True))
    for word in case_words:
        assert word in case, word
    for english in ("Data-subject category", "Given names", "Account holder", "(a) not available to the SPOC"):
        assert english not in case, english


@pytest.mark.parametrize("lang,words,english", [
    ("fr", ["Lancer la vérification croisée maintenant", "(à la réception)", "sources : les dossiers du SPOC."],
     ["Run the cross-check now", "(intake)", "sources : cases."]),
    ("de", ["Abgleich jetzt ausführen", "(beim Eingang)", "Quellen: die Fälle des SPOC."],
     ["Run the cross-check now", "(intake)", "cases."]),
])
def test_the_cross_check_page_says_what_started_a_run_and_what_it_searched(app, login_as, intake, lang, words,
                                                                           english):
    _, number, _ = intake("BE", subject="Run words")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    page = html.unescape(client.get(f"/cases/{number}/crosscheck").get_data(as_text=True))
    for word in words:
        assert word in page, word
    for word in english:
        assert word not in page, word


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Demandes envoyées", "Reçues et traitées", "pays requérant", "motif a)", ">total<"]),
    ("de", ["Gesendete Ersuchen", "Eingegangen und beantwortet", "ersuchendes Land", "Grund a", ">Summe<"]),
])
def test_the_art18_page_is_in_the_readers_language_and_its_files_stay_english(app, login_as, intake, lang, words):
    intake("BE", channel="SIENA")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    year = dt.datetime.now(dt.UTC).year
    page = html.unescape(client.get(f"/cases/statistics/art18?year={year}").get_data(as_text=True))
    for word in words:
        assert word in page, word
    assert "requesting country" not in page and "Requests sent" not in page
    csv = client.get(f"/cases/statistics/art18.csv?year={year}").get_data(as_text=True)
    assert csv.lstrip("\ufeff").startswith("figure,country,urgency,ground,count")  # the file keeps its codes


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Bilatéral", "Autre", "SIENA"]),
    ("de", ["Bilateral", "Sonstige", "SIENA"]),
    ("en", ["Bilateral", "Other", "SIENA"]),
])
def test_the_inbox_names_a_channel_in_the_readers_language(app, login_as, intake, lang, words):
    """A channel that is a word (bilateral, national, other) is said in the reader's language in the inbox; the
    channels that are names (SIENA, SIRENE, INTERPOL, PCCC) stay as they are."""
    intake("BE", subject="By the liaison officer", channel="BILATERAL", channel_reason="urgency",
           channel_reason_text="The liaison officer was at hand.")
    intake("BE", subject="By another way", channel="OTHER", channel_reason="urgency",
           channel_reason_text="The phone.")
    intake("BE", subject="By SIENA")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    cells = [html.unescape(c) for c in re.findall(r"<td>([^<]*)</td>", client.get("/cases/").get_data(as_text=True))]
    for word in words:
        assert word in cells, (word, cells[:20])
    assert ("BILATERAL" in cells, "OTHER" in cells) == (False, False)


@pytest.mark.parametrize("lang,terrorism,fraud", [("fr", "terrorisme", "fraude"), ("de", "Terrorismus", "Betrug"),
                                                  ("en", "terrorism", "fraud")])
def test_the_default_crime_categories_are_named_in_the_readers_language(app, login_as, intake, lang, terrorism, fraud):
    """Stored as the settings write them (the priority rules read them so); shown in the reader's language. A
    category a SPOC adds is shown as it typed it."""
    _, number, _ = intake("BE", subject="Category check", crime_category="fraud")
    with app.extensions["spoc_db"].unit_of_work() as s:
        set_setting(s, "BE", "crime_categories", {"terrorism": 1, "fraud": 3, "Skimming de cartes": 3})
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    options = _options(page, "ev-crime_category")
    assert (options["terrorism"], options["fraud"], options["skimming de cartes"]) == (
        terrorism, fraud, "skimming de cartes")
    shown = html.unescape(page)
    assert f"“{fraud}” → 3" in shown or f"« {fraud} » → 3" in shown or f"„{fraud}“ → 3" in shown  # the priority's reason
    assert re.search(rf'<dd class="col-sm-8">{fraud}</dd>', shown)  # the case folder
