"""A French-speaking officer's case pages in the browser: the journal, the intake form and the case's forms in
French (casemgmt/log_text.py, the WTForms labels gathered by portal/i18n.py), with screenshots to look at."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.casemgmt.conftest import intake, uploads  # noqa: F401 - the case module's fixtures, used here
from tests.conftest import PASSWORD, set_language


def test_a_french_officer_reads_the_case_journal_and_forms_in_french(page, live_server, app, make_user, intake,  # noqa: F811
                                                                      shot):
    officer = make_user("officer", "BE", email="officier@be.browser.invalid")
    set_language(app, officer, "fr")
    _, number, _ = intake("BE", officer, subject="Contrôle d'une personne", type="own_initiative")
    log_in(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/cases/new")
    expect(page.get_by_label("Référence du canal")).to_be_visible()
    expect(page.get_by_label("Adresses postales")).to_be_visible()
    shot("fr-intake-form")
    page.goto(f"{live_server}/cases/{number}")
    journal = page.locator("section[aria-labelledby=log-h]")
    expect(journal).to_contain_text("Informations communiquées d'initiative : réception par SIENA, dossier enregistré")
    expect(journal).not_to_contain_text("own_initiative")
    expect(journal).not_to_contain_text("received on")
    shot("fr-case-page")
