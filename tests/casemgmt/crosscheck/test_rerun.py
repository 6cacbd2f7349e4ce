"""Loading or replacing a reference data set cross-checks the SPOC's open cases again (new_data runs):
the hits found are marked new on the case's pages and in the inbox, and every run is logged."""

from __future__ import annotations

from sqlalchemy import func, select

from casemgmt.crosscheck import rerun, services
from casemgmt.crosscheck.models import CrossCheckHit, CrossCheckRun
from casemgmt.models import Case
from portal.audit import AuditEntry

COURIER = [{"kind": "person", "surname": "Schtscherbakow", "given_names": "Dmitri", "date_of_birth": "1975-03-04",
            "nationality": "UA"}]
# the columns of the data sets the `wanted_csv` fixture writes (conftest.py)
WANTED = {"Nr": "W-1", "Name": "Щербаков", "Vorname": "Дмитрий", "Geboren": "04.03.1975", "Land": "UA"}
STRANGER = {"Nr": "W-2", "Name": "Papadopoulos", "Vorname": "Georgios", "Geboren": "21.11.1982", "Land": "EL"}


def courier_case(intake, officer, country="BE"):
    return intake(country, officer, subject="Identification of a courier", body="Who is he?", entities=COURIER)


def test_a_case_registered_before_a_load_gets_its_hit_after_the_load(intake, officer, db, load, wanted_csv):
    case_id, number, _ = courier_case(intake, officer)
    assert db.scalar(select(func.count(CrossCheckHit.id))) == 0
    result = load(wanted_csv(WANTED, STRANGER))
    assert "Queued 1 open case(s) of BE for a new cross-check." in result.output
    assert "Ran 1 cross-check(s)" in result.output and "1 new hit(s) in 1 case(s)" in result.output
    db.rollback()
    run = db.scalar(select(CrossCheckRun).where(CrossCheckRun.case_id == case_id, CrossCheckRun.trigger == "new_data"))
    assert run.status == "done" and run.hits == 1 and "dataset:wanted" in run.sources
    (hit,) = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == case_id))
    assert (hit.source, hit.matched_ref, hit.level, hit.run_id) == ("dataset:wanted", "row:W-1", "strong", run.id)
    assert hit.new_data_at is not None
    # logged like an intake run, with its trigger (Directive 2016/680 Art. 25: combination)
    (entry,) = [e for e in db.scalars(select(AuditEntry).where(AuditEntry.object_id == number,
                                                               AuditEntry.action == "combination"))
                if e.details["run"] == run.id]
    assert "cross-check (new_data)" in entry.details["what"] and entry.details["strong"] == 1
    load_entry = db.scalar(select(AuditEntry).where(AuditEntry.object_type == "reference_dataset"))
    assert load_entry.details["open_cases_queued"] == 1


def test_closed_merged_and_other_countries_cases_are_not_run_again(intake, officer, make_user, db, load, wanted_csv,
                                                                    work):
    open_id, _, _ = courier_case(intake, officer)
    closed_id, _, _ = courier_case(intake, officer)
    archived_id, _, _ = courier_case(intake, officer)
    merged_id, _, _ = courier_case(intake, officer)
    nl_id, _, _ = courier_case(intake, make_user("officer", "NL"), country="NL")
    work(closed_id, lambda s, c: setattr(c, "status", "closed"))
    work(archived_id, lambda s, c: setattr(c, "status", "archived"))
    work(merged_id, lambda s, c: setattr(c, "merged_into_id", open_id))
    result = load(wanted_csv(WANTED))
    assert "Queued 1 open case(s) of BE" in result.output
    db.rollback()
    rerun_cases = db.scalars(select(CrossCheckRun.case_id).where(CrossCheckRun.trigger == "new_data")).all()
    assert rerun_cases == [open_id]
    for case_id in (closed_id, archived_id, merged_id, nl_id):
        assert db.scalar(select(func.count(CrossCheckHit.id)).where(CrossCheckHit.case_id == case_id,
                                                                    CrossCheckHit.source == "dataset:wanted")) == 0


def test_a_case_with_a_pending_run_keeps_that_one(app, intake, officer, db):
    case_id, _, _ = courier_case(intake, officer)
    with app.extensions["spoc_db"].unit_of_work() as s:
        services.request_run(s, s.get(Case, case_id), trigger="on_demand")
        queued = rerun.queue_new_data_runs(s, "BE")
    assert (queued.queued, queued.already_pending, queued.cases) == (0, 1, 1)
    db.rollback()
    assert db.scalars(select(CrossCheckRun.trigger).where(CrossCheckRun.status == "pending")).all() == ["on_demand"]


