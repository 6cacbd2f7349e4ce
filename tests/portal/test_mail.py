"""The outbox: each queued message is sent on its own; a broken one never holds back the others."""

from __future__ import annotations

from sqlalchemy import select

from portal.mail import OutboxMessage, queue_mail
from tests.questionnaires.test_reminders import smtp  # noqa: F401 - the SMTP server fixture


def test_a_header_with_cr_lf_neither_injects_nor_blocks_the_queue(app, smtp, db):  # noqa: F811
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        queue_mail(s, "trainer@example.invalid", "Course\r\nBcc: everyone@example.invalid", "Body one")
        queue_mail(s, "new.user@example.invalid", "Set your password", "Body two")
        broken = queue_mail(s, "x@example.invalid", "Bad attachment", "Body three")
        broken.attachments = [{"filename": "a.pdf", "mimetype": "application/pdf", "content_b64": "abc"}]
        queue_mail(s, "late@example.invalid", "After the bad one", "Body four")
    r = app.test_cli_runner().invoke(args=["mail", "send"])
    assert r.exit_code == 0, r.output
    got = {tuple(to): msg for to, msg in smtp.messages}
    assert ("new.user@example.invalid",) in got and ("late@example.invalid",) in got
    course = got[("trainer@example.invalid",)]
    assert course["Bcc"] is None and "everyone@example.invalid" not in str(course["To"])
    assert course["Subject"].startswith("Course")
    db.rollback()
    left = db.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).all()
    assert [m.subject for m in left] == ["Bad attachment"] and left[0].last_error


def test_a_kind_of_mail_is_a_template_subject_first_then_the_body(app, db):
    from types import SimpleNamespace

    from portal.mail import queue_template

    round_ = SimpleNamespace(title="Practices 2026")
    response = SimpleNamespace(country_code="BE")
    with app.extensions["spoc_db"].unit_of_work() as s:
        assert queue_template(s, [], "questionnaires/mail/reopened.txt", round=round_, response=response,
                              reason="x", link="http://portal.test/r") is None  # nobody to tell: nothing queued
        queue_template(s, ["resp.be@test.invalid"], "questionnaires/mail/reopened.txt", round=round_,
                       response=response, reason="The staff figure is wrong.", link="http://portal.test/r")
    msg = db.scalars(select(OutboxMessage)).one()
    assert msg.subject == "Reopened: Practices 2026" and msg.to == ["resp.be@test.invalid"]
    assert msg.body.startswith("Dear colleague,\n\nThe secretariat reopened BE's response to \"Practices 2026\"")
    assert "Reason: The staff figure is wrong." in msg.body and msg.body.endswith("\nhttp://portal.test/r\n")


def test_a_kind_without_a_translation_reaches_everyone_in_english(app, db, make_user, monkeypatch):
    import jinja2

    from portal import mail
    from portal.accounts import services as accounts
    from portal.mail import queue_template

    # every kind of the portal is translated: a kind of a test's own, in English only
    own = mail._templates().overlay(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"tests/mail/note.txt": "Note: {{ title }}\n\nDear colleague,\n"}), mail._templates().loader]))
    monkeypatch.setattr(mail, "_templates", lambda: own)
    reader = make_user("respondent", "BE", email="lecteur@test.invalid")
    with app.extensions["spoc_db"].unit_of_work() as s:
        accounts.set_language(s, s.get(type(reader), reader.id), "fr")
        queue_template(s, ["lecteur@test.invalid", "nobody@test.invalid"], "tests/mail/note.txt", title="Practices 2026")
    msg = db.scalars(select(OutboxMessage)).one()  # one message: both read English
    assert msg.subject == "Note: Practices 2026" and msg.to == ["lecteur@test.invalid", "nobody@test.invalid"]


def test_each_reader_gets_the_mail_in_their_language(app, db, make_user):
    """The questionnaires', meetings', accounts' and training's mails in French and German (issue 19, item 12)."""
    from types import SimpleNamespace

    from portal.accounts import services as accounts
    from portal.mail import queue_template

    readers = {"fr": make_user("respondent", "BE", email="lecteur@test.invalid"),
               "de": make_user("respondent", "DE", email="leser@test.invalid")}
    meeting = SimpleNamespace(title="Heads of SPOC meeting", venue="Brussels", online_url="")
    with app.extensions["spoc_db"].unit_of_work() as s:
        for lang, reader in readers.items():
            accounts.set_language(s, s.get(type(reader), reader.id), lang)
        to = ["lecteur@test.invalid", "leser@test.invalid", "reader@test.invalid"]
        queue_template(s, to, "questionnaires/mail/reopened.txt", round=SimpleNamespace(title="Practices 2026"),
                       response=SimpleNamespace(country_code="BE"), reason="x", link="http://portal.test/r")
        queue_template(s, to, "meetings/mail/cancelled.txt", meeting=meeting, when="6 Oct 2026 09:30",
                       presidency=None, answer_by=None, link="http://portal.test/m")
    got = {(m.to[0], m.subject.split(":")[0]): m for m in db.scalars(select(OutboxMessage))}
    assert set(got) == {("lecteur@test.invalid", "Réouverture "), ("leser@test.invalid", "Wieder geöffnet"),
                        ("reader@test.invalid", "Reopened"), ("lecteur@test.invalid", "Annulation "),
                        ("leser@test.invalid", "Abgesagt"), ("reader@test.invalid", "Cancelled")}
    assert "Motif : x" in got[("lecteur@test.invalid", "Réouverture ")].body
    assert "Die Sitzung ist abgesagt." in got[("leser@test.invalid", "Abgesagt")].body
    assert "Lieu : Brussels" in got[("lecteur@test.invalid", "Annulation ")].body


def test_every_mail_is_a_template_no_service_composes_one_in_code():
    """A kind of mail is <package>/templates/<domain>/mail/<kind>.txt queued with queue_template (issue 22,
    point 5): queue_mail, which takes a composed subject and body, is called by the outbox only
    (portal/mail/__init__.py)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    callers = [p.relative_to(root).as_posix() for top in ("portal", "questionnaires", "reports", "casemgmt")
               for p in (root / top).rglob("*.py") if re.search(r"\bqueue_mail\(", p.read_text(encoding="utf-8"))]
    assert callers == ["portal/mail/__init__.py"]
