"""spoc backup / spoc restore round-trip (SQLite online backup; pg_dump on PostgreSQL)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from portal.accounts.models import User


def test_backup_then_restore_brings_back_the_data(app, make_user, db, tmp_path):
    if app.config["DATABASE_URL"].startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    kept = make_user("officer", "BE")
    runner = app.test_cli_runner()
    target = tmp_path / "spoc.backup"
    r = runner.invoke(args=["backup", str(target)])
    assert r.exit_code == 0, r.output
    assert target.stat().st_size > 0
    make_user("officer", "NL", email="after-backup@test.invalid")
    r = runner.invoke(args=["restore", str(target), "--yes"])
    assert r.exit_code == 0, r.output
    db.rollback()
    emails = set(db.scalars(select(User.email)))
    assert kept.email in emails and "after-backup@test.invalid" not in emails
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    sqlite = app.config["DATABASE_URL"].startswith("sqlite")
    if not sqlite and not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    bogus = tmp_path / "bogus.backup"
    bogus.write_text("not a database")
    r = app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert r.exit_code != 0 and ("not an SQLite backup" if sqlite else "pg_restore failed") in r.output
