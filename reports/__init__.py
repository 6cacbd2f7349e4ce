"""Comparative reports on Member State practices (pandas + matplotlib), country profiles."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation and API endpoints."""
