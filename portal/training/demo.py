"""Demo content of training coordination: topics, core group, a pool of trainers, opportunities and three
activities (one past with feedback, one open with nominations including Belgium's waiting list, one planned)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.training.models import (
    Activity,
    ActivityStatus,
    CoreGroupProfile,
    Nomination,
    NominationStatus,
    Opportunity,
    OpportunityEvent,
    OpportunityStatus,
    ProposerKind,
    Trainer,
    TrainingTopic,
)
from portal.training.services import feedback, funding
from portal.training.services.topics import seed_topics

PAST_TITLE = "SIENA for SPOC operators"
OPEN_TITLE = "Directive (EU) 2023/977 in daily SPOC practice"
PLANNED_TITLE = "Cross-checking and database searches (webinar series)"

TRAINERS = [  # name, country, organisation, languages, topics, availability
    ("Marie Lambert", "BE", "Federal Police CGI", "fr, nl, en", ["siena", "case_management"], "Two weeks a year"),
    ("Koen Janssens", "BE", "Federal Police CGI", "nl, en", ["directive_2023_977", "data_protection"], "On request"),
    ("Sanne Bakker", "NL", "National Police LIRC", "nl, en, de", ["siena", "cross_check"], "Spring and autumn"),
    ("Thomas Müller", "DE", "Bundeskriminalamt", "de, en", ["sis_sirene", "interpol_channels"], "Not in August"),
    ("Claire Dubois", "FR", "SCCOPOL", "fr, en", ["interpol_channels", "languages"], "Three sessions a year"),
    ("Giulia Bianchi", "IT", "SCIP", "it, en, fr", ["directive_2023_977", "analysis"], "On request"),
    ("Jonas Petraitis", "LT", "Criminal Police Bureau", "lt, en, ru", ["analysis", "cross_check"], "Weekdays"),
    ("Ana García", "ES", "Policía Nacional", "es, en", ["sis_sirene", "case_management"], "Autumn"),
    ("Erik Lindqvist", "SE", "Polismyndigheten NOA", "sv, en", ["data_protection", "case_management"], "Online only"),
    ("Katarzyna Wiśniewska", "PL", "KGP International Cooperation Bureau", "pl, en, de", ["siena", "languages"],
     "Two weeks a year"),
    ("Nikos Georgiou", "EL", "Hellenic Police IPCD", "el, en", ["interpol_channels", "cross_check"], "On request"),
    ("Aoife Byrne", "IE", "An Garda Síochána", "en, ga", ["directive_2023_977", "data_protection"], "Spring"),
]

PAST_PARTICIPANTS = [  # country, name, overall, trainer, relevance, recommend
    ("BE", "Lotte Peeters", "5", "5", "highly_relevant", "yes"),
    ("BE", "Julien Renard", "4", "5", "relevant", "yes"),
    ("NL", "Daan Visser", "4", "4", "relevant", "yes"),
    ("DE", "Lena Fischer", "5", "4", "highly_relevant", "yes"),
    ("FR", "Hugo Bernard", "3", "4", "somewhat", "no"),
    ("LT", "Rasa Jonaitytė", "4", "5", "relevant", "yes"),
]

OPEN_NOMINEES = [  # country, name, status
    ("BE", "Sarah Maes", NominationStatus.CONFIRMED),
    ("BE", "Wout Claes", NominationStatus.NOMINATED),
    ("BE", "Nadia El Amrani", NominationStatus.WAITING),
    ("NL", "Fleur de Jong", NominationStatus.CONFIRMED),
    ("NL", "Bram Smit", NominationStatus.NOMINATED),
    ("DE", "Felix Wagner", NominationStatus.NOMINATED),
    ("AT", "Johanna Gruber", NominationStatus.NOMINATED),
]


def _email(name: str, cc: str) -> str:
    local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{local}@spoc-{cc.lower()}.demo.invalid"


def load_demo(session: Session, users: dict) -> None:
    """The core group, a pool of trainers, a held, an open and a planned activity with their nominations,
    feedback and funding, and three opportunities."""
    seed_topics(session)
    topic = {t.key: t for t in session.scalars(select(TrainingTopic))}
    _core_group(session, users, topic)
    if session.scalar(select(Activity.id).where(Activity.title == PAST_TITLE)) is not None:
        return
    pool = _trainer_pool(session, topic)
    past, upcoming = _activities(session, users, topic, pool)
    _nominations(session, users, past, upcoming)
    _feedback_and_funding(session, users.get("secretariat@demo.invalid"), past)


def _core_group(session: Session, users: dict, topic: dict) -> None:
    for email, keys in (("trainer.be@demo.invalid", ["siena", "directive_2023_977", "case_management"]),
                        ("trainer.nl@demo.invalid", ["cross_check", "analysis", "languages"])):
        user = users.get(email)
        if user is not None and session.get(CoreGroupProfile, user.id) is None:
            session.add(CoreGroupProfile(user_id=user.id, topics=[topic[k] for k in keys],
                                         note="Core group member since the network's first training plan."))


def _trainer_pool(session: Session, topic: dict) -> dict:
    pool = {}
    for name, cc, org, langs, keys, availability in TRAINERS:
        pool[name] = Trainer(name=name, country_code=cc, organisation=org, languages=langs, availability=availability,
                             email=_email(name, cc), topics=[topic[k] for k in keys],
                             proposed_by_kind=ProposerKind.COUNTRY if cc in ("BE", "NL") else ProposerKind.CORE_GROUP,
                             bio=f"Trainer at {org}; {', '.join(topic[k].label for k in keys)}.")
        session.add(pool[name])
    return pool


def _activities(session: Session, users: dict, topic: dict, pool: dict) -> tuple:
    """(the held activity, the open one), the planned one from an approved opportunity, and two more
    opportunities."""
    head_be, core = users.get("head.be@demo.invalid"), users.get("trainer.be@demo.invalid")
    today = dt.date.today()

    past = Activity(title=PAST_TITLE, topic=topic["siena"], format="classroom", start_date=today - dt.timedelta(days=47),
                    end_date=today - dt.timedelta(days=45), place="CEPOL, Budapest", language="en", capacity=16,
                    cepol_support=True, cepol_reference="CEPOL 42/2026", status=ActivityStatus.HELD,
                    learning_objectives="Use SIENA for requests under Directive 2023/977; handling codes; mobile SIENA.",
                    audience="SPOC operators with less than two years in post.",
                    trainers=[pool["Marie Lambert"], pool["Sanne Bakker"]])
    upcoming = Activity(title=OPEN_TITLE, topic=topic["directive_2023_977"], format="classroom",
                        start_date=today + dt.timedelta(days=40), end_date=today + dt.timedelta(days=42),
                        place="Federal Police Academy, Brussels", language="en", capacity=10, country_quota=2,
                        cepol_support=False, status=ActivityStatus.OPEN,
                        learning_objectives="Time limits, urgency grounds and refusal grounds of the Directive in practice.",
                        audience="Case handlers and shift supervisors.",
                        trainers=[pool["Koen Janssens"], pool["Giulia Bianchi"]])
    opp = Opportunity(title="Webinars on cross-checking", topic=topic["cross_check"],
                      proposer_kind=ProposerKind.CORE_GROUP, proposed_by_id=getattr(core, "id", None),
                      description="A series of three webinars on cross-checking requests against national databases.",
                      target_audience="Case handlers", estimated_cost=Decimal("4500.00"), relevance=4,
                      assessment="Needed by many SPOCs according to the questionnaire; low cost online.",
                      status=OpportunityStatus.APPROVED, decided_at=utcnow(),
                      events=[OpportunityEvent(actor_name="Trainer Be", to_status=OpportunityStatus.PROPOSED, note="Proposed."),
                              OpportunityEvent(actor_name="Trainer Be", from_status=OpportunityStatus.PROPOSED, to_status=OpportunityStatus.APPROVED,
                                               note="Needed by many SPOCs according to the questionnaire.")])
    planned = Activity(title=PLANNED_TITLE, topic=topic["cross_check"], format="online",
                       start_date=today + dt.timedelta(days=120), end_date=today + dt.timedelta(days=120),
                       language="en", capacity=60, status=ActivityStatus.PLANNED, opportunity=opp,
                       learning_objectives="Search strategies across national and European databases.",
                       audience="Case handlers", trainers=[pool["Jonas Petraitis"]])
    session.add_all([past, upcoming, planned, opp,
                     Opportunity(title="Exchange programme between SPOCs of neighbouring countries",
                                 proposer_kind=ProposerKind.COUNTRY, proposed_by_id=getattr(head_be, "id", None),
                                 country_code="BE", topic=topic["case_management"], target_audience="Shift supervisors",
                                 description="Two-week exchanges of shift supervisors between neighbouring SPOCs.",
                                 events=[OpportunityEvent(actor_name="Head Be", to_status=OpportunityStatus.PROPOSED, note="Proposed.")]),
                     Opportunity(title="Language course: English for police cooperation", topic=topic["languages"],
                                 proposer_kind=ProposerKind.CORE_GROUP, status=OpportunityStatus.PARKED,
                                 relevance=3, assessment="Useful but national language schools offer it; revisit next year.",
                                 events=[OpportunityEvent(actor_name="Trainer Nl", to_status=OpportunityStatus.PROPOSED, note="Proposed."),
                                         OpportunityEvent(actor_name="Trainer Nl", from_status=OpportunityStatus.PROPOSED,
                                                          to_status=OpportunityStatus.PARKED, note="Revisit next year.")])])
    session.flush()
    return past, upcoming


def _nominations(session: Session, users: dict, past, upcoming) -> None:
    confirmed_at = utcnow() - dt.timedelta(days=70)
    for cc, name, *_ in PAST_PARTICIPANTS:
        session.add(Nomination(activity=past, country_code=cc, nominee_name=name, nominee_email=_email(name, cc),
                               status=NominationStatus.CONFIRMED, confirmed_at=confirmed_at, attended=True,
                               nominated_by_id=getattr(users.get(f"head.{cc.lower()}@demo.invalid"), "id", None)))
    for cc, name, status in OPEN_NOMINEES:
        session.add(Nomination(activity=upcoming, country_code=cc, nominee_name=name, nominee_email=_email(name, cc),
                               status=status, nominee_position="Case handler",
                               confirmed_at=utcnow() if status is NominationStatus.CONFIRMED else None,
                               nominated_by_id=getattr(users.get(f"head.{cc.lower()}@demo.invalid"), "id", None)))
    session.flush()


def _feedback_and_funding(session: Session, secretariat, past) -> None:
    answers = {n.nominee_name: n for n in past.nominations}
    for cc, name, overall, trainer, relevance, recommend in PAST_PARTICIPANTS:
        values = {"overall_rating": overall, "trainer_rating": trainer, "relevance": relevance,
                  "organisation_rating": "4", "duration": "about_right", "would_recommend": recommend,
                  "follow_up_topics": ["directive_2023_977"] if cc != "FR" else ["languages"],
                  "most_useful": "The exercises with real SIENA messages." if overall >= "4" else "",
                  "to_improve": "More time for mobile SIENA." if cc in ("BE", "FR") else ""}
        feedback.submit_feedback(session, answers[name], {k: v for k, v in values.items() if v})
    funding.set_funding(session, secretariat, past, funding_source="ISF Police – network training", isf_rate="75")
    for category, kind, amount, text in (("venue", "planned", "3000", "Training room, 3 days"),
                                         ("travel", "planned", "9000", "Participants' travel"),
                                         ("venue", "actual", "2800", "Training room, 3 days"),
                                         ("travel", "actual", "8420.50", "Participants' travel")):
        funding.add_cost(session, secretariat, past, category=category, kind=kind, amount=amount, description=text)
