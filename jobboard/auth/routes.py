from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from jobboard.auth import services
from jobboard.auth.forms import CoderRegistrationForm, EmployerRegistrationForm, LoginForm
from jobboard.errors import InvalidInput
from jobboard.extensions import limiter
from jobboard.forms import ConfirmForm, show_errors

bp = Blueprint("auth", __name__)


def auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _home_for(user) -> str:
    return url_for("employers.dashboard") if user.is_employer else url_for("jobs.browse")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append("That email and password do not match an account.")
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect(_safe_next(_home_for(user)))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout():
    if ConfirmForm().validate_on_submit():
        logout_user()
        flash("You are logged out.", "success")
    return redirect(url_for("jobs.home"))


@bp.get("/register")
def register():
    return render_template("auth/register.html")


@bp.route("/register/coder", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def register_coder():
    form = CoderRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_coder(form.email.data, form.password.data, form.name.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            login_user(user)
            flash("Your coder account is ready. Add your credentials and resume to apply "
                  "in one step.", "success")
            return redirect(url_for("coders.profile"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/register_coder.html", form=form), status


@bp.route("/register/employer", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def register_employer():
    form = EmployerRegistrationForm()
    if form.validate_on_submit():
        try:
            user = services.register_employer(
                form.email.data, form.password.data, form.name.data, form.company_name.data,
                form.website.data, form.company_profile.data)
        except InvalidInput as e:
            show_errors(form, e)
        else:
            login_user(user)
            flash(f"{user.company.name} is registered. Post your first job.", "success")
            return redirect(url_for("employers.dashboard"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("auth/register_employer.html", form=form), status
