"""A case's log in the reader's language (casemgmt/log_text.py): the entries keep the English words they were
written with; the case page and the access-log page say them in the page's language, codes by their labels."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from casemgmt.log_text import SENTENCES, readable
from casemgmt.services import workflow
from portal.audit import AuditEntry
from tests.conftest import set_language


def test_every_entry_of_the_demo_is_said_in_french_and_german_without_a_code(app, db):
    """Every sentence the demo's services wrote (about 60 kinds: intake on every channel, states, assignment,
    cross-check runs, replies, refusals, dissemination, merges, templates, duty shifts) is recognised, and
    none is shown with an internal code or in English."""
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    texts = {e.details["what"] for e in db.scalars(select(AuditEntry).where(AuditEntry.area == "casemgmt"))
             if (e.details or {}).get("what")}
    assert len(texts) > 100
    from casemgmt.models import Exchange

    reasons = {d["reason"] for x in db.scalars(select(Exchange).where(Exchange.possible_duplicates.is_not(None)))
               for d in x.possible_duplicates or []}
    assert len(reasons) >= 6  # why known cases are suggested as possible duplicates, said on the case page
    texts |= reasons
    unknown = sorted(t for t in texts if not any(p.match(t) for p, _, _ in SENTENCES))
    assert unknown == []
    for lang, word in (("fr", "réception par SIENA, dossier enregistré"), ("de", "über SIENA empfangen, Fall registriert")):
        with app.test_request_context("/"), force_locale(lang):
            shown = {t: readable(t) for t in texts}
        assert all(shown[t] != t for t in texts), [t for t in texts if shown[t] == t][:5]
        assert not any(code in s for s in shown.values()
                       for code in ("own_initiative", "cross_checked", "new_data", " received ", " case registered"))
        assert any(word in s for s in shown.values())


def test_in_english_only_the_codes_change(app):
    with app.test_request_context("/"), force_locale("en"):
        assert readable("own_initiative received on SIENA, case registered (api)") == \
            "Own-initiative information received on SIENA, case registered (api)"
        assert readable("status evaluated → cross_checked") == "status Evaluated → Cross-checked"
        assert readable("cross-check (new_data): 1 entities against cases; 1 hits") == \
            "cross-check (new reference data): 1 entity against the SPOC's cases; 1 hit"
        assert readable("exchange BE-2026-7/2 closed: information provided") == \
            "exchange BE-2026-7/2 closed: Information provided"
        assert readable("person #12 edited: surname, date_of_birth") == "person #12 edited: Surname, Date of birth"
        assert readable("something written before its sentence changed") == \
            "something written before its sentence changed"


@pytest.mark.parametrize("lang,registered,state", [
    ("fr", "Demande : réception par SIENA, dossier enregistré (api)", "statut Reçu → Évalué"),
    ("de", "Ersuchen über SIENA empfangen, Fall registriert (api)", "Status Eingegangen → Bewertet"),
])
def test_a_french_or_german_officer_reads_the_case_log_in_their_language(intake, work, officer, login_as, db, app,
                                                                          lang, registered, state):
    case_id, number, _ = intake("BE", officer)
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                 information_access="direct"))
    client, supervisor = login_as("supervisor", "BE")
    set_language(app, supervisor, lang)
    for url in (f"/cases/{number}", f"/cases/access-log?case={number}"):
        page = client.get(url).get_data(as_text=True)
        assert registered in page and state in page, url
        assert "received on SIENA" not in page, url
    # the entries themselves keep the words they were written with (the chain, the CSV export)
    stored = set(db.scalars(select(AuditEntry.details["what"].as_string()).where(AuditEntry.object_id == number)))
    assert "request received on SIENA, case registered (api)" in stored
