"""Backups: SQLite's online backup API, pg_dump / pg_restore for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed argument lists
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(database)


def _pg_args(url: str) -> tuple[list[str], dict]:
    u = make_url(url)
    args = ["--host", u.host or "127.0.0.1", "--port", str(u.port or 5432), "--username", u.username or "postgres",
            "--dbname", u.database or "postgres"]
    env = {"PGPASSWORD": u.password} if u.password else {}
    return args, env


def backup(url: str, target: str | Path) -> Path:
    """Write a consistent copy of the live database to `target` (the portal may keep running)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target
    if url.startswith("postgresql"):
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], url)
        return target
    raise BackupError(f"no backup method for {make_url(url).drivername}")


def restore(url: str, source: str | Path) -> None:
    """Replace the database's content with the backup (stop the portal first)."""
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if url.startswith("sqlite"):
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not an SQLite backup: {exc}") from None
        dest = sqlite3.connect(_sqlite_path(url))
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if url.startswith("postgresql"):
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)], url)
        return
    raise BackupError(f"no restore method for {make_url(url).drivername}")


def _run(command: list[str], url: str) -> None:
    import os

    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client)")
    args, env = _pg_args(url)
    argv = [*command[:-1], *args, command[-1]] if command[0] == "pg_restore" else [*command, *args]
    # fixed program names; the arguments come from our own configuration, never from a request
    result = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **env}, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
