import hashlib
import hmac
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from jobboard import tokens
from jobboard.auth import services
from jobboard.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CoderRegistrationForm,
    DeleteAccountForm,
    EmployerRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    NotificationsForm,
    ResetPasswordForm,
)
from jobboard.errors import Conflict, InvalidInput
from jobboard.extensions import csrf, limiter
from jobboard.forms import ConfirmForm, show_errors
from jobboard.models.user import normalise_email
from jobboard.notifications.unsubscribe import unsubscribe as unsubscribe_link
from jobboard.tokens import InvalidToken

bp = Blueprint("auth", __name__)
# The session of the browser that registered an account: its confirmation link confirms at
# once; any other asks the address's owner to choose the password (pre-hijacking).
REGISTERED = "registered_user"


def auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


def account_limit():
    return current_app.config["RATELIMIT_ACCOUNT"]


def account_key() -> str:
    """The account a login, reset or registration post is about: one account cannot be
    guessed from many addresses, and one address (an office behind one IP) is not locked
    out for everyone by one person's tries."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


# A browser that signed in to an account before carries a signed cookie naming it (OWASP's
# "device cookies"): guesses at an account from elsewhere cannot lock its owner out, since
# the account's limit does not apply to the owner's own devices.
DEVICE_COOKIE = "codeboard_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _account_digest(email: str) -> str:
    return hashlib.sha256(normalise_email(email or "").encode()).hexdigest()[:32]


def known_device() -> bool:
    """This browser signed in to the account the form names before."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return False
    try:
        payload = tokens.read("device", value, DEVICE_MAX_AGE)
    except InvalidToken:
        return False
    return isinstance(payload, dict) and hmac.compare_digest(
        str(payload.get("a", "")), _account_digest(request.form.get("email", "")))


