"""Case management for SPOC staff: intake, registration numbers, deadlines, workflow, access log."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
