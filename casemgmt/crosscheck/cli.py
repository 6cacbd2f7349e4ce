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
@click.option("--legal-basis", required=True, help="The law under which the data set is processed, e.g. "
              "'Police Act Art. 44/1 (wanted persons)' (Directive 2016/680 Art. 8).")
@click.option("--owner", required=True, help="The authority that owns the data set, e.g. 'Federal Police DJSOC'.")
@click.option("--extract-date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date of the extract (YYYY-MM-DD).")
@click.option("--refresh-days", required=True, type=int, help="Refresh interval: a fresh extract is due every "
                                                             "so many days.")
@click.option("--expires", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Expiry (YYYY-MM-DD): after this day the data set is no longer searched and the officers "
                   "are told.")
@click.option("--queue-only", is_flag=True, help="Queue the cross-check of the SPOC's open cases but leave the runs "
                                                "pending, for `spoc crosscheck run-pending` (e.g. from cron).")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000), help="Runs per transaction at most when re-running the open cases (fewer when they take over 0.5 s).")
@with_appcontext
def load_command(name, file, country, mapping, replace, strict, description, legal_basis, owner, extract_date,
                 refresh_days, expires, queue_only, batch):
    """Load FILE.csv as the reference data set NAME of a SPOC, with its legal basis, owner, extract
    date, refresh interval and expiry, then cross-check the SPOC's open cases again against
    everything it holds (new_data runs, queued as the data set is put in place, run in batches after
    it unless --queue-only). The rows are written in batches of short transactions under a data set
    that is not searched until the last one is in (a replaced one is searched until then): officers
    keep registering cases meanwhile, and a data set is searched whole or not at all."""
    from casemgmt.crosscheck.reference import LoadError, Provenance, count_rows, load_dataset_in_batches

    country = _country(country)
    provenance = Provenance(legal_basis, owner, extract_date.date(), refresh_days, expires.date())
    try:
        provenance.check()
    except LoadError as exc:
        raise click.ClickException(str(exc)) from None
    total = count_rows(file)
    started = time.perf_counter()
    finish = _LoadFinish(country, name, file.name, provenance, _replacing(country, name))
    try:
        with click.progressbar(length=total, label=f"Loading {file.name}", show_pos=True, show_percent=True,
                               file=sys.stderr) as bar:
            report = load_dataset_in_batches(_database().unit_of_work, country=country, name=name, path=file,
                                             mapping_text=mapping, replace=replace, strict=strict,
                                             description=description, on_rows=bar.update, finish=finish,
                                             provenance=provenance)
    except LoadError as exc:
        raise click.ClickException(str(exc)) from None
    _say_loaded(report, country, name, file.name, time.perf_counter() - started, finish.queued)
    if queue_only:
        click.echo("Left pending (--queue-only): the worker's sweep (`spoc worker`, within 15 minutes) or "
                   "`spoc crosscheck run-pending` finishes them.")
    elif finish.queued.cases:
        _rerun(country, batch)


def _replacing(country: str, name: str) -> bool:
    """Whether a searched data set of that name is there already (the load replaces it)."""
    from sqlalchemy import select

    from casemgmt.crosscheck.models import ReferenceDataset

    with _database().read_session() as session:
        return session.scalar(select(ReferenceDataset.id).where(
            ReferenceDataset.country_code == country, ReferenceDataset.name == name.strip(),
            ReferenceDataset.ready.is_(True))) is not None


class _LoadFinish:
    """The load's last step, in the transaction that puts the data set in place: the re-runs of the
    SPOC's open cases are queued (`queued` after it) and the load is logged."""

    def __init__(self, country: str, name: str, file_name: str, provenance, replacing: bool):
        self.country, self.name, self.file_name = country, name, file_name
        self.provenance, self.replacing, self.queued = provenance, replacing, None

    def __call__(self, session, report) -> None:
        from casemgmt.crosscheck.models import ReferenceDataset
        from casemgmt.crosscheck.reference import provenance_details
        from casemgmt.crosscheck.rerun import queue_new_data_runs
        from portal import audit
        from portal.audit import AuditAction

        # with the data set, so that a load that commits always leaves its re-runs behind
        self.queued = queue_new_data_runs(session, self.country)
        dataset = session.get(ReferenceDataset, report.dataset.id)
        # the access log: who loaded what, under which legal basis (Directive 2016/680 Art. 25)
        name, replacing = self.name, self.replacing
        audit.record(session, area="casemgmt", action=AuditAction.ALTERATION if replacing else AuditAction.COLLECTION,
                     object_type="reference_dataset", object_id=name.strip(), country_code=self.country,
                     details={"what": f"reference data set {name} {'replaced' if replacing else 'loaded'} "
                                      f"from {self.file_name}", "rows": report.loaded, "rejected": report.rejected,
                              "open_cases_queued": self.queued.cases, **provenance_details(dataset)})


