"""The foundation's `spoc` commands (init-db, demo, run, worker, audit, mail, send-reminders, backup,
restore, i18n), added to the app by create_app; each domain adds its own in its init_app. The `spoc`
entry point itself is portal/cli.py."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import i18n


def _database():
    return current_app.extensions["spoc_db"]


def init_database() -> None:
    from portal.audit import start_chain
    from portal.directory.services import seed_reference_data
    from portal.migrate import upgrade

    database = _database()
    upgrade(database)
    with database.unit_of_work() as session:
        seed_reference_data(session)
        start_chain(session)


def load_demo_data() -> tuple[str, list]:
    from portal.demo import load_demo

    with _database().unit_of_work() as session:
        return load_demo(session, current_app.config["DEMO_PASSWORD"] or None)


def _print_logins(password: str, logins: list) -> None:
    click.echo(f"Demo logins (password for all: {password})")
    for email, label in logins:
        click.echo(f"  {email:<34} {label}")


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (idempotent)."""
    init_database()
    click.echo(f"Database is up to date: {_safe_url(_database().url)}")


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo data (idempotent); prints the demo logins."""
    init_database()
    password, logins = load_demo_data()
    _print_logins(password, logins)


@click.command("run")
@click.option("--demo", is_flag=True, help="Load the demo data first and print the demo logins.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flask's development server with the reloader.")
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--worker/--no-worker", "with_worker", default=None,
              help="Start a `spoc worker` process beside the server (default: with --demo only).")
@with_appcontext
def run_command(demo: bool, host: str, port: int, debug: bool, threads: int, with_worker: bool | None):
    """Migrate the database and serve the portal (waitress; the reloader only with --debug)."""
    app = current_app._get_current_object()
    base_url_from_address(app, host, port)
    init_database()
    if demo:
        password, logins = load_demo_data()
        _print_logins(password, logins)
    worker = _start_worker() if (demo if with_worker is None else with_worker) else None
    click.echo(f"Serving on http://{host}:{port}/  (database: {_safe_url(_database().url)})")
    sys.stdout.flush()
    try:
        if debug:
            app.run(host=host, port=port, debug=True, use_reloader=True)
        else:
            from waitress import serve

            serve(app, host=host, port=port, threads=threads, ident="spoc-portal")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)


def base_url_from_address(app, host: str, port: int) -> None:
    """The links in mail and calendar files (BASE_URL) point at the address `spoc run` serves on when
    SPOC_BASE_URL does not say otherwise (they pointed at port 5000 whatever --port said); the worker
    started beside the server takes the same (its environment). A server listening on every address
    (0.0.0.0, ::) has no one name: links then use 127.0.0.1; set SPOC_BASE_URL to the public address."""
    import os

    if os.environ.get("SPOC_BASE_URL"):
        return
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 - compared, not bound
    if ":" in shown:
        shown = f"[{shown}]"
    app.config["BASE_URL"] = os.environ["SPOC_BASE_URL"] = f"http://{shown}:{port}"


def _start_worker():
    """`spoc worker` as a child process (same environment, so the same database and queue)."""
    import subprocess

    click.echo("Starting a worker for mail, reminders and other background jobs (spoc worker)")
    return subprocess.Popen([sys.executable, "-m", "portal.cli", "worker", "--exit-with-parent"])


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=int, help="Threads running jobs.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also run the periodic jobs (reminders, sweeps, backup); keep them on one worker.")
@click.option("--exit-with-parent", is_flag=True, hidden=True)
@with_appcontext
def worker_command(workers: int, periodic: bool, exit_with_parent: bool):
    """Run the task queue's consumer: mail, reminders, cross-checks of large cases, backups."""
    import logging

    from portal.jobs import get_queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    queue = get_queue()
    if queue.immediate:
        raise click.ClickException("TESTING is set: jobs run immediately, there is no queue to consume")
    if exit_with_parent:
        _exit_with_parent()
    click.echo(f"Worker: queue {queue.huey.name} on {queue.storage}, {workers} threads"
               f"{', periodic jobs' if periodic else ''}")
    sys.stdout.flush()
    queue.consumer(workers=workers, periodic_tasks=periodic).run()


def _exit_with_parent() -> None:
    """The worker that `spoc run --demo` started stops when the server does, however it ended."""
    import os
    import signal
    import threading
    import time

    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@click.group("audit")
def audit_group():
    """The hash-chained audit log."""


@audit_group.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(dir_okay=False, exists=True),
              help="A head written out earlier (`spoc audit head`, or the .audit-head.json next to a backup): "
                   "the log must still hold it and go on from it.")
