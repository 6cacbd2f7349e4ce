"""The directory of the network: countries, their SPOCs, agencies, the presidencies."""


def init_app(app) -> None:
    """Register this domain's blueprint, API endpoints, commands, navigation and dashboard cards (the
    directory's close the dashboard)."""
    from portal import policy
    from portal.directory import api, dashboard, views  # noqa: F401 - api registers its endpoints on portal.api.bp
    from portal.directory.cli import directory_group
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    registry(app).add_nav(NavItem("directory.index", "Directory", policy.can_view_directory))
    registry(app).add_card(dashboard.dashboard_cards, last=True)
    app.cli.add_command(directory_group)
