from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Optional

from jobboard import textrules as rules
from jobboard.textrules import Text


class InviteForm(FlaskForm):
    # No "required": the first open job is chosen to start with, and the service checks it.
    job = SelectField("Job", coerce=int, validate_choice=False)
    message = TextAreaField("Message", validators=[Optional(), Text(rules.MESSAGE)],
                            description="Optional, up to 2,000 characters. Why this job suits "
                            "them; it goes in the mail they receive.")
