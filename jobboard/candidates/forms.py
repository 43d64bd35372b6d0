from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional


class InviteForm(FlaskForm):
    # No "required": the first open job is chosen to start with, and the service checks it.
    job = SelectField("Job", coerce=int, validate_choice=False)
    message = TextAreaField("Message", validators=[Optional(), Length(max=2000)],
                            description="Optional, up to 2,000 characters. Why this job suits "
                            "them; it goes in the mail they receive.")
