"""Message templates of a SPOC (issue 17, point 2): kept by supervisors, placeholders checked when saved
and filled (escaped on the page) when an officer picks one, never another SPOC's."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from casemgmt.models import Case, MessageTemplate
from tests.casemgmt.conftest import make_payload

ACK = {"kind": "acknowledgement", "language": "en", "title": "Receipt",
       "text": "We received your request {their_reference} on {received_at}; our reference is {exchange}. "
               "It will be answered by {deadline}.\n{officer}, {spoc}"}


@pytest.fixture
def folder(api, make_user):
    payload = make_payload(subject='Car <script>alert("x")</script> & co', external_reference="SIENA-DE-4711")
    r = api(make_user("officer", "BE")).post("/api/v1/cases/intake", json=payload)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["registration_number"]


def _selected(page: str, name: str) -> str:
    """The value chosen in the select `name` of the page."""
    select_ = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option(?=[^>]*selected)[^>]*value="([^"]*)"', select_).group(1)


def _save(client, data: dict):
    return client.post_form("/cases/templates", data)


@pytest.mark.parametrize(("text", "shown"), [
    ("Dear colleagues, {case_id}", "Unknown placeholder {case_id}"),
    ("Due {deadline:%Y}", "Unknown placeholder {deadline:%Y}"),
    ("Dear {officer.password_hash}", "Unknown placeholder {officer.password_hash}"),
    ("Open brace { alone", "A brace is not closed"),
])
def test_a_template_with_an_unknown_placeholder_is_refused_with_its_name(login_as, db, text, shown):
    client, _ = login_as("supervisor", "BE")
    r = _save(client, {**ACK, "text": text})
    assert r.status_code == 422 and html.escape(shown, quote=False) in r.get_data(as_text=True)
    assert db.scalar(select(MessageTemplate.id)) is None


def test_supervisors_keep_templates_officers_and_other_spocs_do_not(login_as, db):
    client, _ = login_as("supervisor", "BE")
    assert _save(client, ACK).status_code == 302
    assert _save(client, {**ACK, "kind": "refusal", "title": "Not available"}).status_code == 422  # no ground
    assert _save(client, {**ACK, "kind": "refusal", "ground": "a", "title": "Not available",
                          "text": "Refused on ground {grounds}."}).status_code == 302
    page = client.get("/cases/templates").get_data(as_text=True)
    assert "Acknowledgement of receipt" in page and "Not available" in page
    template_id = db.scalar(select(MessageTemplate.id).where(MessageTemplate.title == "Receipt"))
    officer, _ = login_as("officer", "BE")
    assert officer.get("/cases/templates").status_code == 404
    nl, _ = login_as("supervisor", "NL")
    assert nl.get(f"/cases/templates?edit={template_id}").status_code == 404
    assert nl.post_form(f"/cases/templates/{template_id}/delete", {}).status_code == 404
    db.rollback()
    assert db.get(MessageTemplate, template_id) is not None


def test_an_officer_fills_the_message_form_from_a_template(folder, login_as, db):
    supervisor, _ = login_as("supervisor", "BE")
    assert _save(supervisor, ACK).status_code == 302
    assert _save(supervisor, {"kind": "refusal", "ground": "b", "language": "en", "title": "Art. 4",
                              "text": "Request {registration_number} ({subject}) refused: {grounds}."}).status_code == 302
    ack, refusal = db.scalars(select(MessageTemplate).order_by(MessageTemplate.id)).all()
    client, _ = login_as("officer", "BE")
    page = client.get(f"/cases/{folder}?template={ack.id}&exchange=1").get_data(as_text=True)
    assert "SIENA-DE-4711" in page and f"our reference is {folder}/1" in page
    assert _selected(page, "xm-type") == "acknowledgement"
    page = client.get(f"/cases/{folder}?template={refusal.id}&exchange=1").get_data(as_text=True)
    # the subject typed by the requester is text, escaped like any other: never markup
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "refused: (b) the request does not meet the requirements of Art. 4." in page
    assert _selected(page, "xm-type") == "refusal"
    # the text is edited and recorded as the officer's message
    r = client.post_form(f"/cases/{folder}/exchanges/messages", {
        "xm-exchange": "1", "xm-type": "acknowledgement", "xm-body": "We received your request."})
    assert r.status_code == 302
    nl, _ = login_as("supervisor", "NL")
    assert nl.get(f"/cases/{folder}?template={ack.id}&exchange=1").status_code == 404
    db.rollback()
    case = db.scalar(select(Case).where(Case.registration_number == folder))
    assert [m.type for m in case.exchanges[0].messages][-1] == "acknowledgement"
    assert case.exchanges[0].answered_at is None  # an acknowledgement does not answer the request


def test_another_spocs_template_is_not_offered(folder, login_as, db):
    nl, _ = login_as("supervisor", "NL")
    assert _save(nl, ACK).status_code == 302
    theirs = db.scalar(select(MessageTemplate.id))
    client, _ = login_as("officer", "BE")
    assert client.get(f"/cases/{folder}?template={theirs}&exchange=1").status_code == 404
    assert "Start from a template" not in client.get(f"/cases/{folder}").get_data(as_text=True)
