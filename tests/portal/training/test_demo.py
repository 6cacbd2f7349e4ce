"""The training demo: a pool of at least 10 trainers and three activities; loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.training import demo
from portal.training.models import Activity, CoreGroupProfile, Feedback, Nomination, Trainer


def test_demo_is_complete_and_idempotent(app, make_user, uow, db):
    users = {e: make_user(role, cc, email=e) for e, role, cc in (
        ("secretariat@demo.invalid", "secretariat", None), ("head.be@demo.invalid", "head_of_spoc", "BE"),
        ("head.nl@demo.invalid", "head_of_spoc", "NL"), ("trainer.be@demo.invalid", "trainer", "BE"),
        ("trainer.nl@demo.invalid", "trainer", "NL"))}

    def load():
        with uow() as s:
            demo.load_demo(s, {k: s.merge(v) for k, v in users.items()})
        db.rollback()
        return (db.scalar(select(func.count(Trainer.id))), db.scalar(select(func.count(Activity.id))),
                db.scalar(select(func.count(Nomination.id))), db.scalar(select(func.count(Feedback.id))),
                db.scalar(select(func.count(CoreGroupProfile.user_id))))

    counts = load()
    assert counts[0] >= 10 and counts[1] == 3 and counts[3] >= 5 and counts[4] == 2
    assert sorted(db.scalars(select(Activity.status))) == ["held", "open", "planned"]
    be = db.scalars(select(Nomination.status).join(Activity).where(Activity.status == "open",
                                                                   Nomination.country_code == "BE")).all()
    assert "waiting" in be and "confirmed" in be
    rated = db.scalars(select(Trainer).where(Trainer.rating.is_not(None))).all()
    assert rated and all(t.rating_count >= 5 for t in rated)
    assert load() == counts
