"""Who may do what: every authorisation decision of the portal lives here.

Views and API handlers ask `can_*` questions or call `ensure(...)`; lists use the `visible_*`
query filters so that a list never shows what a page would refuse. A refusal about another
country's object is a 404 so that nobody learns it exists.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from portal.accounts.models import CASE_ROLES, Role


def ensure(allowed: bool) -> None:
    """Refuse with 404: the object may exist, but not for this user."""
    if not allowed:
        raise NotFound()


def role_of(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role(user.role)


def is_network_staff(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.SECRETARIAT)


def is_own_country(user, country_code: str | None) -> bool:
    return bool(country_code) and getattr(user, "country_code", None) == country_code


# accounts -------------------------------------------------------------------------------------
def can_manage_users(user) -> bool:
    return role_of(user) is Role.ADMIN


def can_manage_jobs(user) -> bool:
    """The task queue's failed jobs (/admin/jobs): retry or drop."""
    return role_of(user) is Role.ADMIN


# directory ------------------------------------------------------------------------------------
def can_view_directory(user) -> bool:
    return role_of(user) is not None


def can_edit_presidencies(user) -> bool:
    return is_network_staff(user)


def can_edit_spoc(user, country_code: str) -> bool:
    role = role_of(user)
    return is_network_staff(user) or (role is Role.HEAD_OF_SPOC and is_own_country(user, country_code))


def can_set_directive_binding(user) -> bool:
    """Whether Directive (EU) 2023/977 binds a country is a network fact (its recitals, a Member State's
    notification), recorded by the secretariat, not by the country's own Head of SPOC."""
    return is_network_staff(user)


# questionnaires -------------------------------------------------------------------------------
def can_manage_rounds(user) -> bool:
    return is_network_staff(user)


def can_view_response(user, country_code: str) -> bool:
    role = role_of(user)
    if is_network_staff(user):
        return True
    return role in (Role.RESPONDENT, Role.HEAD_OF_SPOC) and is_own_country(user, country_code)


def can_edit_response(user, country_code: str) -> bool:
    return role_of(user) is Role.RESPONDENT and is_own_country(user, country_code)


# Respondents edit their own country's response; that country's Head of SPOC reads it; network
# staff read every response and run the rounds; everyone else gets 404.
def can_use_questionnaires(user) -> bool:
    """Sees the questionnaires area at all (navigation, round list)."""
    return is_network_staff(user) or (role_of(user) in (Role.RESPONDENT, Role.HEAD_OF_SPOC)
                                      and bool(getattr(user, "country_code", None)))


def can_view_round(user, round_) -> bool:
    """Knows the round exists (title, deadline, countries): staff, and the users of an invited country."""
    if is_network_staff(user):
        return True
    return role_of(user) is not None and bool(user.country_code) and user.country_code in round_.country_codes


def visible_rounds(user):
    """select(Round) restricted to the rounds the user may see (their country's, or all for staff);
    seeing a round is not reading its responses (can_view_response)."""
    from sqlalchemy import false, select

    from questionnaires.models import Round, RoundCountry

    query = select(Round)
    if is_network_staff(user):
        return query
    if role_of(user) is None or not getattr(user, "country_code", None):
        return query.where(false())
    mine = select(RoundCountry.round_id).where(RoundCountry.country_code == user.country_code)
    return query.where(Round.id.in_(mine))


def can_reopen_response(user) -> bool:
    return is_network_staff(user)


def can_ask_secretariat(user, country_code: str) -> bool:
    """Questions to the secretariat: the country's respondents and Head of SPOC ask and read its threads."""
    return role_of(user) in (Role.RESPONDENT, Role.HEAD_OF_SPOC) and is_own_country(user, country_code)


def can_answer_threads(user) -> bool:
    return is_network_staff(user)


def can_clear_response(user, country_code: str) -> bool:
    """National clearance: the country's Head of SPOC submits its response or sends it back."""
    return role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, country_code)


def can_download_answer_file(user, country_code: str) -> bool:
    return can_view_response(user, country_code)


# reports --------------------------------------------------------------------------------------
# Network staff read every report of every round. A user of a country invited to a round reads
# its network-wide report and their own country's position; observers read shared rounds only.
# Another country's free text (text answers, SWOT, process descriptions, file names) is shown only
# when the round is shared. Country profiles are readable by everyone logged in (the directory is
# public inside the network); their questionnaire part follows the round's rules above.
def can_view_reports(user) -> bool:
    return role_of(user) is not None