def _say_loaded(report, country: str, name: str, file_name: str, seconds: float, queued) -> None:
    from casemgmt.crosscheck.reference import COLUMN_FIELDS

    for problem in report.problems:
        click.echo(f"  skipped {problem}", err=True)
    if report.rejected > len(report.problems):
        click.echo(f"  … and {report.rejected - len(report.problems)} more", err=True)
    mapped = ", ".join(f"{fld}={col}" for fld, col in report.dataset.mapping.items() if fld in COLUMN_FIELDS)
    click.echo(f"Loaded {report.loaded:,} rows of {file_name} as {country}/{name} in {seconds:.1f} s "
               f"({report.rejected:,} skipped; columns: {mapped})")
    click.echo(f"Queued {queued.cases:,} open case(s) of {country} for a new cross-check"
               + (f" ({queued.already_pending:,} had a pending run already)." if queued.already_pending else "."))


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
            state = ("EXPIRED, not searched" if ds.is_expired()
                     else f"expires {ds.expires_on}" if ds.expires_on else "no expiry recorded")
            click.echo(f"{ds.name:<30} {ds.row_count:>10,} rows  loaded {ds.loaded_at:%Y-%m-%d %H:%M} UTC "
                       f"from {ds.source_file}; {state}" + ("" if ds.ready else "  (not searched: being loaded or "
                                                                   "deleted, or a load that was cut short; delete it)"))
            click.echo(f"{'':<30} legal basis: {ds.legal_basis or '(not recorded)'}; owner: {ds.owner or '-'}; "
                       f"extract of {ds.extract_date or '-'}, refreshed every {ds.refresh_days or '-'} days")


@crosscheck_group.command("delete")
@click.argument("name")
@click.option("--country", "country", required=True)
@with_appcontext
def delete_command(name, country):
    """Delete the reference data set NAME of a SPOC and its index entries."""
    from sqlalchemy import select

    from casemgmt.crosscheck.models import ReferenceDataset
    from casemgmt.crosscheck.reference import delete_dataset, provenance_details
    from portal import audit
    from portal.audit import AuditAction

    country = _country(country)
    with _database().unit_of_work() as session:
        ds = session.scalar(select(ReferenceDataset).where(ReferenceDataset.country_code == country,
                                                           ReferenceDataset.name == name))
        if ds is None:
            raise click.ClickException(f"{country} has no data set {name!r}")
        rows = ds.row_count
        details = provenance_details(ds)
        delete_dataset(session, ds)
        audit.record(session, area="casemgmt", action=AuditAction.ERASURE, object_type="reference_dataset",
                     object_id=name, country_code=country, details={"what": f"reference data set {name} deleted",
                                                                    "rows": rows, **details})
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
@click.option("--iban", default="")
@click.option("--ip", default="", help="IP address (v4 or v6).")
@click.option("--crypto", default="", help="Crypto-currency address (Bitcoin, Ethereum).")
@click.option("--handle", default="", help="Handle, with --platform.")
@click.option("--platform", "handle_platform", default="")
@click.option("--user", "email", default=None, help="Who searches (an officer or supervisor of the country); "
                                                     "written to the access log.")
@click.option("--reason", default="", help="Why (written to the access log).")
@with_appcontext
def search_command(country, surname, given_names, date_of_birth, nationality, document, document_country, iban, ip,
                   crypto, handle, handle_platform, email, reason):
    """Search a SPOC's cases and reference data for one person or identifier (prints hits and
    reasons). Expired reference data sets are not searched. Every search is written to the access
    log (the fields searched, never their values)."""
    from sqlalchemy import select

    from casemgmt.crosscheck.index import SqlIndex
    from casemgmt.crosscheck.matching import search
    from casemgmt.crosscheck.models import ReferenceDataset
    from casemgmt.crosscheck.normalise import NormalisationError
    from casemgmt.crosscheck.reference import subject_from_row
    from portal import audit
    from portal.audit import AuditAction

    country = _country(country)
    row = {"surname": surname, "given_names": given_names, "date_of_birth": date_of_birth,
           "nationality": nationality, "document_number": document, "document_country": document_country,
           "iban": iban, "ip": ip, "crypto": crypto, "handle": handle, "handle_platform": handle_platform}
    try:
        query = subject_from_row(row, {k: k for k in row}, ref="query", default_country=country)
    except NormalisationError as exc:
        raise click.ClickException(str(exc)) from None
    with _database().unit_of_work() as session:
        actor = _searcher(session, email, country)
        datasets = session.scalars(select(ReferenceDataset).where(ReferenceDataset.country_code == country)).all()
        # expired ones, and a data set still being loaded (not ready), are not searched
        expired = {ds.id for ds in datasets if ds.is_expired()}
        skipped = expired | {ds.id for ds in datasets if not ds.ready}
        hits = search(SqlIndex(session, skip_datasets=skipped), country, query)
        audit.record(session, actor=actor, area="casemgmt", action=AuditAction.CONSULTATION,
                     object_type="crosscheck_search", object_id="spoc crosscheck search", country_code=country,
                     justification=reason.strip(),
                     details={"what": f"cross-check searched by hand ({', '.join(k for k, v in row.items() if v)}): "
                                      f"{len(hits)} hit(s)",
                              "fields": sorted(k for k, v in row.items() if v), "hits": len(hits),
                              "expired_not_searched": sorted(ds.name for ds in datasets if ds.id in expired)})
    for ds in datasets:
        if ds.id in expired:
            click.echo(f"Data set {ds.name} expired on {ds.expires_on}: not searched.", err=True)
    if not hits:
        click.echo("No hit.")
    for hit in hits:
        click.echo(f"{hit.level:<8} {hit.score:.2f}  {hit.subject.display}  [{hit.subject.ref}]")
        for reason in hit.reasons:
            click.echo(f"           - {reason}")


def _searcher(session, email: str | None, country: str):
    """The user named by --user, who must be of the country (else the search is refused)."""
    if not email:
        return None
    from sqlalchemy import func, select

    from portal.accounts.models import User

    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or user.country_code != country:
        raise click.BadParameter(f"{email} is not a user of {country}", param_hint="--user")
    return user


__all__ = ["crosscheck_group"]
