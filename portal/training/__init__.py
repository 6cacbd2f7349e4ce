"""Training coordination: core group, trainer pool, activities, nominations, needs, feedback."""


def init_app(app) -> None:
    """Register this domain's blueprints, commands, navigation, demo data and API endpoints."""
