"""Questionnaires: definitions, rounds, country responses, expression logic, import and export."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from portal import policy
    from portal.registry import NavItem, registry
    from questionnaires import (
        api,  # noqa: F401  (its endpoints register on portal.api.bp)
        views,
    )
    from questionnaires import cli as commands
    from questionnaires.dashboard import dashboard_cards
    from questionnaires.demo import load_demo
    from questionnaires.services.reminders import send_reminders

    app.register_blueprint(views.bp)
    contributions = registry(app)
    contributions.add_nav(NavItem("questionnaires.index", "Questionnaires", policy.can_use_questionnaires))
    contributions.add_demo_loader(load_demo)
    contributions.add_reminder(send_reminders)
    contributions.add_card(dashboard_cards)
    app.cli.add_command(commands.questionnaire_group)
    app.cli.add_command(commands.round_group)