def _remember_device(response, user):
    response.set_cookie(DEVICE_COOKIE, tokens.make("device", {"a": _account_digest(user.email)}),
                        max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def failed_sign_in(response) -> bool:
    """Only wrong guesses count against an account: a sign-in redirects."""
    return response.status_code != 302


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _home_for(user) -> str:
    if user.is_admin:
        return url_for("admin.home")
    return url_for("employers.dashboard") if user.is_employer else url_for("jobs.browse")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(account_limit, key_func=account_key, methods=["POST"],
               exempt_when=known_device, deduct_when=failed_sign_in,
               error_message="Too many wrong passwords for this account. Wait a few minutes, "
                             "sign in from a browser you have signed in with before, or reset "
                             "your password from the link on the login page.")
@limiter.limit(auth_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("That email and password do not match an account.")
        elif not user.is_active:  # the password was right: the recruiter may know why
            form.form_errors.append(services.suspended_message(user.company))
        elif not user.is_verified:
            services.unconfirmed_sign_in(user)
            form.form_errors.append(
                f"Confirm your address first: we just sent a link to {user.email}. Open it "
                "to sign in.")
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return _remember_device(redirect(_safe_next(_home_for(user))), user)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout():
    """This session ends (its cookie, even a copy, no longer works); other devices stay."""
    if ConfirmForm().validate_on_submit():
        services.end_session(session.get("_user_id"))
        logout_user()
        flash("You are logged out.", "success")
    return redirect(url_for("jobs.home"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere():
    if ConfirmForm().validate_on_submit():
        services.log_out_everywhere(current_user)
        logout_user()
        flash("You are logged out on every device.", "success")
    return redirect(url_for("jobs.home"))


@bp.get("/register")
def register():
    return render_template("auth/register.html")


def _confirm_with_password(token: str, account):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user, _ = services.verify_email(token, new_password=form.password.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            session.pop(REGISTERED, None)
            logout_user()
            login_user(user)
            flash(f"Thank you: {user.email} is confirmed, with the password you chose.",
                  "success")
            return redirect(_home_for(user))
    return render_template("auth/confirm_password.html", form=form, email=account.email), \
        400 if form.errors else 200


def _all_problems(form, problems: dict[str, list[str]]) -> None:
    """The service's problems beside the form's own (the repeated password, a character
    the field refuses), each said once: a registration lists every problem at once."""
    show_errors(form, InvalidInput(problems))


def _registered(form, register):
    """Register from the form; every outcome that is not a form error answers the same
    "check your inbox" page, so the page never reveals whether an address has an account.
    A filled honeypot (a field people never see) is a bot: it gets the page and nothing."""
    if form.nickname.data:
        current_app.logger.info("registration honeypot filled; nothing created")
    else:
        try:
            user = register()
        except InvalidInput as e:
            show_errors(form, e)
            return None
        if user is not None:  # this browser chose the password: its link confirms at once
            session[REGISTERED] = user.id
    return render_template("auth/check_inbox.html", email=normalise_email(form.email.data))


@bp.route("/register/coder", methods=["GET", "POST"])
@limiter.limit(account_limit, key_func=account_key, methods=["POST"])
@limiter.limit(auth_limit, methods=["POST"])
def register_coder():
    form = CoderRegistrationForm()
    if form.validate_on_submit():
        page = _registered(form, lambda: services.register_coder(
            form.email.data, form.password.data, form.name.data))
        if page:
            return page
    elif form.is_submitted():  # the account's problems too, in the same answer
        _all_problems(form, services.registration_problems(
            form.email.data, form.password.data, form.name.data))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/register_coder.html", form=form), status


@bp.route("/register/employer", methods=["GET", "POST"])
@limiter.limit(account_limit, key_func=account_key, methods=["POST"])
@limiter.limit(auth_limit, methods=["POST"])
def register_employer():
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        page = _registered(form, lambda: services.register_employer(
            form.email.data, form.password.data, form.name.data, form.company_name.data,
            form.website.data, form.company_profile.data))
        if page:
            return page
    elif form.is_submitted():
        _all_problems(form, services.registration_problems(
            form.email.data, form.password.data, form.name.data, form.company_name.data or "",
            form.website.data))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/register_employer.html", form=form), status


# ---------------------------------------------------------------- password reset


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(account_limit, key_func=account_key, methods=["POST"])
@limiter.limit(auth_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same answer whether or not the address has an account.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset(token)
    except InvalidToken as e:
        return render_template("auth/link_problem.html", message=str(e),
                               retry=url_for("auth.forgot_password")), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except InvalidInput as e:
            show_errors(form, e)
        except InvalidToken as e:
            return render_template("auth/link_problem.html", message=str(e),
                                   retry=url_for("auth.forgot_password")), 400
        else:
            logout_user()
            login_user(user)
            flash("Your password is changed, and every other device is logged out.", "success")
            return redirect(_home_for(user))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


# ---------------------------------------------------------------- email verification


@bp.route("/verify/<token>", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def verify_email(token: str):
    retry = url_for("auth.settings") if current_user.is_authenticated else url_for("auth.login")
    try:
        first = services.confirms_new_account(token)
        if first is not None and session.get(REGISTERED) != first.id:
            # Not the browser that registered: whoever did chose the password, so the
            # address's owner chooses their own now.
            return _confirm_with_password(token, first)
        user, new_account = services.verify_email(token)
    except InvalidToken as e:
        return render_template("auth/link_problem.html", message=str(e), retry=retry), 400
    flash(f"Thank you: {user.email} is confirmed.", "success")
    if new_account and not current_user.is_authenticated and login_user(user):
        # The first use of a new account's link proves the inbox: it signs the account in.
        if user.is_employer:
            if user.company.is_verified:  # an unverified one: the dashboard says what it means
                flash(f"{user.company.name} is verified (your address is at its website's "
                      "domain): your jobs go live as soon as you publish them.", "info")
            return redirect(url_for("employers.dashboard"))
        flash("Add your credentials and resume to apply in one step.", "info")
        return redirect(url_for("coders.profile") if user.is_coder else _home_for(user))
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(auth_limit)
def resend_verification():
    if ConfirmForm().validate_on_submit():
        try:
            address = services.resend_verification(current_user)
        except Conflict as e:
            flash(str(e), "info")
        else:
            flash(f"We sent a new confirmation link to {address}.", "success")
    return redirect(url_for("auth.settings"))


# ---------------------------------------------------------------- settings


def _notifications_form() -> NotificationsForm:
    """The settings that apply to this kind of account only."""
    form = NotificationsForm(prefix="n")
    names = ("notify_applications", "notify_expiry") if current_user.is_employer \
        else ("notify_status",)
    for name in [f.short_name for f in form if f.short_name != "csrf_token"]:
        if name not in names:
            delattr(form, name)
        elif not form.is_submitted():
            form[name].data = getattr(current_user, name)
    return form


def _settings_forms():
    notifications = _notifications_form()
    return {"email_form": ChangeEmailForm(prefix="e"),
            "password_form": ChangePasswordForm(prefix="p"),
            "notifications_form": notifications, "confirm_form": ConfirmForm()}


def _settings_page(status: int = 200, **forms):
    page_forms = _settings_forms()
    page_forms.update(forms)
    return render_template("auth/settings.html", **page_forms), status


@bp.get("/account")
@login_required
def settings():
    return _settings_page()


@bp.post("/account/email")
@login_required
@limiter.limit(auth_limit)
def change_email():
    form = ChangeEmailForm(prefix="e")
    if form.validate_on_submit():
        try:
            address = services.change_email(current_user, form.password.data, form.new_email.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash(f"We sent a link to {address}. Your address changes when you open it; "
                  "until then we keep using the old one.", "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(400, email_form=form)


@bp.post("/account/password")
@login_required
@limiter.limit(auth_limit)
def change_password():
    form = ChangePasswordForm(prefix="p")
    if form.validate_on_submit():
        try:
            user = services.change_password(current_user, form.current_password.data,
                                            form.new_password.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            login_user(user)  # this session carries on; every other one is logged out
            flash("Password changed. Other devices are logged out.", "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(400, password_form=form)


@bp.post("/account/notifications")
@login_required
def notifications():
    form = _notifications_form()
    if form.validate_on_submit():
        try:
            data = {f.short_name: f.data for f in form}
            services.update_notifications(current_user, data.get("notify_applications"),
                                          bool(data.get("notify_expiry")),
                                          bool(data.get("notify_status")))
        except InvalidInput as e:
            show_errors(form, e)
        else:
            flash("Notification settings saved.", "success")
            return redirect(url_for("auth.settings"))
    return _settings_page(400, notifications_form=form)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            logout_user()
            flash("Your account is deleted.", "success")
            return redirect(url_for("jobs.home"))
    return render_template("auth/delete.html", form=form), 400 if form.errors else 200


# ---------------------------------------------------------------- unsubscribe


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """GET shows a button (mail scanners follow links); POST turns it off. Mail clients' one-
    click unsubscribe (RFC 8058) POSTs here without a CSRF token: the signed token is the proof."""
    if request.method == "POST":
        try:
            _, what = unsubscribe_link(token)
        except InvalidToken as e:
            return render_template("auth/link_problem.html", message=str(e),
                                   retry=url_for("auth.settings")), 400
        return render_template("auth/unsubscribed.html", what=what)
    return render_template("auth/unsubscribe.html", token=token)
