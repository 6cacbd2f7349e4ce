"""The case module's rule errors in the reader's language (issue 19, items 11-12): every CaseError (and
CrossCheckError) message is a catalogue message with named placeholders, translated in French and German;
a refused action shows it translated beside its field, in a flash and in the API's JSON answer (whose
codes and field names stay as they are); the priority reasons and the case mails too."""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import select

from casemgmt.models import Case
from casemgmt.services import CaseError
from portal import i18n
from portal.accounts.models import User
from portal.errors import RuleError
from portal.mail import OutboxMessage
from tests.conftest import set_language

CASEMGMT = i18n.ROOT / "casemgmt"


def _rule_error_classes() -> set[str]:
    """The case module's rule errors: CaseError, CrossCheckError and every subclass defined in casemgmt."""
    names = {"CaseError", "CrossCheckError"}
    for path in CASEMGMT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in names for b in node.bases):
                names.add(node.name)
    return names


def _raises():
    """(where, message node, keyword names) of each construction of a case rule error in casemgmt."""
    classes = _rule_error_classes()
    for path in sorted(CASEMGMT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes and node.args:
                yield f"{path.relative_to(i18n.ROOT)}:{node.lineno}", node.args[0], {k.arg for k in node.keywords}


def _literals(node):
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def test_every_case_rule_error_is_extracted_and_written_for_translators():
    """A message built with an f-string, a concatenation or .format cannot be looked up in a catalogue:
    its values go in as named placeholders given as keywords, and its class is an extraction keyword."""
    classes = _rule_error_classes()
    assert classes <= set(i18n.RULE_ERRORS) | {"EntityInputError"}, classes - set(i18n.RULE_ERRORS)
    extracted = {m.id for m in i18n.extract() if m.id}
    found = 0
    for where, message, keywords in _raises():
        built = isinstance(message, (ast.JoinedStr, ast.BinOp)) or (
            isinstance(message, ast.Call) and isinstance(message.func, ast.Attribute) and message.func.attr == "format")
        assert not built, f"{where}: a rule error's message is a plain string with %(name)s placeholders"
        for text in _literals(message):
            found += 1
            assert text in extracted, where
            assert set(re.findall(r"%\((\w+)\)s", text)) == keywords, f"{where}: placeholders and keywords differ"
    assert found > 150  # the case module's ~160 messages


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_case_rule_error_has_its_translation(lang):
    catalog = i18n.read_catalog(lang)
    for where, message, _ in _raises():
        for text in _literals(message):
            assert text in catalog and catalog[text].string and catalog[text].string != text, (lang, where, text)


def _beside(page: str, field_id: str) -> str:
    """The text of the error shown beside a form field."""
    found = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', page, re.S)
    assert found, field_id
    return html.unescape(found.group(1))


@pytest.mark.parametrize("lang,itself,linked,english", [
    ("fr", "Un dossier ne peut pas être lié à lui-même.", "{number} est déjà lié.", "is already linked"),
    ("de", "Ein Vorgang kann nicht mit sich selbst verknüpft werden.", "{number} ist bereits verknüpft.",
     "is already linked"),
])
def test_a_refused_case_action_shows_its_rule_beside_the_field_in_the_users_language(
        app, login_as, intake, lang, itself, linked, english):
    _, number, _ = intake("BE", subject="Translation check")
    _, other, _ = intake("BE", subject="Another matter")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    r = client.post_form(f"/cases/{number}/link", {"ln-other": number, "ln-reason": ""})
    assert r.status_code == 422
    assert _beside(r.get_data(as_text=True), "ln-other") == itself
    assert client.post_form(f"/cases/{number}/link", {"ln-other": other, "ln-reason": "Same person"}).status_code == 302
    r = client.post_form(f"/cases/{number}/link", {"ln-other": other, "ln-reason": "Same person"})
    assert r.status_code == 422
    shown = _beside(r.get_data(as_text=True), "ln-other")
    assert shown == linked.format(number=other) and english not in shown  # the value in its place


# the country by its name in the reader's language (portal.directory.reference.country_name)
@pytest.mark.parametrize("lang,message,summary", [
    ("fr", "La directive (UE) 2023/977 ne lie pas ce pays : Danemark (voir ses considérants) ; choisissez un autre "
           "cadre juridique.", "Certains champs ne sont pas valides ; rien n'a été enregistré."),
    ("de", "Die Richtlinie (EU) 2023/977 ist für dieses Land nicht bindend: Dänemark (siehe ihre Erwägungsgründe); "
           "wählen Sie einen anderen Rechtsrahmen.", "Einige Felder sind ungültig; es wurde nichts registriert."),
])
def test_the_api_answers_a_rule_error_in_the_token_users_language(app, api, make_user, lang, message, summary):
    from tests.casemgmt.conftest import make_payload

    user = make_user("officer", "BE")
    client = api(user)  # (its token is made first: making it writes the user back as it was)
    set_language(app, user, lang)
    r = client.post("/api/v1/cases/intake", json=make_payload(counterpart_country="DK", legal_framework="2023/977"))
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "invalid"  # machine-readable: unchanged
    assert error["fields"] == {"legal_framework": message}  # the field's name unchanged, its message translated
    assert error["message"] == summary


def test_a_rule_error_reads_in_english_outside_a_page_and_keeps_its_values():
    exc = CaseError("%(number)s is already linked.", "other", number="BE-2026-000001")
    assert isinstance(exc, RuleError) and exc.field == "other"
    assert str(exc) == "BE-2026-000001 is already linked." and exc.message == "%(number)s is already linked."


@pytest.mark.parametrize("lang,words", [
    ("fr", ["Urgent, motif : Menace imminente pour la vie ou l'intégrité physique → 1"]),
    ("de", ["Dringend, Grund: Unmittelbare Gefahr für Leib oder Leben → 1"]),
])
def test_the_priority_reasons_are_in_the_users_language(app, login_as, intake, lang, words):
    _, number, _ = intake("BE", urgent=True, urgency_ground="life_or_physical_integrity", information_access="direct")
    client, user = login_as("officer", "BE")
    set_language(app, user, lang)
    page = html.unescape(client.get(f"/cases/{number}").get_data(as_text=True))
    block = page[page.index('id="case-deadline"'):]
    block = block[:block.index("</ul>")]  # the priority card
    for text in words:
        assert text in block
    assert "life or physical integrity" not in block and "Urgent, ground" not in block


@pytest.mark.parametrize("lang,zone,words", [
    ("de", "Europe/Helsinki", ["Frist:", "ist fällig am"]),
    ("fr", "America/Martinique", ["délai :", "est à traiter avant le"]),
])
def test_the_deadline_reminder_gives_the_time_in_the_recipients_language_and_zone(app, intake, work, make_user, db,
                                                                                   lang, zone, words):
    officer = make_user("officer", "BE")
    with app.extensions["spoc_db"].unit_of_work() as session:
        account = session.get(User, officer.id)
        account.language, account.timezone = lang, zone
    now = dt.datetime.now(dt.UTC)
    case_id, number, _ = intake("BE", received_at=(now - dt.timedelta(hours=6)).isoformat(), urgent=True,
                                urgency_ground="loss_of_relevance", information_access="direct")
    work(case_id, lambda s, c: setattr(c, "assignee_id", officer.id))
    assert app.test_cli_runner().invoke(args=["send-reminders"]).exit_code == 0
    db.rollback()
    due = db.get(Case, case_id).due_at.astimezone(ZoneInfo(zone))
    mail = next(m for m in db.scalars(select(OutboxMessage)) if number in m.subject)
    for text in [*words, f"{due:%H:%M}", format_date(due, "MMM", locale=lang), str(due.year)]:
        assert text in mail.subject + mail.body, (text, mail.subject, mail.body)
    assert "UTC" not in mail.body


@pytest.mark.parametrize("lang,message", [
    ("fr", "Une demande urgente requiert l'un des quatre motifs de l'art. 4, par. 4."),
    ("de", "Ein dringendes Ersuchen erfordert einen der vier Gründe nach Art. 4 Abs. 4."),
])
def test_an_intake_refused_by_a_rule_across_fields_answers_in_the_users_language(app, api, make_user, lang, message):
    from tests.casemgmt.conftest import make_payload

    user = make_user("officer", "BE")
    client = api(user)
    set_language(app, user, lang)
    r = client.post("/api/v1/cases/intake", json=make_payload(urgent=True, information_access="direct"))
    assert r.status_code == 422 and r.get_json()["error"]["fields"]["urgency_ground"] == message
