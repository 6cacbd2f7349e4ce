"""The directory of the network: countries, their SPOCs, agencies, the presidencies."""


def init_app(app) -> None:
    """Register this domain's blueprint and navigation."""
    from portal import policy
    from portal.directory import views
    from portal.registry import NavItem, registry

    app.register_blueprint(views.bp)
    registry(app).add_nav(NavItem("directory.index", "Directory", policy.can_view_directory))