@with_appcontext
def audit_verify_command(anchor_file):
    """Recompute the hash chain and check the head's seal; exit 1 if any entry was edited or
    deleted, the end cut, the log wiped or the head missing."""
    import json

    from portal.audit import verify

    anchor = None
    if anchor_file:
        try:
            anchor = json.loads(open(anchor_file, encoding="utf-8").read())
            anchor = {"seq": int(anchor["seq"]), "hash": str(anchor["hash"]), "at": anchor.get("at", "?")}
        except (ValueError, KeyError, TypeError) as exc:
            raise click.ClickException(f"{anchor_file} is not an audit head: {exc}") from None
    with _database().read_session() as session:
        problems = verify(session, anchor)
    if problems:
        for p in problems:
            click.echo(f"FAIL {p}")
        sys.exit(1)
    click.echo("The audit log is intact" + (f" and holds the anchor of {anchor['at']}." if anchor else "."))


@audit_group.command("head")
@click.option("--output", type=click.Path(dir_okay=False), help="Also write it to this file.")
@with_appcontext
def audit_head_command(output):
    """Print the chain's head (entries, last hash, seal) as JSON and write it to the application log:
    keep it outside the database (run it from cron) and check later with `verify --anchor`."""
    head = write_audit_head(output)
    click.echo(head)


def write_audit_head(path=None) -> str:
    import json

    from portal.audit import current_head

    with _database().read_session() as session:
        head = current_head(session)
    text = json.dumps(head)
    current_app.logger.warning("audit chain head: %s", text)
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return text


@audit_group.command("seal")
@with_appcontext
def audit_seal_command():
    """Seal the chain's head with the current audit key (after an upgrade from a version without
    seals, or a change of SPOC_AUDIT_KEY); refused while the chain itself is broken."""
    from portal.audit import seal_head, verify

    with _database().unit_of_work() as session:
        broken = [p for p in verify(session) if "seal" not in p]
        if broken:
            for p in broken:
                click.echo(f"FAIL {p}")
            sys.exit(1)
        seal_head(session)
    click.echo("The chain's head is sealed.")


@click.group("mail")
def mail_group():
    """The outgoing mail queue."""


@mail_group.command("send")
@with_appcontext
def mail_send_command():
    """Send the queued messages through the SMTP settings."""
    from portal.mail.delivery import send_pending

    with _database().write_session() as session:
        sent, failed = send_pending(session, current_app.config)
    click.echo(f"sent {sent}, failed {failed}")


@click.command("send-reminders")
@click.option("--days", default=7, show_default=True, help="Questionnaires: remind this many days before the deadline.")
@with_appcontext
def send_reminders_command(days: int):
    """Queue every reminder that is due now and send the mail (the worker does this on its own:
    case deadlines every 5 minutes, the rest daily)."""
    from portal.db import utcnow
    from portal.mail.delivery import pending_ids, send_pending
    from portal.registry import registry

    database = _database()
    lines = []
    with database.unit_of_work() as session:
        for reminder in registry().reminders:
            lines.extend(reminder(session, current_app.config, utcnow(), days))
    # the commit enqueued the mail for the worker; send what is still waiting now, for whoever runs this by hand
    with database.write_session() as session:
        send_pending(session, current_app.config)
    with database.read_session() as session:
        waiting = len(pending_ids(session, gave_up_too=True))
    for line in lines:
        click.echo(line)
    click.echo(f"{len(lines)} reminders queued; {waiting} messages waiting to be sent")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file):
    """Write a consistent backup of the database to FILE (SQLite online backup; pg_dump)."""
    from portal.backup import BackupError, backup

    try:
        path = backup(_database().url, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    # the chain's head beside the copy: `spoc audit verify --anchor` shows later whether the log
    # was cut or rewritten since
    write_audit_head(f"{path}.audit-head.json")
    click.echo(f"Backup written to {path} (audit head in {path}.audit-head.json)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file, yes):
    """Replace the database's content with the backup in FILE (stop the portal first)."""
    from portal.backup import BackupError, restore

    if not yes:
        click.confirm(f"Replace everything in {_safe_url(_database().url)} with {file}?", abort=True)
    _database().dispose()
    try:
        restore(_database().url, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("Database restored. Run `spoc audit verify` to check the log.")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group("i18n")
def i18n_group():
    """The page chrome's catalogues (English, French, German)."""


@i18n_group.command("extract")
@click.option("--output", type=click.Path(dir_okay=False), default=str(i18n.TRANSLATIONS / "messages.pot"))
def extract_command(output: str):
    """Write the template of every marked message."""
    from babel.messages import pofile

    with open(output, "wb") as fh:
        pofile.write_po(fh, i18n.extract(), width=110, sort_output=True)
    click.echo(output)


@i18n_group.command("update")
def update_command():
    """Merge newly marked messages into the catalogues (then translate them) and recompile."""
    for lang, count in i18n.update_catalogues(i18n.extract()).items():
        click.echo(f"{lang}: {count} message(s) to translate")
    i18n.compile_catalogues(force=True)


@i18n_group.command("compile")
def compile_command():
    """Compile the catalogues (.po -> .mo)."""
    for path in i18n.compile_catalogues(force=True):
        click.echo(path)


def register_commands(app) -> None:
    for cmd in (init_db_command, demo_command, run_command, worker_command, audit_group, mail_group,
                send_reminders_command, backup_command, restore_command, i18n_group):
        app.cli.add_command(cmd)
