"""Declared access of the training routes with object parameters (see tests/hardening/access.py).

Activities and trainers are network-wide objects, not one country's: the core group is made of
trainers of every country, and every Head of SPOC nominates for the same activities. `anywhere`
names the country roles allowed whatever their country; `roles` those allowed only for their own
country's object (BE here: a nomination, a Head of SPOC's proposal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.hardening.access import NETWORK_ROLES, Access

MANAGERS = {"admin", "secretariat"}


@dataclass(frozen=True)
class Network(Access):
    """Access where some country roles are allowed whatever their country."""

    anywhere: frozenset = frozenset()

    def allows(self, role: str, country: str | None) -> bool:
        if role in NETWORK_ROLES:
            return role in self.network
        return role in self.anywhere or (role in self.roles and country == "BE")


def _activity(app, make_user, **kw):
    from portal.training.models import Activity

    with app.extensions["spoc_db"].unit_of_work() as s:
        start = dt.date.today() - dt.timedelta(days=10)
        a = Activity(title="Matrix activity", format="online", start_date=start, end_date=start, capacity=5,
                     status="open", **kw)
        s.add(a)
        s.flush()
        return a.id


def _activity_args(app, make_user):
    return {"activity_id": _activity(app, make_user)}


def _nomination(app, make_user):
    from portal.training.models import Nomination

    activity_id = _activity(app, make_user)
    with app.extensions["spoc_db"].unit_of_work() as s:
        n = Nomination(activity_id=activity_id, country_code="BE", nominee_name="Matrix Nominee",
                       nominee_email="matrix@spoc.test", status="confirmed", attended=True)
        s.add(n)
        s.flush()
        return {"nomination_id": n.id}


def _training(app, make_user):
    return {"training_id": _activity(app, make_user)}


def _trainer(app, make_user):
    from portal.training.models import Trainer

    with app.extensions["spoc_db"].unit_of_work() as s:
        t = Trainer(name="Matrix Trainer", country_code="BE", proposed_by_kind="country")
        s.add(t)
        s.flush()
        return {"trainer_id": t.id}


def _opportunity(app, make_user):
    from portal.training.models import Opportunity

    with app.extensions["spoc_db"].unit_of_work() as s:
        o = Opportunity(title="Matrix opportunity", proposer_kind="country", country_code="BE", status="proposed")
        s.add(o)
        s.flush()
        return {"opportunity_id": o.id}


def _core_member(app, make_user):
    return {"user_id": make_user("trainer", "BE").id}


def _topic(app, make_user):
    from portal.training.models import TrainingTopic

    with app.extensions["spoc_db"].unit_of_work() as s:
        t = TrainingTopic(key="matrix_topic", label="Matrix topic", position=1)
        s.add(t)
        s.flush()
        return {"topic_id": t.id}


def _cost_line(app, make_user):
    from portal.funding.models import Budget, CostLine

    activity_id = _activity(app, make_user)
    with app.extensions["spoc_db"].unit_of_work() as s:
        b = Budget(subject_type="training_activity", subject_id=activity_id, year=2026)
        b.lines.append(CostLine(category="venue", kind="planned", amount=100))
        s.add(b)
        s.flush()
        return {"activity_id": activity_id, "line_id": b.lines[0].id}


EVERYONE = frozenset({"head_of_spoc", "respondent", "officer", "supervisor", "dpo", "trainer"})
ALL_NETWORK = {"admin", "secretariat", "observer"}

RULES = {
    # the activity catalogue is open to every user
    "training.activity": Network(_activity_args, anywhere=EVERYONE, network=ALL_NETWORK),
    "training.activity_ics": Network(_activity_args, anywhere=EVERYONE, network=ALL_NETWORK),
    "api.training_nominations": Network(_training, anywhere=EVERYONE, network=ALL_NETWORK),
    # planning is the core group's (trainers of any country) and the secretariat's
    "training.edit_activity": Network(_activity_args, anywhere=frozenset({"trainer"}), network=MANAGERS),
    "training.request_feedback": Network(_activity_args, anywhere=frozenset({"trainer"}), network=MANAGERS),
    # every Head of SPOC nominates (for their own country: tests/portal/training/test_nominations.py)
    "training.nominate": Network(_activity_args, anywhere=frozenset({"head_of_spoc"}), network=MANAGERS),
    "training.activity_funding": Network(_activity_args, network=MANAGERS),
    "training.delete_activity_cost": Network(_cost_line, network=MANAGERS),
    # a BE nomination: the secretariat (and core group where named), BE's Head of SPOC where named
    "training.confirm_nomination": Access(_nomination, network=MANAGERS),
    "training.withdraw_nomination": Access(_nomination, roles={"head_of_spoc"}, network=MANAGERS),
    "training.record_attendance": Network(_nomination, anywhere=frozenset({"trainer"}), network=MANAGERS),
    "training.certificate": Access(_nomination, roles={"head_of_spoc"}, network=MANAGERS),
    # the pool: core group, secretariat and Heads of SPOC
    "training.trainer": Network(_trainer, anywhere=frozenset({"trainer", "head_of_spoc"}), network=MANAGERS),
    "training.edit_trainer": Network(_trainer, anywhere=frozenset({"trainer"}), network=MANAGERS),
    "training.core_group_member": Access(_core_member, network=MANAGERS),
    # BE's Head of SPOC's proposal: the core group and secretariat assess it; BE's Head of SPOC reads it
    "training.opportunity": Network(_opportunity, roles={"head_of_spoc"}, anywhere=frozenset({"trainer"}),
                                    network=MANAGERS),
    "training.assess_opportunity": Network(_opportunity, anywhere=frozenset({"trainer"}), network=MANAGERS),
    "training.edit_topic": Network(_topic, network=MANAGERS),
}

PUBLIC = {"training.feedback_form": "participants answer through a one-time token in the URL (no account); "
                                    "an unknown token is 404"}
