"""Pages of the cross-check inside a case: the hits with their reasons and run now (hits), confirm or
reject (decisions)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("crosscheck", "casemgmt.crosscheck", url_prefix="/cases", template_folder="templates")

from casemgmt.crosscheck.views import decisions, hits  # noqa: E402,F401
