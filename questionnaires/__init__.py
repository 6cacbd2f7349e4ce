"""Questionnaires: definitions, rounds, country responses, expression logic, import and export."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
