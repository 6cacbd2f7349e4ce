"""Training coordination: core group, trainer pool, activities, nominations, needs, feedback."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from portal import policy
    from portal.registry import NavItem, registry
    from portal.training import api, views  # noqa: F401 - api registers its endpoints on portal.api.bp
    from portal.training import demo as training_demo
    from portal.training.cli import feedback_reminder, training_group
    from portal.training.services import funding, report_section

    app.register_blueprint(views.bp)
    contributions = registry(app)
    contributions.add_nav(NavItem("training.index", "Training", policy.can_view_trainings))
    contributions.add_demo_loader(training_demo.load_demo)
    contributions.add_reminder(feedback_reminder)
    contributions.add_card(_dashboard_cards)
    funding.register()
    report_section.register()
    app.cli.add_command(training_group)


def _dashboard_cards(user, session) -> list[dict]:
    """What needs the user's attention in training."""
    import datetime as dt

    from flask import url_for
    from sqlalchemy import func, select

    from portal import policy
    from portal.training.models import Activity, ActivityStatus, Nomination, NominationStatus, Opportunity

    cards = []
    if policy.can_nominate(user) and not policy.is_network_staff(user):
        open_ = session.scalar(select(func.count(Activity.id)).where(Activity.status == ActivityStatus.OPEN.value,
                                                                     Activity.start_date >= dt.date.today())) or 0
        if open_:
            cards.append({"title": "Training", "text": f"{open_} training activit{'ies are' if open_ != 1 else 'y is'} "
                          "open for nominations.", "url": url_for("training.index"), "link": "Nominate staff",
                          "warning": False})
    if policy.can_manage_training(user):
        pending = session.scalar(select(func.count(Opportunity.id)).where(Opportunity.status == "proposed")) or 0
        if pending:
            cards.append({"title": "Training opportunities", "text": f"{pending} proposal(s) await the core group's "
                          "assessment.", "url": url_for("training.opportunities", status="proposed"),
                          "link": "Assess", "warning": False})
    if policy.can_confirm_nominations(user):
        waiting = session.scalar(select(func.count(Nomination.id)).where(
            Nomination.status == NominationStatus.NOMINATED.value)) or 0
        if waiting:
            cards.append({"title": "Training nominations", "text": f"{waiting} nomination(s) to confirm.",
                          "url": url_for("training.index"), "link": "Training activities", "warning": False})
    return cards
