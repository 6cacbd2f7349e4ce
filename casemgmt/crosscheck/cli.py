"""`spoc crosscheck …`: load and list reference data sets, finish pending runs, search by hand."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def _database():
    return current_app.extensions["spoc_db"]


def _country(value: str) -> str:
    from sqlalchemy import select

    from portal.directory.models import Country

    code = (value or "").strip().upper()
    with _database().read_session() as session:
        if session.scalar(select(Country.code).where(Country.code == code)) is None:
            raise click.BadParameter(f"{value!r} is not a country of the network (e.g. BE, EL)",
                                     param_hint="--country")
    return code


@click.group("crosscheck")
def crosscheck_group():
    """The automated cross-check: reference data sets and runs."""


@crosscheck_group.command("load")
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--country", "country", required=True, help="The SPOC whose data set this is, e.g. BE.")
@click.option("--map", "mapping", default="", help="FIELD=COLUMN,… e.g. surname=Name,given_names=Vorname,"
                                                   "date_of_birth=Geburtsdatum (columns named like a field "
                                                   "map themselves).")
@click.option("--replace", is_flag=True, help="Replace the data set NAME if the SPOC already has one.")
@click.option("--strict", is_flag=True, help="Stop at the first row that cannot be read (nothing is loaded).")
@click.option("--description", default="", help="What the data set is, for the officers.")
@click.option("--queue-only", is_flag=True, help="Queue the cross-check of the SPOC's open cases but leave the runs "
                                                "pending, for `spoc crosscheck run-pending` (e.g. from cron).")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000), help="Runs per transaction at most when re-running the open cases (fewer when they take over 0.5 s).")
@with_appcontext
def load_command(name, file, country, mapping, replace, strict, description, queue_only, batch):
    """Load FILE.csv as the reference data set NAME of a SPOC, then cross-check the SPOC's open cases
    again against everything it holds (new_data runs, queued as the data set is put in place, run in
    batches after it unless --queue-only). The rows are written in batches of short transactions
    under a data set that is not searched until the last one is in (a replaced one is searched
    until then): officers keep registering cases meanwhile, and a data set is searched whole or not
    at all."""
    from casemgmt.crosscheck.reference import COLUMN_FIELDS, LoadError, count_rows, load_dataset_in_batches
    from casemgmt.crosscheck.rerun import queue_new_data_runs
    from portal import audit
    from portal.audit import AuditAction

    country = _country(country)
    total = count_rows(file)
    started = time.perf_counter()
    queued = None

    def finish(session, report):
        nonlocal queued
        # with the data set, so that a load that commits always leaves its re-runs behind
        queued = queue_new_data_runs(session, country)
        audit.record(session, area="casemgmt", action=AuditAction.COLLECTION, object_type="reference_dataset",
                     object_id=report.dataset.name, country_code=country,
                     details={"what": f"reference data set {name} loaded from {file.name}",
                              "rows": report.loaded, "rejected": report.rejected,
                              "open_cases_queued": queued.cases})

    try:
        with click.progressbar(length=total, label=f"Loading {file.name}", show_pos=True, show_percent=True,
                               file=sys.stderr) as bar:
            report = load_dataset_in_batches(_database().unit_of_work, country=country, name=name, path=file,
                                             mapping_text=mapping, replace=replace, strict=strict,
                                             description=description, on_rows=bar.update, finish=finish)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from None
    seconds = time.perf_counter() - started
    for problem in report.problems:
        click.echo(f"  skipped {problem}", err=True)
    if report.rejected > len(report.problems):
        click.echo(f"  … and {report.rejected - len(report.problems)} more", err=True)
    mapped = ", ".join(f"{fld}={col}" for fld, col in report.dataset.mapping.items() if fld in COLUMN_FIELDS)
    click.echo(f"Loaded {report.loaded:,} rows of {file.name} as {country}/{name} in {seconds:.1f} s "
               f"({report.rejected:,} skipped; columns: {mapped})")
    click.echo(f"Queued {queued.cases:,} open case(s) of {country} for a new cross-check"
               + (f" ({queued.already_pending:,} had a pending run already)." if queued.already_pending else "."))
    if queue_only:
        click.echo("Left pending (--queue-only): the worker's sweep (`spoc worker`, within 15 minutes) or "
                   "`spoc crosscheck run-pending` finishes them.")
    elif queued.cases:
        _rerun(country, batch)


def _rerun(country: str, batch: int) -> None:
    """Finish the pending runs in batches; what fails stays pending for `spoc crosscheck run-pending`."""
    from casemgmt.crosscheck.rerun import new_hits_since, run_pending_in_batches
    from portal.db import utcnow

    since = utcnow()
    started = time.perf_counter()
    try:
        done = run_pending_in_batches(_database().unit_of_work, batch=batch, country=country)
    except Exception as exc:
        raise click.ClickException(f"the data set is loaded, but a cross-check failed ({exc}); the runs not "
                                   "finished stay pending: `spoc crosscheck run-pending` retries them") from exc
    with _database().read_session() as session:
        hits, cases = new_hits_since(session, country, since)
    click.echo(f"Ran {done:,} cross-check(s) in {time.perf_counter() - started:.1f} s: {hits:,} new hit(s) "
               f"in {cases:,} case(s).")


@crosscheck_group.command("list")
@click.option("--country", "country", required=True)
@with_appcontext
def list_command(country):
    """The reference data sets of a SPOC."""
    from sqlalchemy import select

    from casemgmt.crosscheck.models import ReferenceDataset

    country = _country(country)
    with _database().read_session() as session:
        rows = session.scalars(select(ReferenceDataset).where(ReferenceDataset.country_code == country)
                               .order_by(ReferenceDataset.name)).all()
        if not rows:
            click.echo(f"{country} has no reference data sets.")
        for ds in rows:
            click.echo(f"{ds.name:<30} {ds.row_count:>10,} rows  loaded {ds.loaded_at:%Y-%m-%d %H:%M} UTC "
                       f"from {ds.source_file}" + ("" if ds.ready else "  (not searched: being loaded or "
                                                   "deleted, or a load that was cut short; delete it)"))


@crosscheck_group.command("delete")
@click.argument("name")
@click.option("--country", "country", required=True)
@with_appcontext
def delete_command(name, country):
    """Delete the reference data set NAME of a SPOC and its index entries."""
    from sqlalchemy import select

    from casemgmt.crosscheck.models import ReferenceDataset
    from casemgmt.crosscheck.reference import delete_dataset
    from portal import audit
    from portal.audit import AuditAction

    country = _country(country)
    with _database().unit_of_work() as session:
        ds = session.scalar(select(ReferenceDataset).where(ReferenceDataset.country_code == country,
                                                           ReferenceDataset.name == name))
        if ds is None:
            raise click.ClickException(f"{country} has no data set {name!r}")
        rows = ds.row_count
        delete_dataset(session, ds)
        audit.record(session, area="casemgmt", action=AuditAction.ERASURE, object_type="reference_dataset",
                     object_id=name, country_code=country, details={"what": f"reference data set {name} deleted",
                                                                    "rows": rows})
    click.echo(f"Deleted {country}/{name} ({rows:,} rows).")


@crosscheck_group.command("run-pending")
@click.option("--limit", default=100, show_default=True, help="Runs to finish in this call.")
@with_appcontext
def run_pending_command(limit):
    """Finish the cross-checks left pending at intake (for cron or a worker loop)."""
    from casemgmt.crosscheck.services import run_pending

    with _database().unit_of_work() as session:
        done = run_pending(session, limit=limit)
    click.echo(f"{done} pending cross-check(s) run.")


@crosscheck_group.command("search")
@click.option("--country", "country", required=True)
@click.option("--surname", default="")
@click.option("--given-names", default="")
@click.option("--date-of-birth", default="")
@click.option("--nationality", default="")
@click.option("--document", default="", help="Document number (with --document-country).")
@click.option("--document-country", default="")
@with_appcontext
def search_command(country, surname, given_names, date_of_birth, nationality, document, document_country):
    """Search a SPOC's cases and reference data for one person (prints hits and reasons)."""
    from sqlalchemy import select

    from casemgmt.crosscheck.index import SqlIndex
    from casemgmt.crosscheck.matching import search
    from casemgmt.crosscheck.models import ReferenceDataset
    from casemgmt.crosscheck.normalise import NormalisationError
    from casemgmt.crosscheck.reference import subject_from_row

    country = _country(country)
    row = {"surname": surname, "given_names": given_names, "date_of_birth": date_of_birth,
           "nationality": nationality, "document_number": document, "document_country": document_country}
    try:
        query = subject_from_row(row, {k: k for k in row}, ref="query", default_country=country)
    except NormalisationError as exc:
        raise click.ClickException(str(exc)) from None
    with _database().read_session() as session:
        ready = set(session.scalars(select(ReferenceDataset.id).where(ReferenceDataset.country_code == country,
                                                                      ReferenceDataset.ready.is_(True))))
        hits = search(SqlIndex(session), country, query,  # not a data set still being loaded
                      exclude=lambda r: r.extra.get("origin") == "dataset" and r.extra.get("dataset_id") not in ready)
    if not hits:
        click.echo("No hit.")
    for hit in hits:
        click.echo(f"{hit.level:<8} {hit.score:.2f}  {hit.subject.display}  [{hit.subject.ref}]")
        for reason in hit.reasons:
            click.echo(f"           - {reason}")


__all__ = ["crosscheck_group"]
