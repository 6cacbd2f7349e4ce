"""Accounts: users and their roles, login, second factor, sessions, API tokens, the language a user reads in."""


def init_app(app) -> None:
    """Register this domain's blueprint, commands, navigation, dashboard card and API endpoint."""
    from portal import policy
    from portal.accounts import (
        api,  # noqa: F401  (its endpoint registers on portal.api.bp)
        cli,
        dashboard,
        views,
    )
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    registry(app).add_nav(NavItem("accounts.users", "Users", policy.can_manage_users))
    registry(app).add_card(dashboard.dashboard_cards)
    for command in cli.COMMANDS:
        app.cli.add_command(command)
