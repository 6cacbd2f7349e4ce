"""A training activity's page body is kept between openings (portal/training/views/activity_body.py): whatever
changes in it shows on the next opening, whoever changed it (a user, another app server, a plain statement),
the page is the same with the kept body as rendered afresh, and no country's nominations reach another's
Head of SPOC nor a nominee's contact details a trainer."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import insert, update

from portal.directory.models import Country
from portal.fragments import fragments
from portal.funding.models import Budget, CostLine
from portal.training.models import Activity, Feedback, Nomination, Trainer, TrainingSettings, TrainingTopic
from tests.kept_fragments import open_kept, open_page
from tests.portal.training.conftest import TODAY


def _body(page: str) -> str:
    """The page's main part, without the request's CSRF tokens."""
    main = page.split('id="main"')[1].split("</main>")[0]
    return re.sub(r'name="csrf_token" value="[^"]+"', "", main)


def _url(activity_id: int) -> str:
    return f"/training/activities/{activity_id}"


def _statement(app, statement) -> None:
    """A change written by a plain statement (another app server, a script), not through this process's ORM."""
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.connection().execute(statement)


def _held(make_trainer, make_activity, make_nomination):
    """A held activity with two trainers, one of them booked on an overlapping activity, nominations of two
    countries in every status, attendance recorded and one participant's feedback."""
    marie, sanne = make_trainer("Marie Lambert"), make_trainer("Sanne Bakker", country="NL")
    start = TODAY - dt.timedelta(days=10)
    activity = make_activity(title="SIENA basics", start=start, days=3, trainers=[marie, sanne], status="held",
                             cepol_support=True, cepol_reference="CEPOL 7/2026", audience="Operators")
    other = make_activity(title="Data protection day", start=start + dt.timedelta(days=1), days=1, trainers=[marie])
    be = make_nomination(activity, "BE", "confirmed", attended=True, name="Lotte Peeters")
    make_nomination(activity, "BE", "nominated", name="Julien Renard")
    make_nomination(activity, "NL", "confirmed", attended=False, name="Daan de Vries")
    make_nomination(activity, "NL", "waiting", name="Emma Jansen")
    make_nomination(activity, "DE", "withdrawn", name="Lena Fischer")
    return activity, other, be, marie


def _feedback(app, activity: int, nomination: int, **answers) -> None:
    from portal.training.services.feedback import feedback_definition

    with app.extensions["spoc_db"].unit_of_work() as s:
        version, _ = feedback_definition(s)
        s.add(Feedback(nomination_id=nomination, activity_id=activity, questionnaire_version_id=version.id,
                       definition_version=version.number, overall_rating=answers.get("overall_rating", 4),
                       trainer_rating=5, answers={"relevance": "highly_relevant", **answers}))


def test_what_users_do_on_the_page_shows_at_once(app, login_as, make_trainer, make_activity):
    trainer = make_trainer("Marie Lambert")
    activity = make_activity(title="SIENA basics", trainers=[trainer], capacity=3)
    sec, _ = login_as("secretariat")
    head, _ = login_as("head_of_spoc", "BE")
    core, _ = login_as("trainer", "NL")
    for c in (sec, head, core):
        open_page(c, _url(activity))
        open_kept(app, c, _url(activity))
    r = head.post_form(f"{_url(activity)}/nominations", {"nominee_name": "Lotte Peeters",
                                                         "nominee_email": "lotte@police.be"})
    assert r.status_code == 302
    for c in (sec, head, core):
        assert "Lotte Peeters" in _body(open_page(c, _url(activity)))
    assert "1 place taken" in _body(open_page(core, _url(activity)))
    nomination = re.search(r"/training/nominations/(\d+)/confirm", open_page(sec, _url(activity))).group(1)
    assert sec.post_form(f"/training/nominations/{nomination}/confirm").status_code == 302
    assert "Confirmed" in _body(open_page(core, _url(activity)))
    open_kept(app, core, _url(activity))
    assert sec.post_form(f"/training/nominations/{nomination}/withdraw").status_code == 302
    assert "Withdrawn" in _body(open_page(core, _url(activity)))
    assert "0 places taken" in _body(open_page(core, _url(activity)))


