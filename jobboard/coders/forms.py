from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from jobboard import vocab
from jobboard.coders.services import ProfileFields
from jobboard.forms import MultiCheckboxField, blank_first, choices

RESUME_HELP = "PDF or Word (DOCX), at most 5 MB."


class ProfileForm(FlaskForm):
    headline = StringField("Headline", validators=[Optional(), Length(max=160)],
                           description="e.g. Inpatient coder, 6 years, heme/onc")
    credentials = MultiCheckboxField("Credentials you hold",
                                     choices=choices(vocab.CREDENTIALS, labels=False))
    specialties = MultiCheckboxField("Specialties", choices=choices(vocab.SPECIALTIES))
    years_experience = IntegerField("Years of coding experience", default=0,
                                    validators=[InputRequired(), NumberRange(min=0, max=60)])
    city = StringField("City", validators=[Optional(), Length(max=100)])
    state = SelectField("State", choices=blank_first(choices(vocab.US_STATES), "—"))
    remote_preference = SelectField("Work preference",
                                    choices=choices(vocab.REMOTE_PREFERENCES))
    resume = FileField("Resume", description=RESUME_HELP + " Replaces the one on file.")

    def to_fields(self) -> ProfileFields:
        return ProfileFields(
            headline=self.headline.data or "", credentials=self.credentials.data or [],
            specialties=self.specialties.data or [],
            years_experience=self.years_experience.data, city=self.city.data,
            state=self.state.data or None, remote_preference=self.remote_preference.data)


class ApplyForm(FlaskForm):
    cover_letter = TextAreaField("Cover letter", validators=[Optional(), Length(max=10000)],
                                 description="Optional. Why this job, and what you bring.")
    resume = FileField("Resume", description=RESUME_HELP + " Leave empty to send the resume "
                       "on your profile.")
