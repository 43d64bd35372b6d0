from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from jobboard import textrules as rules
from jobboard import vocab
from jobboard.errors import InvalidInput
from jobboard.forms import MultiCheckboxField, blank_first, choices
from jobboard.jobs.services import JobFields, validate
from jobboard.numbers import AmountField, WholeNumberField
from jobboard.textrules import Text


class JobForm(FlaskForm):
    title = StringField("Job title", validators=[DataRequired(), Text(rules.JOB_TITLE)])
    codes = StringField(
        "Codes", validators=[DataRequired(), Text(rules.CODES)],
        description="CPT, HCPCS, ICD-10-CM or ICD-10-PCS codes, separated by commas, "
                    "e.g. 38206, 38207, C92.00, J9035. Keep the dot in ICD-10-CM codes.")
    description = TextAreaField(
        "Description", validators=[DataRequired(), Text(rules.JOB_DESCRIPTION)],
        description="Markdown: **bold**, *italic*, lists with -, links.")
    specialties = MultiCheckboxField("Specialties", choices=choices(vocab.SPECIALTIES))
    required_credentials = MultiCheckboxField(
        "Required credentials", choices=choices(vocab.CREDENTIALS, labels=False),
        description="A coder needs at least one of these.")
    preferred_credentials = MultiCheckboxField(
        "Preferred credentials", choices=choices(vocab.CREDENTIALS, labels=False))
    setting = SelectField("Coding setting", choices=blank_first(choices(vocab.SETTINGS)))
    work_mode = RadioField("Where the work is done", choices=choices(vocab.WORK_MODES),
                           invalid_choice_message="Choose one.")
    city = StringField("City", validators=[Optional(), Text(rules.CITY)],
                       description="Needed for hybrid and onsite jobs.")
    state = SelectField("State", choices=blank_first(choices(vocab.US_STATES),
                                                     "Any (remote)"))
    # places=None: the form shows amounts as entered (58000, 31.5), not 58000.00
    salary_min = AmountField("Pay from", places=None, validators=[Optional()])
    salary_max = AmountField("Pay up to", places=None, validators=[Optional()])
    salary_period = SelectField("Pay period", choices=blank_first(
        choices(vocab.SALARY_PERIODS), "—"))
    employment_type = SelectField("Employment type",
                                  choices=blank_first(choices(vocab.EMPLOYMENT_TYPES)))
    min_years = WholeNumberField("Minimum years of experience", default=0,
                             validators=[InputRequired(), NumberRange(min=0, max=50)])
    charts_per_day = WholeNumberField("Charts per day", validators=[Optional(), NumberRange(min=1)],
                                  description="Optional productivity expectation.")
    accuracy_pct = AmountField("Accuracy expected (%)", places=None,
                                validators=[Optional(), NumberRange(min=1, max=100)],
                                description="Optional, e.g. 95.")

    def validate(self, extra_validators=None) -> bool:
        """The form's own checks and the posting rules together, so every error shows at once."""
        ok = super().validate(extra_validators)
        try:
            validate(self.to_fields())
        except InvalidInput as e:
            for name, messages in e.errors.items():
                field = getattr(self, name)
                if not field.errors:
                    field.errors = list(messages)
            return False
        return ok

    def to_fields(self) -> JobFields:
        return JobFields(
            title=self.title.data or "", description=self.description.data or "",
            codes=self.codes.data or "", setting=self.setting.data,
            work_mode=self.work_mode.data, employment_type=self.employment_type.data,
            specialties=self.specialties.data or [],
            required_credentials=self.required_credentials.data or [],
            preferred_credentials=self.preferred_credentials.data or [],
            city=self.city.data, state=self.state.data or None,
            salary_min=self.salary_min.data, salary_max=self.salary_max.data,
            salary_period=self.salary_period.data or None, min_years=self.min_years.data,
            charts_per_day=self.charts_per_day.data, accuracy_pct=self.accuracy_pct.data,
        )

    def fill_from(self, fields: JobFields) -> None:
        for name, value in vars(fields).items():
            if name == "codes":
                value = ", ".join(value) if isinstance(value, list) else value
            elif isinstance(value, Decimal):
                value = as_entered(value)
            getattr(self, name).data = value


def as_entered(amount: Decimal) -> Decimal:
    """58000.00 -> 58000, 95.0 -> 95, 31.50 -> 31.5 (the database keeps two places)."""
    whole = amount.to_integral_value()
    return whole if amount == whole else amount.normalize()


class CloseJobForm(FlaskForm):
    outcome = RadioField("Why is the job closing?", default="closed", choices=[
        SelectChoice("filled", "We filled it"),
        SelectChoice("closed", "We are no longer hiring for it")])
