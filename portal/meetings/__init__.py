"""Heads of SPOC meetings: agenda, invitations, minutes, action points, funding, activity report."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
