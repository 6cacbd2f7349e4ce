"""The spoc command: init-db, demo, create-user, create-token, audit verify."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from portal.accounts.models import User
from portal.audit import AuditChainHead, AuditEntry


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


def _verify(app, *args):
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def _five_entries(make_user):
    for cc in ("BE", "NL", "LT", "FR", "DE"):
        make_user("officer", cc)


def test_audit_verify_fails_when_the_end_and_the_head_are_deleted(app, make_user, db):
    _five_entries(make_user)
    assert _verify(app).exit_code == 0
    last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)).all()
    db.execute(delete(AuditEntry).where(AuditEntry.id.in_([e.id for e in last])))
    db.execute(delete(AuditChainHead))
    db.commit()
    r = _verify(app)
    assert r.exit_code == 1 and "head is missing" in r.output


@pytest.mark.parametrize("keep_head", [True, False])
def test_audit_verify_fails_when_the_whole_log_is_wiped(app, make_user, db, keep_head):
    _five_entries(make_user)
    db.execute(delete(AuditEntry))
    if not keep_head:
        db.execute(delete(AuditChainHead))
    db.commit()
    r = _verify(app)
    assert r.exit_code == 1 and ("head is missing" in r.output or "the log ends at entry 0" in r.output)


def test_audit_verify_fails_when_an_entry_is_rewritten_and_the_chain_recomputed(app, make_user, db):
    """Someone who can write the database but not read the audit key cannot make a rewrite pass."""
    from portal.audit import entry_hash

    _five_entries(make_user)
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    entries[1].details = {**entries[1].details, "email": "nobody@else.invalid"}
    prev = entries[0].hash
    for e in entries[1:]:
        e.prev_hash = prev
        e.hash = prev = entry_hash(prev, e)
    head = db.get(AuditChainHead, 1)
    head.last_hash = prev
    db.commit()
    r = _verify(app)
    assert r.exit_code == 1 and "seal does not match" in r.output
    assert "content changed" not in r.output  # the hashes alone would have said "intact"


def test_audit_verify_checks_the_head_written_out_with_a_backup(app, make_user, db, tmp_path):
    """Even with the key, a cut below a head written out earlier is found against that anchor."""
    from portal.audit import seal_of

    _five_entries(make_user)
    r = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.db")])
    assert r.exit_code == 0, r.output
    anchor = tmp_path / "b.db.audit-head.json"
    assert _verify(app, "--anchor", str(anchor)).exit_code == 0
    last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)).all()
    db.execute(delete(AuditEntry).where(AuditEntry.id.in_([e.id for e in last])))
    head = db.get(AuditChainHead, 1)
    head.seq, head.last_hash = last[-1].seq - 1, last[-1].prev_hash
    head.seal = seal_of(db, head.seq, head.last_hash)  # an insider holding the key
    db.commit()
    assert _verify(app).exit_code == 0  # consistent in itself...
    r = _verify(app, "--anchor", str(anchor))
    assert r.exit_code == 1 and "the log has" in r.output  # ...but shorter than the anchor


def test_audit_head_is_written_to_the_application_log(app, make_user, caplog):
    _five_entries(make_user)
    r = app.test_cli_runner().invoke(args=["audit", "head"])
    assert r.exit_code == 0 and '"seq": 5' in r.output
    assert any("audit chain head" in m and '"seq": 5' in m for m in caplog.messages)


@pytest.mark.parametrize("host,port,expected", [
    ("127.0.0.1", 8080, "http://127.0.0.1:8080"),
    ("0.0.0.0", 5001, "http://127.0.0.1:5001"),  # noqa: S104 - an address spoc run may be given
    ("::1", 8000, "http://[::1]:8000"),
])
def test_spoc_run_links_to_the_address_it_serves_on(app, monkeypatch, host, port, expected):
    """Mail and calendar links (BASE_URL) follow `spoc run --host/--port` (they said port 5000 whatever the
    port), for the worker too (its environment), unless SPOC_BASE_URL is set."""
    import os

    from portal.commands import base_url_from_address

    monkeypatch.delenv("SPOC_BASE_URL", raising=False)
    monkeypatch.setitem(app.config, "BASE_URL", "http://127.0.0.1:5000")
    base_url_from_address(app, host, port)
    assert app.config["BASE_URL"] == os.environ["SPOC_BASE_URL"] == expected
    monkeypatch.setenv("SPOC_BASE_URL", "https://spoc.example.eu")
    monkeypatch.setitem(app.config, "BASE_URL", "https://spoc.example.eu")
    base_url_from_address(app, host, port)
    assert app.config["BASE_URL"] == "https://spoc.example.eu"
