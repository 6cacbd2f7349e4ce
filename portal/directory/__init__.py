"""The directory of the network: countries, their SPOCs, agencies, the presidencies."""


def init_app(app) -> None:
    """Register this domain's blueprint, navigation and dashboard cards (the directory's close the dashboard)."""
    from portal import policy
    from portal.directory import dashboard, views
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    registry(app).add_nav(NavItem("directory.index", "Directory", policy.can_view_directory))
    registry(app).add_card(dashboard.dashboard_cards, last=True)
