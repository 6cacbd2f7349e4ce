"""Questionnaires: definitions, rounds, country responses, expression logic, import and export."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
    from portal import cli, demo, home, layout, policy
    from questionnaires import (
        api,  # noqa: F401  (its endpoints register on portal.api.bp)
        views,
    )
    from questionnaires import cli as commands
    from questionnaires.demo import load_demo
    from questionnaires.services.cards import dashboard_cards
    from questionnaires.services.reminders import send_reminders

    app.register_blueprint(views.bp)
    layout.add_nav(layout.NavItem("questionnaires.index", "Questionnaires", policy.can_use_questionnaires))
    demo.register_demo_loader(load_demo)
    cli.register_reminder(send_reminders)
    home.register_cards(dashboard_cards)
    app.cli.add_command(commands.questionnaire_group)
    app.cli.add_command(commands.round_group)