def test_rows_written_without_the_orm_show_at_once(app, login_as, make_trainer, make_activity, make_nomination):
    """The key is the rows as stored, not what this process wrote: a change by another app server or a
    plain statement shows on the next opening, in every part of the page."""
    activity, other, be, marie = _held(make_trainer, make_activity, make_nomination)
    sec, _ = login_as("secretariat")
    core, _ = login_as("trainer", "NL")
    head, _ = login_as("head_of_spoc", "BE")

    def kept_then_changed(client, statement, text: str) -> None:
        open_page(client, _url(activity))
        open_kept(app, client, _url(activity))
        assert text not in _body(open_page(client, _url(activity)))
        _statement(app, statement)
        assert text in _body(open_page(client, _url(activity))), text

    kept_then_changed(core, update(Activity).where(Activity.id == activity).values(place="Vilnius"), "Vilnius")
    kept_then_changed(core, update(Nomination).where(Nomination.id == be).values(nominee_name="Lotte Renamed"),
                      "Lotte Renamed")
    kept_then_changed(core, update(Trainer).where(Trainer.id == marie).values(name="Marie Renamed"), "Marie Renamed")
    kept_then_changed(core, update(TrainingTopic).where(TrainingTopic.key == "siena").values(label="SIENA (renamed)"),
                      "SIENA (renamed)")
    # the overlapping activity is another row: its new title shows in the warning
    kept_then_changed(core, update(Activity).where(Activity.id == other).values(title="GDPR refresher"),
                      "GDPR refresher")
    kept_then_changed(core, insert(TrainingSettings).values(id=1, default_quota=7), "7 per country")
    # a participant's feedback, then a change of its answers
    kept_then_changed(core, insert(Feedback).values(nomination_id=be, activity_id=activity, definition_version=2,
                                                    answers={"most_useful": "The role plays."}, overall_rating=4),
                      "The role plays.")
    kept_then_changed(core, update(Feedback).where(Feedback.nomination_id == be)
                      .values(answers={"most_useful": "The case studies."}), "The case studies.")
    kept_then_changed(head, update(Nomination).where(Nomination.id == be).values(nominee_email="lotte@new.be"),
                      "lotte@new.be")
    # the secretariat's funding section and the countries it may nominate for (once the activity is open)
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.add(Budget(subject_type="training_activity", subject_id=activity, year=TODAY.year,
                     funding_source="ISF Police"))
    kept_then_changed(sec, update(Budget).where(Budget.subject_id == activity).values(funding_source="ISF Borders"),
                      "ISF Borders")
    with app.extensions["spoc_db"].unit_of_work() as s:
        budget = s.query(Budget).filter_by(subject_id=activity).one()
        s.add(CostLine(budget_id=budget.id, category="venue", kind="planned", amount=1200, description="Room"))
    kept_then_changed(sec, update(CostLine).values(description="Room and catering"), "Room and catering")
    _statement(app, update(Activity).where(Activity.id == activity).values(status="open", start_date=TODAY +
                                                                           dt.timedelta(days=5),
                                                                           end_date=TODAY + dt.timedelta(days=7)))
    kept_then_changed(sec, update(Country).where(Country.code == "BE").values(name="Belgium (renamed)"),
                      "Belgium (renamed)")


def test_the_kept_body_is_the_body_rendered_afresh(app, login_as, make_trainer, make_activity, make_nomination):
    activity, _, be, _ = _held(make_trainer, make_activity, make_nomination)
    _feedback(app, activity, be, most_useful="The case studies.", duration="about_right")
    with app.extensions["spoc_db"].unit_of_work() as s:
        s.add(Budget(subject_type="training_activity", subject_id=activity, year=TODAY.year, funding_source="ISF",
                     lines=[CostLine(category="venue", kind="actual", amount=900, description="Room")]))
    open_activity = make_activity(title="Open course", trainers=[])
    make_nomination(open_activity, "BE", "nominated", name="Pieter Claes")
    users = [login_as(role, country)[0] for role, country in (("secretariat", None), ("trainer", "NL"),
                                                              ("head_of_spoc", "BE"), ("head_of_spoc", "NL"),
                                                              ("officer", "BE"), ("admin", None))]
    shown = {}
    for a in (activity, open_activity):
        kept = shown[a] = []
        for c in users:
            open_page(c, _url(a))
            kept.append(_body(open_kept(app, c, _url(a))))
        fragments(app).chars = 0  # the cache switched off: rendered on every opening
        try:
            assert [_body(open_page(c, _url(a))) for c in users] == kept
        finally:
            fragments(app).chars = 64_000_000
    held, opened = shown[activity], shown[open_activity]
    assert "The case studies." in held[0] and "Room" in held[0] and "Emma Jansen" in held[1]  # what is compared
    assert 'name="country_code"' in opened[0] and "Pieter Claes" in opened[2]


def test_no_country_gets_anothers_nominations(app, login_as, make_trainer, make_activity, make_nomination):
    activity, _, _, _ = _held(make_trainer, make_activity, make_nomination)
    be, _ = login_as("head_of_spoc", "BE")
    nl, _ = login_as("head_of_spoc", "NL")
    core, _ = login_as("trainer", "BE")
    sec, _ = login_as("secretariat")
    for c in (be, nl, core, sec):
        open_page(c, _url(activity))
    pages = {name: _body(open_kept(app, c, _url(activity))) for name, c in
             (("be", be), ("nl", nl), ("core", core), ("sec", sec))}
    assert "Lotte Peeters" in pages["be"] and "Daan de Vries" not in pages["be"] and "Emma Jansen" not in pages["be"]
    assert "Daan de Vries" in pages["nl"] and "Lotte Peeters" not in pages["nl"]
    assert "Nominations of BE" in pages["be"] and "Nominations of NL" in pages["nl"]
    # the core group sees every country's nominees but not their contact details; the secretariat sees both
    assert all(name in pages["core"] for name in ("Lotte Peeters", "Daan de Vries", "Emma Jansen"))
    assert "@spoc.test" not in pages["core"] and "nominee1.be@spoc.test" in pages["sec"]
    assert "nominee1.be@spoc.test" in pages["be"] and "@spoc.test" not in pages["nl"].replace(".nl@spoc.test", "")
    # the budget is the secretariat's alone
    assert 'id="funding"' in pages["sec"] and 'id="funding"' not in pages["core"] + pages["be"]
