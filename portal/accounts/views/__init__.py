"""Login, logout, the user's own page (password, API tokens) and user administration."""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import audit, policy
from portal.accounts import services
from portal.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    SetPasswordForm,
    TokenForm,
    UserEditForm,
    UserForm,
)
from portal.accounts.models import User
from portal.accounts.services import twofactor
from portal.db import get_session, utcnow
from portal.directory import services as directory
from portal.errors import show_beside_field
from portal.security import (
    local_target,
    login_blocked,
    recent_login_required,
    record_login_failure,
    record_unknown_failure,
    unknown_account_locked,
)

bp = Blueprint("accounts", __name__, template_folder="../templates")
LOCKED_MESSAGE = ("This account is locked after repeated failed logins. "
                  "Try again later or ask the administrator.")


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site (portal.security.local_target), else the dashboard."""
    return local_target(target, url_for("home.index"))


def _form_errors_from(exc: services.AccountError, form) -> None:
    show_beside_field(form, exc)


def complete_login(user: User, session) -> None:
    """The user is who they say: start the session (and log it)."""
    login_user(user)
    now = time.time()
    flask_session["auth_at"] = now
    flask_session["seen"] = now
    flask_session["started"] = now
    audit.record(session, actor=user, area="accounts", action=audit.AuditAction.LOGIN,
                 object_type="user", object_id=user.id, details={"event": "login"})


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data
        if login_blocked(current_app, email):
            form.password.errors = ["Too many failed attempts. Wait a minute and try again."]
            return render_template("accounts/login.html", form=form), 429
        session = get_session()
        candidate = services.find_user(session, email)
        # the same lockout, and the same message, for an unknown email as for an account
        locked = twofactor.is_locked(candidate) if candidate is not None else \
            unknown_account_locked(current_app, email)
        if locked:
            record_login_failure(current_app, email)
            form.password.errors = [LOCKED_MESSAGE]
            return render_template("accounts/login.html", form=form), 200
        user = services.authenticate(session, email, form.password.data)
        if user is None:
            record_login_failure(current_app, email)
            if candidate is None:
                record_unknown_failure(current_app, email)
            twofactor.note_failure(session, candidate, current_app.config["LOCKOUT_THRESHOLD"],
                                   current_app.config["LOCKOUT_MINUTES"])
            session.commit()
            form.password.errors = ["The email or password is not right."]
        else:
            twofactor.note_success(user)
            target = _safe_next(request.args.get("next"))
            if user.totp_enabled:
                session.commit()
                flask_session["pending_2fa"] = user.get_id()
                flask_session["pending_next"] = target
                return redirect(url_for("accounts.login_verify"))
            complete_login(user, session)
            session.commit()
            return redirect(target)
    elif request.method == "POST":
        status = 400 if not form.email.data else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # A new nonce ends this session on the server: a copy of the cookie no longer logs anyone in.
        session = get_session()
        user = session.get(User, current_user.id)
        if user is not None:
            services.end_sessions(session, user)
            session.commit()
    logout_user()
    flask_session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return render_template("accounts/account.html", password_form=ChangePasswordForm(),
                           token_form=TokenForm(), new_token=None)


@bp.route("/account/language", methods=["POST"])
@login_required
def set_language():
    """The language switcher (on a response's page): remembered on the user's account; back to `next`."""
    session = get_session()
    services.set_language(session, session.merge(current_user._get_current_object()), request.form.get("language", "en"))
    session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = get_session()
        user = session.get(User, current_user.id)
        try:
            services.change_password(session, user, form.current_password.data, form.new_password.data,
                                     current_app.config["PASSWORD_MIN_LENGTH"])
        except services.AccountError as exc:
            field = "new_password" if exc.field == "password" else exc.field
            _form_errors_from(services.AccountError(exc.message, field, **exc.params), form)
        else:
            session.commit()
            login_user(user)  # keep this session; the others end with the new nonce
            flash("Your password is changed. Other sessions of yours were logged out.", "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", password_form=form, token_form=TokenForm(),
                           new_token=None), 422


@bp.route("/account/tokens", methods=["POST"])
@login_required
@recent_login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return render_template("accounts/account.html", password_form=ChangePasswordForm(),
                               token_form=form, new_token=None), 422
    session = get_session()
    user = session.get(User, current_user.id)
    raw = services.create_token(session, user, form.name.data or "", current_app.config["API_TOKEN_DAYS"])
    session.commit()
    return render_template("accounts/account.html", password_form=ChangePasswordForm(),
                           token_form=TokenForm(formdata=None), new_token=raw)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    session = get_session()
    policy.ensure(services.revoke_token(session, session.get(User, current_user.id), token_id))
    session.commit()
    flash("The token is revoked.", "success")
    return redirect(url_for("accounts.account"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    session = get_session()
    link = services.redeem_one_time_link(session, token)
    if link is None:
        return render_template("accounts/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(session, link.user, form.new_password.data,
                                  current_app.config["PASSWORD_MIN_LENGTH"])
        except services.AccountError as exc:
            show_beside_field(form, exc, fields={"password": "new_password"})
        else:
            link.used_at = utcnow()
            session.commit()
            flash("Your password is set. Log in with it now.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=link.user)


# administration -------------------------------------------------------------------------------
def _admin_only():
    policy.ensure(policy.can_manage_users(current_user))


@bp.route("/admin/users")
@login_required
def users():
    _admin_only()
    session = get_session()
    found = services.list_users(session, query=request.args.get("q", ""), role=request.args.get("role", ""),
                                country=request.args.get("country", ""))
    return render_template("accounts/users.html", users=found, countries=directory.countries(session))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    _admin_only()
    session = get_session()
    form = UserForm()
    form.set_scopes(directory.countries(session), directory.agencies(session))
    if form.validate_on_submit():
        try:
            user = services.create_user(
                session, email=form.email.data, role=form.role.data, name=form.name.data or "",
                country_code=form.country_code.data or None, agency_code=form.agency_code.data or None,
                actor=current_user)
        except services.AccountError as exc:
            _form_errors_from(exc, form)
        else:
            raw = services.create_one_time_link(session, user, current_app.config["INVITE_LINK_HOURS"])
            link = current_app.config["BASE_URL"].rstrip("/") + url_for("accounts.set_password", token=raw)
            services.send_welcome(session, user, link, current_app.config["INVITE_LINK_HOURS"])
            session.commit()
            flash(_("%(email)s is created and was sent a link to set a password.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/user_form.html", form=form, user=None), status


def _load_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    _admin_only()
    session = get_session()
    user = _load_user(user_id)
    form = UserEditForm(obj=user)
    form.set_scopes(directory.countries(session), directory.agencies(session))
    if form.validate_on_submit():
        try:
            services.update_user(session, user, role=form.role.data, name=form.name.data or "",
                                 country_code=form.country_code.data or None,
                                 agency_code=form.agency_code.data or None, actor=current_user)
        except services.AccountError as exc:
            _form_errors_from(exc, form)
        else:
            session.commit()
            flash(_("%(email)s is updated.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/user_form.html", form=form, user=user), status


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id: int):
    _admin_only()
    session = get_session()
    user = _load_user(user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(session, user, active, current_user)
    except services.AccountError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("accounts.edit_user", user_id=user.id))
    session.commit()
    flash(_("%(email)s is re-enabled.", email=user.email) if active else
          _("%(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("accounts.users"))


from portal.accounts.views import session_guard  # noqa: E402,F401  (second factor, re-authentication, idle timeout)
