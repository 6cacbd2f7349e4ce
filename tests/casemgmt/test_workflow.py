"""Workflow: transitions from one table, evaluation, assignment, tasks, replies, refusals,
dissemination; links and merges."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casemgmt.models import CaseStatus, Dissemination, NationalAuthority
from casemgmt.services import CaseError, dedupe, outgoing, workflow
from casemgmt.services.workflow import TRANSITIONS


def test_every_state_has_its_transitions_and_archived_is_final():
    assert set(TRANSITIONS) == set(CaseStatus)
    assert TRANSITIONS[CaseStatus.ARCHIVED] == {}
    reachable = {t for moves in TRANSITIONS.values() for t in moves.values()}
    # the two states a case starts in (casemgmt.services.intake): an incoming message, or our own request
    assert reachable == set(CaseStatus) - {CaseStatus.RECEIVED, CaseStatus.AWAITING_PARTNER}


def _to_cross_checked(work, case_id, officer):
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                 information_access="direct", source_code="B",
                                                 information_code="2", handling_code="H3",
                                                 handling_text="Not for the press"))
    work(case_id, lambda s, c: workflow.record_cross_check(s, c, officer, "2 hits"))


def test_full_path_received_to_archived(intake, work, officer):
    case_id, _, _ = intake("BE")
    _to_cross_checked(work, case_id, officer)
    assert work(case_id, lambda s, c: (c.status, c.source_code, c.information_code, c.handling_text)) == \
        ("cross_checked", "B", "2", "Not for the press")
    work(case_id, lambda s, c: outgoing.send_reply(s, c, officer, body="Known for theft.", handling_code="H1",
                                                   justification="Requested under Art. 4"))
    work(case_id, lambda s, c: workflow.apply(s, c, "close", officer, outcome="no_information"))
    work(case_id, lambda s, c: workflow.apply(s, c, "archive", officer))
    assert work(case_id, lambda s, c: (c.status, c.answered, c.exchange_concluded_at is not None)) == \
        ("archived", True, True)


def test_disallowed_moves_are_refused(intake, work, officer):
    case_id, _, _ = intake("BE")
    with pytest.raises(CaseError, match="not possible while the case is received"):
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=0, summary="x", handling_code="H0",
                                                        justification="y"))
    with pytest.raises(CaseError):
        work(case_id, lambda s, c: workflow.apply(s, c, "archive", officer))
    with pytest.raises(CaseError):  # dissemination only after the cross-check
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=1, summary="x",
                                                        handling_code="H0", justification="y"))
    assert work(case_id, lambda s, c: c.status) == "received"


def test_evaluation_rules(intake, work, officer):
    case_id, _, _ = intake("BE")
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=True, urgency_ground=None,
                                                     information_access="direct"))
    assert exc.value.field == "urgency_ground"
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=False, urgency_ground=None,
                                                     information_access=None, handling_code="H3"))
    assert exc.value.field == "handling_text"
    work(case_id, lambda s, c: workflow.evaluate(s, c, officer, urgent=True, urgency_ground="deprivation_of_liberty",
                                                 information_access="direct"))
    assert work(case_id, lambda s, c: (c.limit_hours, c.due_at - c.received_at, c.priority)) [0] == 8


def test_refusal_with_several_grounds_and_partial(intake, work, officer):
    case_id, _, _ = intake("BE")
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: outgoing.refuse(s, c, officer, grounds=["z"], justification="x"))
    assert exc.value.field == "grounds"
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: outgoing.refuse(s, c, officer, grounds=["a"], justification="x", partial=True))
    assert exc.value.field == "body"
    work(case_id, lambda s, c: outgoing.refuse(s, c, officer, grounds=["f", "c"], justification="Ongoing case",
                                               partial=True, body="Identity confirmed.", handling_code="H2"))
    got = work(case_id, lambda s, c: (c.status, c.refused, c.answered,
                                      [(m.type, m.refusal_grounds, m.partial_refusal) for m in c.messages if m.direction == "out"]))
    assert got == ("replied", True, True, [("refusal", ["c", "f"], True)])


def test_dissemination_records_what_went_to_whom(intake, work, officer, db):
    case_id, _, _ = intake("BE")
    _to_cross_checked(work, case_id, officer)
    with db.begin():
        nl_auth = NationalAuthority(country_code="NL", name="Dutch police")
        db.add(nl_auth)
    db.commit()
    auth = work(case_id, lambda s, c: outgoing.add_authority(s, "BE", "Customs", kind="customs").id)
    with pytest.raises(CaseError) as exc:  # another SPOC's directory is not ours
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=nl_auth.id, summary="x",
                                                        handling_code="H0", justification="y"))
    assert exc.value.field == "authority_id"
    with pytest.raises(CaseError) as exc:
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=auth, summary="x",
                                                        handling_code="H3", justification="y"))
    assert exc.value.field == "handling_text"
    # the provider's H3 ("Not for the press", recorded at the evaluation) cannot be lowered to H2
    with pytest.raises(CaseError, match="restricted this information with H3") as exc:
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=auth, summary="x",
                                                        handling_code="H2", justification="y"))
    assert exc.value.field == "handling_code"
    with pytest.raises(CaseError, match="Not for the press") as exc:
        work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=auth, summary="x",
                                                        handling_code="H3", handling_text="Customs only",
                                                        justification="y"))
    assert exc.value.field == "handling_text"
    work(case_id, lambda s, c: outgoing.disseminate(s, c, officer, authority_id=auth, summary="Plate and owner",
                                                    handling_code="H3", handling_text="Not for the press",
                                                    justification="Customs check at the port"))
    db.rollback()
    item = db.scalar(select(Dissemination))
    assert (item.authority.name, item.summary, item.handling_code) == ("Customs", "Plate and owner", "H3")
    assert work(case_id, lambda s, c: c.status) == "disseminated"


def test_assignment_tasks_notes(intake, work, officer, make_user):
    case_id, _, _ = intake("BE")
    colleague = make_user("officer", "BE")
    foreigner = make_user("officer", "NL")
    with pytest.raises(CaseError):
        work(case_id, lambda s, c: workflow.assign(s, c, officer, foreigner))
    work(case_id, lambda s, c: workflow.assign(s, c, officer, colleague))
    task_id = work(case_id, lambda s, c: workflow.add_task(s, c, officer, "Query the vehicle register", colleague).id)
    work(case_id, lambda s, c: workflow.complete_task(s, c, officer, task_id))
    work(case_id, lambda s, c: workflow.add_note(s, c, officer, "Called the requester"))
    got = work(case_id, lambda s, c: (c.assignee_id,))
    assert got == (colleague.id,)


def test_link_and_merge(intake, work, officer, db):
    a, num_a, _ = intake("BE")
    b, num_b, _ = intake("BE")
    c_, num_c, _ = intake("BE")
    nl, _, _ = intake("NL")
    work(a, lambda s, c: dedupe.link_cases(s, c, s.get(type(c), b), officer, "same suspect"))
    assert work(b, lambda s, c: [x.registration_number for x in dedupe.linked_cases(s, c)]) == [num_a]
    with pytest.raises(CaseError):
        work(a, lambda s, c: dedupe.link_cases(s, c, s.get(type(c), nl), officer))
    with pytest.raises(CaseError) as exc:
        work(c_, lambda s, c: dedupe.merge_case(s, c, s.get(type(c), a), officer, " "))
    assert exc.value.field == "justification"
    work(c_, lambda s, c: dedupe.merge_case(s, c, s.get(type(c), a), officer, "Same request by e-mail"))
    got = work(c_, lambda s, c: (c.registration_number, c.merged_into.registration_number, c.is_open, len(c.messages)))
    assert got == (num_c, num_a, False, 0)
    assert work(a, lambda s, c: len(c.messages)) == 2
    # a later message with the merged case's reference lands in the surviving case
    ref = work(a, lambda s, c: [r.reference for r in c.references])[-1]
    assert intake("BE", external_reference=ref)[2] == num_a


def test_merged_case_page_says_merged_into(login_as, intake, work, officer):
    a, num_a, _ = intake("BE")
    b, num_b, _ = intake("BE")
    work(b, lambda s, c: dedupe.merge_case(s, c, s.get(type(c), a), officer, "duplicate"))
    client, _ = login_as("officer", "BE")
    page = client.get(f"/cases/{num_b}").get_data(as_text=True)
    assert f"Merged into <a href=\"/cases/{num_a}\">{num_a}</a>" in page
