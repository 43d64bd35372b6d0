from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from jobboard import textrules as rules
from jobboard.models.moderation import REPORT_REASONS
from jobboard.textrules import Text


class ReasonForm(FlaskForm):
    """An admin action whose note is optional; it goes into the audit log."""
    reason = TextAreaField("Note for the audit log (optional)",
                           validators=[Optional(), Text(rules.ADMIN_NOTE)])


class RequiredReasonForm(FlaskForm):
    """An admin action that needs its reason, recorded in the audit log."""
    reason = TextAreaField("Reason (recorded in the audit log)",
                           validators=[DataRequired(message="Say why."), Text(rules.ADMIN_NOTE)])


class RejectForm(RequiredReasonForm):
    reason = TextAreaField("What must change (the employer reads this)",
                           validators=[DataRequired(message="Say why: the employer reads it."),
                                       Text(rules.ADMIN_NOTE)])


class BanDomainForm(RequiredReasonForm):
    domain = StringField("Email domain", validators=[DataRequired(), Text(rules.DOMAIN)],
                         description="Registrations from it and its subdomains are refused, "
                                     "e.g. example.com.")


class ReportForm(FlaskForm):
    reason = RadioField("What is wrong with this job?", validators=[
        DataRequired(message="Choose what is wrong with the job.")],
        choices=[SelectChoice(k, v) for k, v in REPORT_REASONS.items()])
    comment = TextAreaField("Tell us more", validators=[Optional(), Text(rules.MESSAGE)],
                            description="Optional, except for “Something else”. Moderators "
                                        "read every report; the employer does not see it.")
