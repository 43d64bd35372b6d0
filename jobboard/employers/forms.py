from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional


class StatusForm(FlaskForm):
    status = SelectField("Move to", choices=[])
    message = TextAreaField("Message to the coder", validators=[Optional(), Length(max=2000)],
                            description="Optional. Sent with the status in the coder's mail, "
                                        "e.g. interview times.")


class CompanyForm(FlaskForm):
    company_name = StringField("Company name", validators=[DataRequired(), Length(max=120)])
    website = URLField("Website", validators=[Optional(), Length(max=255)])
    profile = TextAreaField("About the company", validators=[Optional(), Length(max=5000)])


class ApiTokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=80)],
                       description="What will use it, e.g. “Our ATS”.")
