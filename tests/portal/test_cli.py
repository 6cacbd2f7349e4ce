"""The spoc command: init-db, demo, create-user, create-token, audit verify."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.audit import AuditEntry


def test_init_db_is_idempotent(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        r = runner.invoke(args=["init-db"])
        assert r.exit_code == 0 and "up to date" in r.output


def test_demo_creates_the_demo_users_and_prints_logins(app, db, monkeypatch):
    app.config["DEMO_PASSWORD"] = "Demo-password-2026"
    runner = app.test_cli_runner()
    r = runner.invoke(args=["demo"])
    assert r.exit_code == 0, r.output
    assert "Demo-password-2026" in r.output and "officer.be@demo.invalid" in r.output
    emails = set(db.scalars(select(User.email)))
    expected = {"admin@demo.invalid", "secretariat@demo.invalid", "observer.europol@demo.invalid"}
    for cc in ("be", "nl"):
        expected |= {f"{p}.{cc}@demo.invalid" for p in ("respondent", "officer", "supervisor", "head", "dpo",
                                                           "trainer")}
    assert expected <= emails
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    assert db.query(User).filter(User.email == "head.be@demo.invalid").count() == 1
    app.config["DEMO_PASSWORD"] = ""


def test_create_user_and_token(app, client):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["create-user", "cli@example.invalid", "--role", "officer", "--country", "lt",
                            "--password-stdin"], input="Cli-user-password-1\n")
    assert r.exit_code == 0, r.output
    client.login("cli@example.invalid", "Cli-user-password-1")
    r = runner.invoke(args=["create-token", "cli@example.invalid"])
    token = r.output.strip().splitlines()[-1]
    me = client.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["country"] == "LT" and me["role"] == "officer"


def test_create_user_refuses_bad_scope(app):
    r = app.test_cli_runner().invoke(args=["create-user", "x@example.invalid", "--role", "officer",
                                           "--password-stdin"], input="Some-password-123\n")
    assert r.exit_code != 0 and "belongs to one country" in r.output


def test_audit_verify_detects_an_edited_row(app, make_user, db):
    make_user("officer", "BE")
    make_user("officer", "NL")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    first = db.scalar(select(AuditEntry).order_by(AuditEntry.seq))
    db.execute(update(AuditEntry).where(AuditEntry.id == first.id).values(actor_email="someone@else.invalid"))
    db.commit()
    r = runner.invoke(args=["audit", "verify"])
    assert r.exit_code == 1 and "content changed" in r.output


def test_audit_verify_detects_a_deleted_row(app, make_user, db):
    for cc in ("BE", "NL", "LT"):
        make_user("officer", cc)
    middle = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()[1]
    db.delete(middle)
    db.commit()
    r = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert r.exit_code == 1 and "missing" in r.output
