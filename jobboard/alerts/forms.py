from urllib.parse import urlencode

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from jobboard import textrules as rules
from jobboard.alerts.services import normalise_query
from jobboard.forms import choices
from jobboard.models.alert import FREQUENCIES
from jobboard.textrules import Text


class SaveSearchForm(FlaskForm):
    query = HiddenField()
    name = StringField("Name this alert", validators=[Optional(), Text(rules.ALERT_NAME)],
                       description="Leave empty to name it after the search.")
    frequency = SelectField("Email me new jobs", choices=choices(FREQUENCIES), default="daily")


class AlertForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Name the alert."),
                                           Text(rules.ALERT_NAME)])
    frequency = SelectField("Email me new jobs", choices=choices(FREQUENCIES))
    active = BooleanField("On")


def save_search_form(query_args) -> SaveSearchForm:
    """The "Email me new jobs" form of the search page, carrying the current search."""
    form = SaveSearchForm()
    form.query.data = normalise_query(urlencode(list(query_args.items(multi=True))))
    return form