def can_view_round_report(user, round_) -> bool:
    role = role_of(user)
    if role is None:
        return False
    if is_network_staff(user):
        return True
    if role is Role.OBSERVER:
        return bool(round_.shared)
    return bool(getattr(user, "country_code", None)) and user.country_code in round_.country_codes


def sees_all_free_text(user, round_) -> bool:
    """Every country's free text of the round; otherwise only the user's own country's."""
    return is_network_staff(user) or (bool(round_.shared) and can_view_round_report(user, round_))


def visible_report_rounds(user):
    """select(Round) restricted to the rounds whose report the user may read."""
    from sqlalchemy import false, select

    from questionnaires.models import Round, RoundCountry

    query = select(Round)
    role = role_of(user)
    if is_network_staff(user):
        return query
    if role is Role.OBSERVER:
        return query.where(Round.shared.is_(True))
    if role is None or not getattr(user, "country_code", None):
        return query.where(false())
    mine = select(RoundCountry.round_id).where(RoundCountry.country_code == user.country_code)
    return query.where(Round.id.in_(mine))


def can_view_country_profile(user, country_code: str) -> bool:
    return role_of(user) is not None


# case management ------------------------------------------------------------------------------
def can_use_cases(user) -> bool:
    """Case management is a SPOC's own: network staff and admins are not in it."""
    return role_of(user) in CASE_ROLES and bool(user.country_code)


def can_view_case(user, case) -> bool:
    # Every case role of the SPOC reads its cases (the DPO for lawfulness checks); nobody else,
    # not the secretariat, not an admin: 404.
    return can_use_cases(user) and is_own_country(user, case.country_code)


def lists_show_subject(case) -> bool:
    """Whether a list of cases (the inbox, GET /api/v1/cases) shows the case's subject. A closed
    case opens only with a justification, which is logged (LED Art. 25); its subject often names
    the person, so a list shows a closed case's number, status and dates, never its subject: that
    would be a consultation without the justification and without the log entry. Open and merged
    cases (their page asks nothing) show it. `case` is a Case or an inbox row."""
    return case.is_open or case.merged_into_id is not None


def can_handle_case(user, case) -> bool:
    """Changes a case: evaluation, workflow, replies, dissemination, links, attachments."""
    return can_view_case(user, case) and role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


def can_register_cases(user) -> bool:
    """Registers incoming messages (web form, API, file import) for their own SPOC."""
    return can_use_cases(user) and role_of(user) in (Role.OFFICER, Role.SUPERVISOR)


