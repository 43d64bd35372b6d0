from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in")


class CoderRegistrationForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=10, max=200)],
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat password", validators=[
        DataRequired(), EqualTo("password", message="The passwords do not match.")])


class EmployerRegistrationForm(CoderRegistrationForm):
    company_name = StringField("Company name", validators=[DataRequired(), Length(max=120)])
    website = URLField("Company website", validators=[Optional(), Length(max=255)],
                       description="Optional, e.g. https://example-health.org")
    company_profile = TextAreaField("About the company", validators=[Optional(), Length(max=5000)],
                                    description="A few sentences coders will see on your jobs.")
