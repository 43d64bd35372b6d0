"""Form pieces shared by the feature packages."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from jobboard.errors import InvalidInput


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConfirmForm(FlaskForm):
    """A form that is only a button: carries the CSRF token for a POST action."""


def show_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's errors next to the fields they are about."""
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors.extend(messages)


def blank_first(choices: list[tuple[str, str]], label: str = "Choose…") -> list[tuple[str, str]]:
    return [("", label), *choices]
