from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from jobboard.models.moderation import REPORT_REASONS


class ReasonForm(FlaskForm):
    """An admin action with its reason, recorded in the audit log (and shown to the employer
    where the action is about them)."""
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=2000)])


class RequiredReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why."),
                                                 Length(max=2000)])


class BanDomainForm(RequiredReasonForm):
    domain = StringField("Email domain", validators=[DataRequired(), Length(max=253)],
                         description="Registrations from it and its subdomains are refused, "
                                     "e.g. example.com.")


class ReportForm(FlaskForm):
    reason = RadioField("What is wrong with this job?", validators=[
        DataRequired(message="Choose what is wrong with the job.")],
        choices=[SelectChoice(k, v) for k, v in REPORT_REASONS.items()])
    comment = TextAreaField("Tell us more", validators=[Optional(), Length(max=2000)],
                            description="Optional, except for “Something else”. Moderators "
                                        "read every report; the employer does not see it.")