RETENTION_DECIDERS = (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_decide_retention(user, case) -> bool:
    """Keeps or erases a closed case's personal data after the review."""
    return can_view_case(user, case) and role_of(user) in RETENTION_DECIDERS


def retention_decider_roles() -> list[str]:
    """The roles told each day that retention reviews of their SPOC are due (those who decide them)."""
    return [r.value for r in RETENTION_DECIDERS]


def can_manage_case_settings(user) -> bool:
    """Time limits, pausing states, crime categories, retention period, national authorities."""
    return can_use_cases(user) and role_of(user) in (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


CASE_HANDLERS = (Role.OFFICER, Role.SUPERVISOR)


def can_be_assigned(user, country_code: str) -> bool:
    """Who may be assigned a case of this SPOC: its active officers and supervisors (one rule, for the
    assign form, the bulk action and the service)."""
    return bool(user is not None and getattr(user, "active", False) and is_own_country(user, country_code)
                and role_of(user) in CASE_HANDLERS)


def assignable_roles() -> list[str]:
    """The roles of can_be_assigned, for a query of the SPOC's people."""
    return [r.value for r in CASE_HANDLERS]


def deadline_escalation_roles() -> list[str]:
    """Who is told when an exchange's legal deadline is near or passed (24/7 duty, issue 17 point 4)."""
    return [Role.SUPERVISOR.value]


APPROVERS = (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_approve_cases(user) -> bool:
    """Four-eyes (issue 17, point 5): approves or sends back what an officer wants to send."""
    return can_use_cases(user) and role_of(user) in APPROVERS


def can_approve(user, case) -> bool:
    return can_view_case(user, case) and role_of(user) in APPROVERS


def can_see_team_load(user) -> bool:
    return can_use_cases(user) and role_of(user) in (Role.SUPERVISOR, Role.HEAD_OF_SPOC)


def can_read_access_log(user, country_code: str) -> bool:
    return role_of(user) in (Role.DPO, Role.SUPERVISOR) and is_own_country(user, country_code)


def visible_cases(user):
    """select(Case) limited to the user's SPOC (nothing for anyone outside case management)."""
    from sqlalchemy import false, select

    from casemgmt.models import Case

    query = select(Case)
    if not can_use_cases(user):
        return query.where(false())
    return query.where(Case.country_code == user.country_code)


# meetings -------------------------------------------------------------------------------------
# The secretariat (and admins) manage meetings, funding, the register and the activity report.
# Heads of SPOC see the meetings their country is invited to, answer their own invitation and
# update their country's action points; observers likewise for their agency. Nobody but the
# secretariat sees another invitee's answer.
def can_manage_meetings(user) -> bool:
    return is_network_staff(user)


def own_invitation(user, meeting):
    """The sent invitation that makes this user an invitee of the meeting, if any."""
    role = role_of(user)
    for inv in meeting.invitations:
        if inv.sent_at is None:
            continue
        if role is Role.HEAD_OF_SPOC and inv.country_code and is_own_country(user, inv.country_code):
            return inv
        if role is Role.OBSERVER and inv.agency_code and inv.agency_code == getattr(user, "agency_code", None):
            return inv
    return None


def can_view_meetings(user) -> bool:
    return is_network_staff(user) or role_of(user) in (Role.HEAD_OF_SPOC, Role.OBSERVER)


def can_view_meeting(user, meeting) -> bool:
    return is_network_staff(user) or own_invitation(user, meeting) is not None


def _invited_meeting_ids(user):
    from sqlalchemy import select

    from portal.meetings.models import Invitation

    role = role_of(user)
    if role is Role.HEAD_OF_SPOC and user.country_code:
        cond = Invitation.country_code == user.country_code
    elif role is Role.OBSERVER and user.agency_code:
        cond = Invitation.agency_code == user.agency_code
    else:
        return None
    return select(Invitation.meeting_id).where(cond, Invitation.sent_at.is_not(None), Invitation.withdrawn_at.is_(None))


def visible_meetings(user):
    """select(Meeting) restricted to what the user may see."""
    from sqlalchemy import false, select

    from portal.meetings.models import Meeting

    query = select(Meeting)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    return query.where(false()) if invited is None else query.where(Meeting.id.in_(invited))


def can_answer_invitation(user, invitation) -> bool:
    if invitation.sent_at is None:
        return False
    role = role_of(user)
    if role is Role.HEAD_OF_SPOC:
        return bool(invitation.country_code) and is_own_country(user, invitation.country_code)
    if role is Role.OBSERVER:
        return bool(invitation.agency_code) and invitation.agency_code == user.agency_code
    return False


def can_view_answers(user) -> bool:
    return is_network_staff(user)


def can_view_minutes(user, meeting) -> bool:
    if is_network_staff(user):
        return True
    return can_view_meeting(user, meeting) and meeting.minutes_state in ("circulated", "adopted")


def can_edit_minutes(user, meeting) -> bool:
    return is_network_staff(user) and meeting.minutes_state != "adopted"


def can_comment_minutes(user, meeting) -> bool:
    return can_view_meeting(user, meeting) and meeting.minutes_state == "circulated"


def visible_actions(user):
    """select(ActionPoint) restricted to the user's meetings and the actions their country/agency owns."""
    from sqlalchemy import false, or_, select

    from portal.meetings.models import ActionPoint

    query = select(ActionPoint)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    if invited is None:
        return query.where(false())
    role = role_of(user)
    owner = (ActionPoint.owner_country_code == user.country_code if role is Role.HEAD_OF_SPOC
             else ActionPoint.owner_agency_code == user.agency_code)
    return query.where(or_(owner, ActionPoint.meeting_id.in_(invited)))


def is_action_owner(user, action) -> bool:
    role = role_of(user)
    if role is Role.HEAD_OF_SPOC:
        return action.owner_kind == "country" and is_own_country(user, action.owner_country_code)
    if role is Role.OBSERVER:
        return action.owner_kind == "agency" and action.owner_agency_code == user.agency_code
    return False


def can_view_action(user, action) -> bool:
    if is_network_staff(user) or is_action_owner(user, action):
        return True
    return action.meeting is not None and can_view_meeting(user, action.meeting)


def can_update_action(user, action) -> bool:
    return is_network_staff(user) or is_action_owner(user, action)


def can_view_register(user) -> bool:
    return can_view_meetings(user)


def visible_register_entries(user):
    """select(RegisterEntry): a country's own entries, and those put on the agenda of a meeting the user sees."""
    from sqlalchemy import false, or_, select

    from portal.meetings.models import AgendaItem, RegisterEntry

    query = select(RegisterEntry)
    if is_network_staff(user):
        return query
    invited = _invited_meeting_ids(user)
    if invited is None:
        return query.where(false())
    on_agenda = select(AgendaItem.register_entry_id).where(AgendaItem.meeting_id.in_(invited))
    own = RegisterEntry.country_code == user.country_code if role_of(user) is Role.HEAD_OF_SPOC else false()
    return query.where(or_(own, RegisterEntry.id.in_(on_agenda)))


def can_view_register_entry(user, entry) -> bool:
    if is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, entry.country_code)):
        return True
    return any(can_view_meeting(user, item.meeting) for item in entry.agenda_items)


def can_raise_register_entry(user, country_code: str | None = None) -> bool:
    if is_network_staff(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and (country_code is None or is_own_country(user, country_code))


def can_manage_register(user) -> bool:
    return is_network_staff(user)


def can_manage_funding(user) -> bool:
    return is_network_staff(user)


def can_view_activity_report(user) -> bool:
    return is_network_staff(user)


def can_use_calendar_feed(user) -> bool:
    return role_of(user) is not None


# training -------------------------------------------------------------------------------------
# The core group (users with the trainer role) and the secretariat manage opportunities, the trainer
# pool and activities; only the secretariat confirms nominations and edits the topic list and quota.
# Heads of SPOC propose opportunities and trainers and nominate staff for their own country only,
# and see only their own country's nominations and proposals. The activity catalogue is open to
# every user; nominations, feedback and certificates are not.
def can_manage_training(user) -> bool:
    return is_network_staff(user) or role_of(user) is Role.TRAINER


def can_view_trainings(user) -> bool:
    return role_of(user) is not None


def can_configure_training(user) -> bool:
    return is_network_staff(user)


def can_view_trainer_pool(user) -> bool:
    return can_manage_training(user) or role_of(user) is Role.HEAD_OF_SPOC


def can_propose_trainer(user) -> bool:
    return can_view_trainer_pool(user)


def can_edit_core_group_member(user, member) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.TRAINER and user.id == member.id)


def can_propose_opportunity(user) -> bool:
    return can_manage_training(user) or (role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code))