def test_a_decision_made_before_a_replace_survives_it(app, intake, officer, db, load, wanted_csv):
    case_id, _, _ = courier_case(intake, officer)
    load(wanted_csv(WANTED))
    with app.extensions["spoc_db"].unit_of_work() as s:
        (hit,) = services.hits_of(s, s.get(Case, case_id))
        services.decide_hit(s, s.get(Case, case_id), hit.id, "rejected", officer, "another man, other photo")
        hit_id, first_found = hit.id, hit.new_data_at
    result = load(wanted_csv(WANTED, STRANGER), "--replace")
    assert "0 new hit(s)" in result.output
    db.rollback()
    (again,) = db.scalars(select(CrossCheckHit).where(CrossCheckHit.case_id == case_id))
    assert (again.id, again.status, again.decision_note, again.current) == (
        hit_id, "rejected", "another man, other photo", True)
    assert again.new_data_at == first_found
    assert db.scalar(select(func.count(CrossCheckRun.id)).where(CrossCheckRun.case_id == case_id,
                                                                CrossCheckRun.trigger == "new_data")) == 2
    # a replacement without the row: the hit is no longer current, its decision stays
    load(wanted_csv(STRANGER), "--replace")
    db.rollback()
    gone = db.get(CrossCheckHit, hit_id)
    db.refresh(gone)
    assert (gone.current, gone.status) == (False, "rejected")


def test_queue_only_leaves_the_runs_pending_for_run_pending(app, intake, officer, db, load, wanted_csv):
    first_id, _, _ = courier_case(intake, officer)
    second_id, _, _ = courier_case(intake, officer)
    result = load(wanted_csv(WANTED), "--queue-only")
    assert "Queued 2 open case(s) of BE" in result.output and "Left pending (--queue-only)" in result.output
    db.rollback()
    pending = db.scalars(select(CrossCheckRun.case_id).where(CrossCheckRun.status == "pending",
                                                             CrossCheckRun.trigger == "new_data")).all()
    assert sorted(pending) == [first_id, second_id]
    assert db.scalar(select(func.count(CrossCheckHit.id)).where(CrossCheckHit.source == "dataset:wanted")) == 0
    finished = app.test_cli_runner().invoke(args=["crosscheck", "run-pending", "--limit", "1"])
    assert "1 pending cross-check(s) run." in finished.output
    finished = app.test_cli_runner().invoke(args=["crosscheck", "run-pending"])
    assert "1 pending cross-check(s) run." in finished.output
    db.rollback()
    assert db.scalar(select(func.count(CrossCheckRun.id)).where(CrossCheckRun.status == "pending")) == 0
    new = db.scalars(select(CrossCheckHit.case_id).where(CrossCheckHit.source == "dataset:wanted",
                                                         CrossCheckHit.new_data_at.is_not(None))).all()
    assert sorted(new) == [first_id, second_id]


def test_runs_are_finished_in_batches(app, intake, officer, db):
    for _ in range(3):
        courier_case(intake, officer)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        assert rerun.queue_new_data_runs(s, "BE").queued == 3
    batches: list[int] = []
    assert rerun.run_pending_in_batches(database.unit_of_work, batch=2, on_batch=batches.append) == 3
    assert batches == [2, 1]
    db.rollback()
    assert db.scalar(select(func.count(CrossCheckRun.id)).where(CrossCheckRun.status == "pending")) == 0


def test_a_loads_re_run_finishes_that_spocs_runs_only(app, intake, make_user, officer, db):
    """The load of BE's data set finishes BE's runs; NL's pending run is NL's cron's, not counted here."""
    courier_case(intake, officer)
    nl_officer = make_user("officer", "NL")
    nl_id, _, _ = intake("NL", nl_officer)
    database = app.extensions["spoc_db"]
    with database.unit_of_work() as s:
        assert rerun.queue_new_data_runs(s, "BE").queued == 1 and rerun.queue_new_data_runs(s, "NL").queued == 1
    assert rerun.run_pending_in_batches(database.unit_of_work, batch=10, country="BE") == 1
    db.rollback()
    pending = db.scalars(select(CrossCheckRun.case_id).where(CrossCheckRun.status == "pending")).all()
    assert pending == [nl_id]
