from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from jobboard import textrules as rules
from jobboard import vocab
from jobboard.coders.services import ProfileFields
from jobboard.forms import MultiCheckboxField, blank_first, choices
from jobboard.numbers import WholeNumberField
from jobboard.textrules import Text

RESUME_HELP = "PDF or Word (DOCX), at most 5 MB."


class ProfileForm(FlaskForm):
    headline = StringField("Headline", validators=[Optional(), Text(rules.HEADLINE)],
                           description="e.g. Inpatient coder, 6 years, heme/onc")
    credentials = MultiCheckboxField("Credentials you hold",
                                     choices=choices(vocab.CREDENTIALS, labels=False))
    specialties = MultiCheckboxField("Specialties", choices=choices(vocab.SPECIALTIES))
    years_experience = WholeNumberField("Years of coding experience", default=0,
                                    validators=[InputRequired(), NumberRange(min=0, max=60)])
    city = StringField("City", validators=[Optional(), Text(rules.CITY)])
    state = SelectField("State", choices=blank_first(choices(vocab.US_STATES), "—"))
    remote_preference = SelectField("Work preference",
                                    choices=choices(vocab.REMOTE_PREFERENCES))
    resume = FileField("Resume", description=RESUME_HELP + " Replaces the one on file.")
    codes = StringField("Codes you work with", validators=[Optional(), Text(rules.CODES)],
                        description="Up to 30, separated by commas, e.g. 38206, 38241, C92.00. "
                        "Employers search candidates by them.")
    findable = BooleanField("Let employers find my profile",
                            description="Verified employers see your headline, credentials, "
                            "specialties, codes, years, state, work preference and "
                            "availability, and can invite you to apply. Never your name, "
                            "email, phone or resume: those reach an employer only when you "
                            "apply.")
    availability = SelectField("Availability", choices=choices(vocab.AVAILABILITY),
                               default="open")

    def to_fields(self) -> ProfileFields:
        return ProfileFields(
            headline=self.headline.data or "", credentials=self.credentials.data or [],
            specialties=self.specialties.data or [],
            years_experience=self.years_experience.data, city=self.city.data,
            state=self.state.data or None, remote_preference=self.remote_preference.data,
            findable=self.findable.data, availability=self.availability.data,
            codes=self.codes.data or "")


class ApplyForm(FlaskForm):
    cover_letter = TextAreaField("Cover letter", validators=[Optional(), Text(rules.COVER_LETTER)],
                                 description="Optional. Why this job, and what you bring.")
    resume = FileField("Resume", description=RESUME_HELP + " Leave empty to send the resume "
                       "on your profile.")