def can_view_opportunity(user, opportunity) -> bool:
    if can_manage_training(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, opportunity.country_code)


def visible_opportunities(user):
    """select(Opportunity) restricted to what the user may see."""
    from sqlalchemy import false, select

    from portal.training.models import Opportunity

    query = select(Opportunity)
    if can_manage_training(user):
        return query
    if role_of(user) is Role.HEAD_OF_SPOC and user.country_code:
        return query.where(Opportunity.country_code == user.country_code)
    return query.where(false())


def can_nominate(user, country_code: str | None = None) -> bool:
    """The secretariat for any country; a Head of SPOC for their own."""
    if is_network_staff(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code) and (
        country_code is None or is_own_country(user, country_code))


def can_view_nomination(user, nomination) -> bool:
    if can_manage_training(user):
        return True
    return role_of(user) is Role.HEAD_OF_SPOC and is_own_country(user, nomination.country_code)


def visible_nominations(user):
    """select(Nomination) restricted to what the user may see: a Head of SPOC only their country's."""
    from sqlalchemy import false, select

    from portal.training.models import Nomination

    query = select(Nomination)
    if can_manage_training(user):
        return query
    if role_of(user) is Role.HEAD_OF_SPOC and user.country_code:
        return query.where(Nomination.country_code == user.country_code)
    return query.where(false())


def can_see_nominee_contact(user, nomination) -> bool:
    """A nominee's email address: the secretariat (who confirms and writes to them) and their own
    Head of SPOC. The core group's trainers run the activities and record attendance, for which
    names, countries and positions suffice; another country's staff's contact details are not
    theirs to hold (data minimisation, GDPR Art. 5(1)(c))."""
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_confirm_nominations(user) -> bool:
    return is_network_staff(user)


def can_withdraw_nomination(user, nomination) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_record_attendance(user) -> bool:
    return can_manage_training(user)


def can_download_certificate(user, nomination) -> bool:
    return is_network_staff(user) or (role_of(user) is Role.HEAD_OF_SPOC
                                      and is_own_country(user, nomination.country_code))


def can_view_training_needs(user) -> bool:
    """The full matrix: network staff and core group; a Head of SPOC sees their own country's row."""
    return can_manage_training(user) or (role_of(user) is Role.HEAD_OF_SPOC and bool(user.country_code))


def training_needs_countries(user) -> set[str] | None:
    """The countries whose needs the user may see (None: all)."""
    return None if can_manage_training(user) else {user.country_code}


def can_view_training_feedback(user) -> bool:
    return can_manage_training(user)


def can_view_training_reports(user) -> bool:
    return can_manage_training(user)
