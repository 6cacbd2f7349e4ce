"""The SPOC's own requests to another Member State's SPOC (issue 17, point 1): the Art. 4(5) content,
a language the requested State accepts (Art. 11), the Art. 12 decision on Europol, the partner's
deadline, chasing when it passes, and the answer closing the loop."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from casemgmt.models import Case, Exchange, Message
from portal.audit import AuditEntry
from tests.casemgmt.conftest import make_payload

CONTENT = {"information_sought": "Registered keeper and address of FR-AB-123-CD",
           "purpose": "Investigation of a burglary series in Brussels",
           "objective_reasons": "The car is registered in France",
           "connection": "The keeper may have lent the car to the suspect", "restrictions": "none"}
REQUEST = {"counterpart": {"kind": "member_state", "country": "FR"}, "channel": "SIENA", "language": "en",
           "subject": "Keeper of FR-AB-123-CD", "content": CONTENT, "europol_copy": False,
           "europol_reason": "A local burglary series: not within Europol's objectives"}


@pytest.fixture
def be(api, make_user):
    return api(make_user("officer", "BE"))


@pytest.fixture
def folder(be):
    r = be.post("/api/v1/cases/intake", json=make_payload())
    assert r.status_code == 201, r.get_json()
    return r.get_json()["registration_number"]


def _exchange(db, number: str, n: int) -> Exchange | None:
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == number))
    return next((e for e in case.exchanges if e.number == n), None)


@pytest.mark.parametrize(("change", "field"), [
    ({"content": {**CONTENT, "purpose": " "}}, "content.purpose"),
    ({"content": {**CONTENT, "connection": ""}}, "content.connection"),
    ({"urgent": True, "urgency_ground": "loss_of_relevance"}, "content.urgency_reasons"),
    ({"urgent": True, "content": {**CONTENT, "urgency_reasons": "The car leaves tomorrow"}}, "urgency_ground"),
    ({"language": "pl"}, "language"),
    ({"europol_copy": None}, "europol_copy"),
    ({"europol_reason": ""}, "europol_reason"),
    ({"channel": "BILATERAL"}, "channel_reason"),
    ({"counterpart": {"kind": "agency", "name": "EUROPOL"}}, "counterpart.kind"),
    ({"counterpart": {"kind": "member_state", "country": "XX"}}, "counterpart.country"),
])
def test_a_request_lacking_what_the_directive_asks_is_refused_naming_the_field(be, folder, db, change, field):
    r = be.post(f"/api/v1/cases/{folder}/requests", json={**REQUEST, **change})
    assert r.status_code == 422, r.get_json()
    assert field in r.get_json()["error"]["fields"]
    assert _exchange(db, folder, 2) is None  # nothing was sent


def test_the_language_must_be_on_the_requested_states_list(be, folder, db, login_as):
    from portal.directory.models import Spoc

    with db.begin_nested():
        db.get(Spoc, "FR").languages = "fr, en"
    db.commit()
    refused = be.post(f"/api/v1/cases/{folder}/requests", json={**REQUEST, "language": "de"})
    assert refused.status_code == 422
    assert "French" in refused.get_json()["error"]["fields"]["language"]
    assert be.post(f"/api/v1/cases/{folder}/requests", json={**REQUEST, "language": "fr"}).status_code == 201


def test_a_request_is_sent_waits_on_the_partner_is_chased_and_answered(be, folder, db, login_as):
    sent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=8)).replace(microsecond=0)
    r = be.post(f"/api/v1/cases/{folder}/requests",
                json={**REQUEST, "europol_copy": True, "europol_reason": "Organised property crime",
                      "sent_at": sent.isoformat()})
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["id"] == f"{folder}/2" and body["state"] == "awaiting_partner"
    assert body["legal_framework"] == "2023/977"
    exchange = _exchange(db, folder, 2)
    # the partner's Art. 5(1) limit (7 days, not urgent) from the sending
    assert exchange.due_at == sent + dt.timedelta(days=7)
    assert exchange.request_content["purpose"] == CONTENT["purpose"] and exchange.europol_copy is True
    first = db.scalar(select(Message).where(Message.exchange_id == exchange.id))
    assert "Purpose:\nInvestigation of a burglary series" in first.body and first.language == "en"
    assert db.scalar(select(AuditEntry).where(AuditEntry.object_id == folder,
                                              AuditEntry.details["what"].as_string().like("%Europol (Art. 12)%")))
    client, _ = login_as("officer", "BE")
    inbox = client.get("/cases/").get_data(as_text=True)
    assert "Our requests to chase" in inbox and f"{folder}/2" in inbox and "to France" in inbox
    # the chaser is a recorded message of the exchange
    assert client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "2", "xm-type": "reminder", "xm-body": "Could you answer our request?"}).status_code == 302
    assert be.post(f"/api/v1/cases/{folder}/exchanges/2/messages",
                   json={"type": "reply", "body": "Keeper: J. Martin, Lille."}).status_code == 201
    exchange = _exchange(db, folder, 2)
    assert exchange.state == "answered" and exchange.late  # answered after the partner's deadline
    assert [m.type for m in exchange.messages] == ["request", "reminder", "reply"]
    assert "Our requests to chase" not in client.get("/cases/").get_data(as_text=True)


def test_the_officer_sends_a_request_from_the_case_page(folder, login_as, db):
    client, _ = login_as("officer", "BE")
    form = {"rq-counterpart_country": "FR", "rq-channel": "SIENA", "rq-language": "en", "rq-subject": "Keeper",
            "rq-information_sought": CONTENT["information_sought"], "rq-purpose": CONTENT["purpose"],
            "rq-objective_reasons": CONTENT["objective_reasons"], "rq-connection": "",
            "rq-restrictions": "none", "rq-europol_copy": "no", "rq-europol_reason": "Local matter"}
    page = client.get(f"/cases/{folder}").get_data(as_text=True)
    assert "Send a request to another Member State" in page
    r = client.post_form(f"/cases/{folder}/requests", form)
    assert r.status_code == 422
    assert "Art. 4(5): state the connection between the purpose and the person" in r.get_data(as_text=True)
    assert _exchange(db, folder, 2) is None
    r = client.post_form(f"/cases/{folder}/requests", {**form, "rq-connection": CONTENT["connection"]})
    assert r.status_code == 302
    exchange = _exchange(db, folder, 2)
    assert exchange.europol_copy is False and exchange.europol_copy_reason == "Local matter"
    page = client.get(f"/cases/{folder}").get_data(as_text=True)
    assert "Copy to Europol (Art. 12): no" in page


def test_another_spoc_cannot_send_from_this_folder(api, make_user, folder, db):
    r = api(make_user("officer", "NL")).post(f"/api/v1/cases/{folder}/requests", json=REQUEST)
    assert r.status_code == 404
    assert _exchange(db, folder, 2) is None


def test_bad_values_are_told_in_plain_words_never_as_a_pattern(be, folder):
    r = be.post(f"/api/v1/cases/{folder}/requests", json={**REQUEST, "language": "EN1"})
    assert r.status_code == 422
    message = r.get_json()["error"]["fields"]["language"]
    assert message == "Give the two-letter language code in small letters, e.g. en." and "^" not in message


def test_the_requests_headings_are_in_the_language_of_the_exchange(folder, login_as, db):
    """Issue 19: the text that leaves for the partner is in the language chosen for it, not the officer's."""
    from portal.accounts.models import User
    from portal.directory.models import Spoc

    client, user = login_as("officer", "BE")
    db.get(Spoc, "FR").languages = "fr, en"
    db.get(User, user.id).language = "de"  # the officer reads German, the request leaves in French
    db.commit()
    form = {"rq-counterpart_country": "FR", "rq-channel": "SIENA", "rq-language": "fr", "rq-subject": "Détenteur",
            "rq-information_sought": CONTENT["information_sought"], "rq-purpose": CONTENT["purpose"],
            "rq-objective_reasons": CONTENT["objective_reasons"], "rq-connection": CONTENT["connection"],
            "rq-restrictions": "aucune", "rq-europol_copy": "no", "rq-europol_reason": "Affaire locale"}
    assert client.post_form(f"/cases/{folder}/requests", form).status_code == 302
    body = db.scalar(select(Message).join(Exchange).where(Exchange.number == 2)).body
    for heading in ("Informations demandées:\n", "Finalité:\n", "Raisons objectives:\n",
                    "Lien entre la finalité et la personne:\n", "Restrictions d’utilisation:\n"):
        assert heading in body, heading
    assert "Purpose" not in body and "Zweck" not in body
