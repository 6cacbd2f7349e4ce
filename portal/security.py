"""Web security shared by every page: CSRF, security headers, login throttling."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from limits import parse, storage, strategies

csrf = CSRFProtect()


CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a C0 control character (line breaks and tabs included) or DEL."""
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def _single_line(form, field) -> None:
    from wtforms.validators import ValidationError

    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError("Write this on one line, without line breaks or control characters.")


def _no_nul(form, field) -> None:
    """A text area takes what a word processor pastes (its line and page breaks are kept or cleaned where the
    text is written out), but not a NUL: PostgreSQL's text cannot hold one, and the write failed with a
    server error."""
    from wtforms.validators import ValidationError

    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError("This text holds a NUL character, which cannot be stored: remove it.")


def refuse_control_characters_in_single_line_fields() -> None:
    """Every single-line text field of every form (StringField and its kinds, not text areas)
    refuses control characters: a CR/LF in a title ends up in a mail header or a calendar line.
    One rule in one place, rather than a validator each form could forget (idempotent)."""
    from flask_wtf import FlaskForm
    from wtforms import HiddenField, PasswordField, StringField, TextAreaField

    meta = FlaskForm.Meta
    if getattr(meta, "_single_line_rule", False):
        return
    bind = meta.bind_field

    def bind_field(self, form, unbound_field, options):
        field = bind(self, form, unbound_field, options)
        if isinstance(field, StringField) and not isinstance(field, TextAreaField | HiddenField | PasswordField):
            field.validators = [*field.validators, _single_line]
        elif isinstance(field, TextAreaField):
            field.validators = [*field.validators, _no_nul]
        return field

    meta.bind_field = bind_field
    meta._single_line_rule = True


def init_app(app: Flask) -> None:
    refuse_control_characters_in_single_line_fields()
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    csrf.init_app(app)
    # The login throttle counts failed attempts, never requests: the `limits` library (that of
    # Flask-Limiter) on its own, without Flask-Limiter's hooks, which looked for route limits this
    # app never sets on every request (2-3 % of an intake's CPU, bench/intake.py; issue 24).
    app.extensions[_THROTTLE] = strategies.FixedWindowRateLimiter(
        storage.storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))
    app.session_interface = SessionCookies()

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.endpoint and not request.endpoint.startswith("static") and not request.path.startswith(
            "/static"
        ):
            # Pages, downloads (send_file says "no-cache") and charts may hold personal or country
            # data: nothing but the static files is kept by any cache, the browser's included.
            response.headers["Cache-Control"] = "no-store"
        return response


_THROTTLE = "spoc_login_throttle"


def login_throttle(app: Flask) -> strategies.RateLimiter:
    """The app's counters of failed logins (in memory, or shared through SPOC_RATELIMIT_STORAGE_URI)."""
    return app.extensions[_THROTTLE]


def _client_address() -> str:
    return request.remote_addr or "127.0.0.1"


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signer made once per secret key rather than on every
    request (Flask builds it anew each time, serialising an empty dict to learn its kind)."""

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = app.extensions.get("spoc_session_signer")
        if made is None or made[0] != key:
            made = app.extensions["spoc_session_signer"] = (key, super().get_signing_serializer(app))
        return made[1]


def _login_limit(app: Flask):
    return parse(f"{app.config['LOGIN_ATTEMPTS_PER_MINUTE']}/minute")


def _address_limit(app: Flask):
    return parse(f"{app.config['LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE']}/minute")


def _unknown_lockout(app: Flask):
    return parse(f"{app.config['LOCKOUT_THRESHOLD']}/{app.config['LOCKOUT_MINUTES']} minutes")


def login_blocked(app: Flask, email: str) -> bool:
    """True when the account, or the client's address (many accounts tried from one place), has
    used up its failed attempts for the current minute."""
    throttle = login_throttle(app)
    return (not throttle.test(_login_limit(app), "login-failures", email.strip().lower())
            or not throttle.test(_address_limit(app), "login-address", _client_address()))


def record_login_failure(app: Flask, email: str) -> None:
    throttle = login_throttle(app)
    throttle.hit(_login_limit(app), "login-failures", email.strip().lower())
    throttle.hit(_address_limit(app), "login-address", _client_address())


def unknown_account_locked(app: Flask, email: str) -> bool:
    """An email that is no account "locks" after as many failures as an account does, so that the
    lockout message cannot tell existing accounts from unknown ones."""
    return not login_throttle(app).test(_unknown_lockout(app), "login-unknown", email.strip().lower())


def record_unknown_failure(app: Flask, email: str) -> None:
    login_throttle(app).hit(_unknown_lockout(app), "login-unknown", email.strip().lower())


def reauth_redirect():
    """None when the user logged in or re-authenticated within REAUTH_MINUTES; otherwise the
    redirect to /reauth, which comes back to the page (a form is shown again afterwards)."""
    import time
    from urllib.parse import urlsplit

    from flask import current_app, flash, redirect, session, url_for

    if time.time() - session.get("auth_at", 0) <= current_app.config["REAUTH_MINUTES"] * 60:
        return None
    if request.method == "GET":
        target = request.full_path
    else:  # the form is shown again after re-authentication
        ref = urlsplit(request.referrer or "")
        target = ref.path + (f"?{ref.query}" if ref.query else "") if ref.path else "/"
    flash("Confirm it is you: enter your password again to continue.", "info")
    return redirect(url_for("accounts.reauth", next=target))


def recent_login_required(view):
    """Sensitive actions (exports, erasure) need a login or re-authentication of the last minutes."""
    import functools

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return reauth_redirect() or view(*args, **kwargs)

    return wrapper


def local_target(target: str | None, default: str, prefix: str = "/") -> str:
    """The one check of a redirect target taken from the request (`?next=`, a form's `back`): `target` when
    it is a path of this site starting with `prefix`, else `default`. Refused: another site
    (`https://x`, `//x`), and what a browser would read as one (`/\\x`, a control character inside)."""
    from urllib.parse import urlsplit

    if not target or not target.startswith(prefix) or target.startswith("//") or "\\" in target:
        return default
    if has_control_characters(target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target

