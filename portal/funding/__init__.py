"""Funding of the network's activities (a meeting, a training activity): planned budget and actual
costs by category, the funding source and the ISF co-financing rate, totals per year.

A budget is keyed by (subject_type, subject_id), so that any domain funds its activities here; a
domain registers how its subjects are named with `services.register_funding_subject` (meetings and
training do so in their `init_app`). The pages stay with the activity they fund
(/meetings/<id>/funding, the training activity's page) and the year's totals on /meetings/funding.
"""
