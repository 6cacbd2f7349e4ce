"""Funding of the network's activities (a meeting, a training activity): planned budget and actual
costs by category, the funding source and the ISF co-financing rate, totals per year.

A budget is keyed by (subject_type, subject_id), so that any domain funds its activities here; a
domain registers how its subjects are named with `services.register_funding_subject` (meetings and
training do so in their `init_app`). The pages stay with the activity they fund
(/meetings/<id>/funding, the training activity's page) and the year's totals on /meetings/funding.
"""


def init_app(app) -> None:
    """Register this domain's commands, API endpoints and dashboard card (its pages are the meetings' and
    the training activities', see above)."""
    from portal.funding import (
        api,  # noqa: F401  (endpoints register on portal.api.bp)
        dashboard,
    )
    from portal.funding.cli import funding_group
    from portal.registry import registry

    registry(app).add_card(dashboard.dashboard_cards)
    app.cli.add_command(funding_group)
