from urllib.parse import urlencode

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional

from jobboard.alerts.services import normalise_query
from jobboard.forms import choices
from jobboard.models.alert import FREQUENCIES


class SaveSearchForm(FlaskForm):
    query = HiddenField()
    name = StringField("Name this alert", validators=[Optional(), Length(max=120)],
                       description="Leave empty to name it after the search.")
    frequency = SelectField("Email me new jobs", choices=choices(FREQUENCIES), default="daily")


class AlertForm(FlaskForm):
    name = StringField("Name", validators=[Length(min=1, max=120)])
    frequency = SelectField("Email me new jobs", choices=choices(FREQUENCIES))
    active = BooleanField("On")


def save_search_form(query_args) -> SaveSearchForm:
    """The "Email me new jobs" form of the search page, carrying the current search."""
    form = SaveSearchForm()
    form.query.data = normalise_query(urlencode(list(query_args.items(multi=True))))
    return form
