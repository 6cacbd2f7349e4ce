"""Training coordination: core group, trainer pool, activities, nominations, needs, feedback."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from portal import policy
    from portal.registry import NavItem, registry
    from portal.training import api, dashboard, views  # noqa: F401 - api registers its endpoints on portal.api.bp
    from portal.training import demo as training_demo
    from portal.training.cli import feedback_reminder, training_group
    from portal.training.services import funding, report_section

    app.register_blueprint(views.bp)
    contributions = registry(app)
    contributions.add_nav(NavItem("training.index", "Training", policy.can_view_trainings))
    contributions.add_demo_loader(training_demo.load_demo)
    contributions.add_reminder(feedback_reminder)
    contributions.add_card(dashboard.dashboard_cards)
    funding.register()
    report_section.register()
    app.cli.add_command(training_group)
