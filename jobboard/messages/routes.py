from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from jobboard.errors import Conflict, InvalidInput
from jobboard.forms import MessageForm, show_errors
from jobboard.messages import services
from jobboard.pagination import page_number

bp = Blueprint("messages", __name__)


@bp.get("/messages")
@login_required
def inbox():
    return render_template("messages/inbox.html",
                           pagination=services.inbox(current_user, page_number()))


def send(application, page_endpoint: str, render_page):
    """Post the message form of an application's page (either side's): back to the thread
    when sent, the page again with the error next to the field when not."""
    form = MessageForm()
    back = url_for(page_endpoint, application_id=application.id)
    if form.validate_on_submit():
        try:
            services.post(application, current_user, form.body.data)
        except InvalidInput as e:
            show_errors(form, e)
        except Conflict as e:  # the application was withdrawn meanwhile
            flash(str(e), "error")
            return redirect(back)
        else:
            flash("Message sent.", "success")
            return redirect(back + "#conversation")
    return render_page(form)
