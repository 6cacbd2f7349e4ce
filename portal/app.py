"""The application factory."""

from __future__ import annotations

import os

from flask import Flask, render_template, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import IntegerConverter

from portal import api, cache, db, fragments, i18n, layout, registry, security, widgets
from portal.config import load_config

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = i18n.lazy_gettext("Log in to see this page.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message in the language of the request that flashes it


@login_manager.user_loader
def _load_user(user_id: str):
    from portal.accounts.services import user_by_id

    ident, _, nonce = user_id.partition(":")
    if not ident.isdigit() or int(ident) > 2**31 - 1:  # beyond the database's INTEGER: nobody
        return None
    user = user_by_id(db.get_session(), int(ident))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def create_app(config: dict | None = None) -> Flask:
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("SPOC_INSTANCE_PATH")
    app = Flask("portal", instance_path=os.path.abspath(instance_path) if instance_path else None,
                instance_relative_config=True)
    # Ids in URLs never exceed the database's INTEGER: a larger number is a 404, not a driver error.
    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.update(load_config(app.instance_path, config))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["SESSION_COOKIE_SECURE"]),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=int(app.config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 64 * 1024,
        BOOTSTRAP_SERVE_LOCAL=True,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
    )

    contributions = registry.init_app(app)  # what the domains contribute: cards, navigation, demo loaders, reminders
    database = db.init_app(app)
    database.info["spoc_registry"] = contributions  # a session outside a request finds it too
    database.info["upload_folder"] = app.config["UPLOAD_FOLDER"]  # the demo loaders store their files there
    security.init_app(app)
    i18n.init_app(app)  # the page's language and time zone (Flask-Babel), before the layout uses them
    layout.init_app(app)
    cache.init_app(app)
    fragments.init_app(app)
    widgets.install()  # WTForms' attributes rendered without Markup.format (portal/widgets.py)
    login_manager.init_app(app)

    from flask_bootstrap import Bootstrap5

    Bootstrap5(app)
    _register_blueprints(app)
    _register_error_pages(app)
    from portal import jobs

    jobs.init_app(app)  # after the domains: it builds the queue from the jobs they declared

    from portal.commands import register_commands

    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    import casemgmt
    import questionnaires
    import reports
    from portal import accounts, directory, funding, home, meetings, training

    app.register_blueprint(home.bp)
    for domain in (directory, accounts):  # the foundation's own domains: Directory, then Users in the navigation
        domain.init_app(app)
    # Each domain registers its blueprints, commands, navigation, demo data and API endpoints;
    # before the API blueprint itself, whose routes must all exist when it is registered.
    from casemgmt import crosscheck  # issue 9: the cross-check, a subpackage of case management

    for domain in (questionnaires, reports, casemgmt, crosscheck, meetings, training, funding):
        domain.init_app(app)
    security.csrf.exempt(api.bp)  # bearer tokens, never the session cookie
    app.register_blueprint(api.bp)


_l = i18n.lazy_gettext
_TITLES = {400: _l("Bad request"), 403: _l("Forbidden"), 404: _l("Page not found"), 405: _l("Method not allowed"),
           413: _l("File too large"), 422: _l("Invalid input"), 429: _l("Too many requests"),
           500: _l("Something went wrong")}


def _register_error_pages(app: Flask) -> None:
    def render(exc: HTTPException, message, api_message=None):
        """The error page; under /api/ the JSON answer in the requester's language (`api_message`, or the API's
        own text for the status: portal.api.http_error_response)."""
        if request.path.startswith("/api/"):
            return api.http_error_response(exc, api_message)
        code = exc.code or 500
        return render_template("errors.html", code=code, title=_TITLES.get(code, _l("Error")),
                               message=i18n.translate(message)), code

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        message = _l("The form expired or did not come from this site. Reload the page and try again.")
        return render(exc, message, message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        messages = {404: _l("There is nothing here, or it is not yours to see."),
                    403: _l("You may not do this.")}
        custom = exc.description if exc.description != type(exc).description else None  # given where raised
        return render(exc, messages.get(exc.code) or custom or api.HTTP_MESSAGES.get(exc.code or 500, exc.name))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        app.logger.exception("unhandled error")
        return render(InternalServerError(),
                      _l("The error was logged. Try again, or tell the administrator if it persists."))


__all__ = ["create_app"]
