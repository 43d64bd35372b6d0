"""Form pieces shared by the feature packages."""
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from jobboard import textrules as rules
from jobboard.errors import InvalidInput
from jobboard.textrules import Text


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConfirmForm(FlaskForm):
    """A form that is only a button: carries the CSRF token for a POST action."""


class MessageForm(FlaskForm):
    """A message in an application's conversation, from either side."""
    body = TextAreaField("Your message",
                         validators=[DataRequired("Write a message first."), Text(rules.MESSAGE)],
                         description="The other side gets a mail with a link to this page. "
                                     "Markdown works: **bold**, lists, links.")


def show_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's errors next to the fields they are about."""
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *(m for m in messages if m not in field.errors)]
        else:
            form.form_errors.extend(m for m in messages if m not in form.form_errors)


def choices(vocab: dict[str, str], labels: bool = True) -> list[SelectChoice]:
    """A vocabulary as form choices; labels=False shows the codes themselves (e.g. CPC)."""
    return [SelectChoice(value, label if labels else value) for value, label in vocab.items()]


def blank_first(options: list[SelectChoice], label: str = "Choose…") -> list[SelectChoice]:
    return [SelectChoice("", label), *options]
