from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Optional

from jobboard import textrules as rules
from jobboard.textrules import Text


class StatusForm(FlaskForm):
    status = SelectField("Move to", choices=[])
    message = TextAreaField("Message to the coder", validators=[Optional(), Text(rules.MESSAGE)],
                            description="Optional. Sent with the status in the coder's mail, "
                                        "e.g. interview times.")


class CompanyForm(FlaskForm):
    company_name = StringField("Company name", validators=[DataRequired(), Text(rules.COMPANY_NAME)])
    website = URLField("Website", validators=[Optional(), Text(rules.WEBSITE)])
    profile = TextAreaField("About the company", validators=[Optional(), Text(rules.COMPANY_PROFILE)],
                            description="Shown on your company page and under each job. "
                                        "Markdown works: **bold**, lists, links.")


class ApiTokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Text(rules.TOKEN_NAME)],
                       description="What will use it, e.g. “Our ATS”.")
