"""Who may do what: every authorisation decision of the portal lives here.

Views and API handlers ask `can_*` questions or call `ensure(...)`; lists use the `visible_*`
query filters so that a list never shows what a page would refuse. A refusal about another
country's object is a 404 so that nobody learns it exists.

One module per domain (accounts, directory, questionnaires, reports, cases, meetings, funding,
training) on top of `base`; everything is re-exported here, so callers write `policy.can_x(user)`.
"""

from __future__ import annotations

from portal.policy.accounts import (  # noqa: F401
    can_manage_jobs,
    can_manage_users,
)
from portal.policy.base import (  # noqa: F401
    ensure,
    is_network_staff,
    is_own_country,
    role_of,
)
from portal.policy.cases import (  # noqa: F401
    APPROVERS,
    CASE_HANDLERS,
    RETENTION_DECIDERS,
    assignable_roles,
    can_approve,
    can_approve_cases,
    can_be_assigned,
    can_decide_retention,
    can_handle_case,
    can_manage_case_settings,
    can_read_access_log,
    can_register_cases,
    can_search_cases,
    can_see_team_load,
    can_use_cases,
    can_use_saved_search,
    can_view_case,
    cases_visible_to,
    deadline_escalation_roles,
    lists_show_subject,
    retention_decider_roles,
    visible_cases,
)
from portal.policy.directory import (  # noqa: F401
    can_edit_markings,
    can_edit_presidencies,
    can_edit_spoc,
    can_set_directive_binding,
    can_view_directory,
)
from portal.policy.funding import (  # noqa: F401
    can_manage_funding,
)
from portal.policy.meetings import (  # noqa: F401
    can_answer_invitation,
    can_comment_minutes,
    can_edit_minutes,
    can_manage_delegation,
    can_manage_meetings,
    can_manage_register,
    can_raise_register_entry,
    can_update_action,
    can_use_calendar_feed,
    can_view_action,
    can_view_activity_report,
    can_view_agenda_item,
    can_view_answers,
    can_view_delegation,
    can_view_document,
    can_view_meeting,
    can_view_meetings,
    can_view_minutes,
    can_view_participants,
    can_view_register,
    can_view_register_entry,
    is_action_owner,
    is_observer,
    observer_actions,
    observer_items,
    observers_read_minutes,
    own_invitation,
    visible_actions,
    visible_agenda_items,
    visible_documents,
    visible_meetings,
    visible_register_entries,
)
from portal.policy.questionnaires import (  # noqa: F401
    can_answer_threads,
    can_ask_secretariat,
    can_clear_response,
    can_download_answer_file,
    can_edit_response,
    can_manage_rounds,
    can_reopen_response,
    can_use_questionnaires,
    can_view_response,
    can_view_round,
    visible_rounds,
)
from portal.policy.recipients import (  # noqa: F401
    core_group_members,
    heads_of_spoc_of,
    observers_of,
    respondents_of,
    secretariat_staff,
)
from portal.policy.reports import (  # noqa: F401
    can_set_league_tables,
    can_view_country_profile,
    can_view_country_profiles,
    can_view_reports,
    can_view_round_report,
    free_text_countries,
    is_member_state_user,
    sees_free_text_of,
    sees_league_tables,
    visible_report_rounds,
)
from portal.policy.training import (  # noqa: F401
    acting_country,
    can_configure_training,
    can_confirm_nominations,
    can_download_certificate,
    can_edit_core_group_member,
    can_manage_training,
    can_nominate,
    can_propose_opportunity,
    can_propose_trainer,
    can_record_attendance,
    can_see_nominee_contact,
    can_view_nomination,
    can_view_opportunity,
    can_view_trainer_pool,
    can_view_training_feedback,
    can_view_training_needs,
    can_view_training_reports,
    can_view_trainings,
    can_withdraw_nomination,
    is_core_group_member,
    proposes_as,
    training_needs_countries,
    visible_nominations,
    visible_opportunities,
)
