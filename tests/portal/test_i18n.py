"""The page chrome in English, French and German (issue 19, item 12): complete catalogues, the locale of
each page (the user's language, then the browser's), the switcher beside the account."""

from __future__ import annotations

import html
import re

import pytest
from babel.messages import pofile
from babel.support import Translations

from portal import i18n
from tests.conftest import set_language


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Every marked message, extracted with Babel's API into a temporary .pot and read back."""
    path = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with open(path, "wb") as fh:
        pofile.write_po(fh, i18n.extract())
    with open(path, "rb") as fh:
        return pofile.read_po(fh)


def test_the_extraction_finds_the_chrome_and_the_labels(template):
    ids = {m.id for m in template if m.id}
    # a template string, a form label (lazy_gettext), a flash message, a menu entry, an enumeration's label
    for message in ("Log out", "Skip to content", "Current password", "You are logged out.", "Meetings",
                    "In progress", "Head of SPOC"):
        assert message in ids, message
    # a flash of an f-string or a concatenation cannot be looked up: it is not a message
    assert not [m for m in ids if isinstance(m, str) and m.endswith(": ; ")]


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_message_is_translated(template, lang):
    catalog = i18n.read_catalog(lang)
    def translated(message) -> bool:  # a plural message needs each of its forms
        found = catalog.get(message.id if isinstance(message.id, str) else message.id[0])
        strings = found.string if found else ""
        return all(strings) if isinstance(strings, tuple) else bool(strings)

    missing = [m.id for m in template if m.id and not translated(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{lang}: {len(missing)} message(s) without a translation, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: fuzzy translations {fuzzy[:5]}"
    # a template's message is %-formatted: a lone % in its translation would break the page in that language
    for message in template:
        if isinstance(message.id, str) and any(path.endswith(".html") for path, _ in message.locations):
            assert not re.search(r"%(?!\(\w+\)s|%)", catalog[message.id].string), message.id
    # the placeholders of each message survive its translation
    for message in template:
        if message.id and "%(" in message.id:
            assert set(re.findall(r"%\(\w+\)s", message.id)) == \
                set(re.findall(r"%\(\w+\)s", catalog[message.id].string)), message.id


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_the_compiled_catalogue_matches_its_source(lang):
    compiled = Translations.load(str(i18n.TRANSLATIONS), [lang])
    for message in i18n.read_catalog(lang):
        if isinstance(message.id, tuple):  # singular and plural
            assert compiled.ungettext(*message.id, 1) == message.string[0], message.id
            assert compiled.ungettext(*message.id, 2) == message.string[-1], message.id
        elif message.id and message.string:
            assert compiled.ugettext(message.id) == message.string, message.id


def test_a_page_in_french_has_its_menu_and_buttons_in_french(app, login_as):
    c, user = login_as("head_of_spoc", "BE")
    set_language(app, user, "fr")
    page = c.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page
    for french in ("Tableau de bord", "Annuaire", "Réunions", "Se déconnecter", "Chef du SPOC", "Aller au contenu",
                   "Ouvrir l'annuaire", "Votre SPOC dans l'annuaire"):
        assert french in html.unescape(page), french  # as the reader sees it (a card's text is escaped)
    for english in (">Dashboard<", ">Log out<", ">Directory<", "Skip to content"):
        assert english not in page, english
    account = c.get("/account").get_data(as_text=True)
    assert "Modifier le mot de passe" in account and "Mot de passe actuel" in account  # a form label (lazy)
    logout = c.post_form("/logout", follow_redirects=True).get_data(as_text=True)
    # logged out, the browser's language decides; the flash message is English here
    assert "You are logged out." in logout


def test_the_browser_language_decides_before_login(client):
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="de">' in page and "Anmelden" in page and "Passwort" in page
    assert "Se connecter" in client.get("/login", headers={"Accept-Language": "fr-BE"}).get_data(as_text=True)
    # a language the chrome does not have: English
    assert ">Log in<" in client.get("/login", headers={"Accept-Language": "pl"}).get_data(as_text=True)


def test_the_switcher_beside_the_account_changes_the_language(login_as):
    c, _ = login_as("officer", "BE")
    page = c.get("/directory").get_data(as_text=True)
    switcher = page[page.index('id="language-switcher"'):]
    switcher = switcher[:switcher.index("</form>")]
    assert 'value="fr"' in switcher and "Deutsch" in switcher
    assert page.index("/account") < page.index('id="language-switcher"') < page.index("/logout")
    r = c.post_form("/account/language", {"language": "de", "next": "/directory"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/directory")
    page = c.get("/directory").get_data(as_text=True)
    assert "Verzeichnis des Netzes" in page and "Abmelden" in page and "SPOC-Sachbearbeiter" not in page
    assert "Sachbearbeiter(in) des SPOC" in page  # the role's label


def test_error_pages_and_flash_messages_follow_the_language(app, login_as):
    c, user = login_as("officer", "BE")
    set_language(app, user, "de")
    page = c.get("/no/such/page").get_data(as_text=True)
    assert "Seite nicht gefunden" in page and "Zurück zur Übersicht" in page
    c.post_form("/account/tokens/999999/revoke")
    c.post_form("/account/password", {"current_password": "x", "new_password": "", "confirm": ""})
    page = c.get("/account").get_data(as_text=True)
    assert "Ihr Konto" in page and "Token erstellen" in page


def test_catalogues_without_their_mo_are_compiled(tmp_path):
    """A checkout or an install that lacks the compiled files gets them at start."""
    for lang in ("fr", "de"):
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "messages.po").write_bytes((i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").read_bytes())
    assert len(i18n.compile_catalogues(tmp_path)) == 2
    assert Translations.load(str(tmp_path), ["de"]).ugettext("Log out") == "Abmelden"
    assert i18n.compile_catalogues(tmp_path) == []  # up to date: nothing to do


def test_update_counts_a_plural_without_its_forms_and_fills_english(tmp_path):
    """`spoc i18n update`: a newly marked plural message is counted as lacking in French and German until
    each of its forms is translated, and English takes both of its forms from the source."""
    from babel.messages.catalog import Catalog

    template = Catalog(project="spoc-portal", version="1")
    template.add(("%(num)s case waits.", "%(num)s cases wait."), locations=[("casemgmt/dashboard.py", 1)],
                 flags=["python-format"])
    template.add("Inbox", locations=[("casemgmt/views/inbox.py", 1)])
    assert i18n.update_catalogues(template, tmp_path) == {"en": 0, "fr": 2, "de": 2}
    english = pofile.read_po((tmp_path / "en" / "LC_MESSAGES" / "messages.po").open("rb"))
    assert english[("%(num)s case waits.", "%(num)s cases wait.")].string == ("%(num)s case waits.", "%(num)s cases wait.")
    french = i18n.read_catalog("fr", tmp_path)
    french[("%(num)s case waits.", "%(num)s cases wait.")].string = ("%(num)s dossier attend.", "", "")
    with (tmp_path / "fr" / "LC_MESSAGES" / "messages.po").open("wb") as fh:
        pofile.write_po(fh, french)
    assert i18n.update_catalogues(template, tmp_path)["fr"] == 2  # one form of three is not enough
