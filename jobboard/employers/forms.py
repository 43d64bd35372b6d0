from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Optional

from jobboard import textrules as rules
from jobboard.models import application as ap
from jobboard.textrules import Text


class StatusForm(FlaskForm):
    status = SelectField("Move to", choices=[])
    message = TextAreaField("Message to the coder", validators=[Optional(), Text(rules.MESSAGE)],
                            description="Optional. Sent with the status in the coder's mail, "
                                        "e.g. interview times.")


class NoteForm(FlaskForm):
    note = TextAreaField("Private note", validators=[DataRequired("Write the note first."),
                                                     Text(rules.MESSAGE)],
                         description="Only your company's recruiters see notes; the coder "
                                     "never does.")


class RatingForm(FlaskForm):
    rating = SelectField("Your rating", choices=[SelectChoice("", "Not rated"), *(
        SelectChoice(str(n), label) for n, label in ap.RATINGS.items())])


class BulkMoveForm(FlaskForm):
    """The applicant list's "move the ticked applicants" form: each is told, with the one
    message, as a single move tells one."""
    application = SelectMultipleField("Applicants", choices=[], coerce=int,
                                      validate_choice=False)
    status = SelectField("Move the ticked applicants to", choices=[
        SelectChoice(s, label) for s, label in ap.STATUS_LABELS.items() if s != ap.WITHDRAWN])
    message = TextAreaField("Message to each of them", validators=[Optional(), Text(rules.MESSAGE)],
                            description="Optional. Sent with the status in each coder's mail.")


class CompanyForm(FlaskForm):
    company_name = StringField("Company name", validators=[DataRequired(), Text(rules.COMPANY_NAME)])
    website = URLField("Website", validators=[Optional(), Text(rules.WEBSITE)])
    profile = TextAreaField("About the company", validators=[Optional(), Text(rules.COMPANY_PROFILE)],
                            description="Shown on your company page and under each job. "
                                        "Markdown works: **bold**, lists, links.")
    benefits = TextAreaField("Benefits", validators=[Optional(), Text(rules.COMPANY_PROFILE)],
                             description="One a line, e.g. “Paid CEUs and AAPC dues”, "
                                         "“Remote from any state”. At most 12.")
    logo = FileField("Logo", description="PNG, JPEG, WebP or GIF, at most 2 MB. Shown at most "
                                         "256 px wide; a square one looks best.")
    remove_logo = BooleanField("Remove the logo")


class ApiTokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Text(rules.TOKEN_NAME)],
                       description="What will use it, e.g. “Our ATS”.")
