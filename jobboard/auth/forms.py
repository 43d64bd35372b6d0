from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from jobboard import textrules as rules
from jobboard.models.user import APPLICATION_NOTICES
from jobboard.textrules import Text


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in")


class CoderRegistrationForm(FlaskForm):
    """Registration. The account's rules (name, address, password, company) are the
    service's, checked all at once (auth.services.registration_problems): the form only
    adds what is about the form itself (the repeated password, the honeypot)."""
    name = StringField("Your name", validators=[Text(rules.PERSON_NAME)])
    email = EmailField("Email", validators=[Length(max=254)])
    password = PasswordField("Password", render_kw={"maxlength": 200},
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(), EqualTo("password", message="The passwords do not match.")])
    # A honeypot: hidden from people (and screen readers), filled in by form-filling bots.
    nickname = StringField("Leave this empty", validators=[Optional(), Text(rules.SEARCH)])


class EmployerRegistrationForm(CoderRegistrationForm):
    company_name = StringField("Company name", validators=[Text(rules.COMPANY_NAME)])
    website = URLField("Company website", validators=[Optional(), Text(rules.WEBSITE)],
                       description="Optional, e.g. example-health.org")
    company_profile = TextAreaField("About the company", validators=[Optional(), Text(rules.COMPANY_PROFILE)],
                                    description="A few sentences coders will see on your jobs.")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=200)],
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat new password", validators=[
        DataRequired(), EqualTo("password", message="The passwords do not match.")])


class ChangeEmailForm(FlaskForm):
    new_email = EmailField("New email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Your password", validators=[DataRequired()],
                             description="To confirm it is you.")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=200)],
                                 description="At least 10 characters. Other devices are logged out.")
    confirm = PasswordField("Repeat new password", validators=[
        DataRequired(), EqualTo("new_password", message="The passwords do not match.")])


class NotificationsForm(FlaskForm):
    notify_applications = RadioField("Mail me about new applications", choices=[
        SelectChoice(k, v) for k, v in APPLICATION_NOTICES.items()])
    notify_expiry = BooleanField("Remind me 7 days before a job expires, and when it has expired")
    notify_status = BooleanField("Mail me when an employer moves one of my applications on")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired()],
                             description="Deleting cannot be undone.")
