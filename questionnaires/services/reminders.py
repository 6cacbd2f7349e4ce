"""Deadline reminders for `spoc send-reminders`: countries that have not submitted, at most once a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import mail, policy
from portal.accounts.models import User
from questionnaires.models import ReminderSent, Response, ResponseStatus, Round, RoundStatus
from questionnaires.services.rounds import Links


def _heads(session: Session, country_code: str) -> list[str]:
    return list(session.scalars(select(User.email).where(policy.heads_of_spoc_of(country_code))
                                .order_by(User.email)))


def _recipients(session: Session, country_code: str) -> list[str]:
    users = session.scalars(select(User.email).where(policy.respondents_of(country_code)).order_by(User.email))
    emails = list(users)
    if not emails:  # nobody to answer: tell the Head of SPOC
        emails = list(session.scalars(select(User.email).where(policy.heads_of_spoc_of(country_code))))
    return emails


def due_reminders(session: Session, now: dt.datetime, days: int, links: Links) -> list[str]:
    """Queue a reminder to every country of an open round whose deadline is within `days` days and
    which has not submitted, unless it was reminded today; one line per reminder queued."""
    today = now.date()
    lines: list[str] = []
    rounds = session.scalars(select(Round).where(Round.status == RoundStatus.OPEN,
                                                 Round.deadline >= today,
                                                 Round.deadline <= today + dt.timedelta(days=days))
                             .order_by(Round.id))
    for round_ in rounds:
        already = set(session.scalars(select(ReminderSent.country_code).where(
            ReminderSent.round_id == round_.id, ReminderSent.sent_on == today)))
        pending = session.scalars(select(Response).where(
            Response.round_id == round_.id, Response.status != ResponseStatus.SUBMITTED)
            .order_by(Response.country_code))
        for response in pending:
            if response.country_code in already:
                continue
            waiting = response.status == ResponseStatus.FOR_APPROVAL  # national clearance: the Head acts
            to = _heads(session, response.country_code) if waiting else _recipients(session, response.country_code)
            if not to:
                continue
            # in each recipient's language (their account's): the kind's template writes the days left and the state
            mail.queue_template(session, to, "questionnaires/mail/reminder.txt", round=round_,
                                left=(round_.deadline - today).days, waiting=waiting,
                                status=str(response.status), country_code=response.country_code,
                                url=links.response(round_.id, response.country_code))
            session.add(ReminderSent(round_id=round_.id, country_code=response.country_code, sent_on=today,
                                     recipients=to))
            lines.append(f"questionnaire reminder: round {round_.id} {response.country_code} -> {', '.join(to)}")
    session.flush()
    return lines


def send_reminders(session: Session, config: dict, now: dt.datetime, days: int) -> list[str]:
    """The reminder registered in the app's registry (portal.registry) (fn(session, config, now, days) -> lines)."""
    links = Links(config.get("BASE_URL") or "http://127.0.0.1:5000", int(config.get("INVITE_LINK_HOURS", 72)))
    return due_reminders(session, now, days, links)
