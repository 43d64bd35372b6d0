"""/dev/mail: the messages the development SMTP server stored. Only with MAIL_DEV_INBOX on."""
import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template
from markupsafe import Markup, escape

from jobboard.mail.devserver import message_ids, read_message
from jobboard.pagination import page_number

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")
URL = re.compile(r"https?://[^\s<>\"']+")
PER_PAGE = 50


def _directory() -> Path:
    return Path(current_app.config["MAIL_DIR"])


def linkify(text: str) -> Markup:
    """Plain text with its links clickable; everything else escaped."""
    out, last = [], 0
    for m in URL.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(Markup('<a href="{0}">{0}</a>').format(m.group(0)))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.get("/")
def inbox():
    page = page_number()
    ids = message_ids(_directory())  # file names only: just this page's messages are read
    shown = [read_message(_directory(), i) for i in ids[(page - 1) * PER_PAGE: page * PER_PAGE]]
    return render_template("devmail/inbox.html", messages=shown, total=len(ids), page=page,
                           pages=max(1, -(-len(ids) // PER_PAGE)))


def _one(message_id: str):
    found = read_message(_directory(), message_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<message_id>")
def message(message_id: str):
    m = _one(message_id)
    return render_template("devmail/message.html", m=m, body=linkify(m.text))


@bp.get("/<message_id>/html")
def message_html(message_id: str):
    """The HTML part on its own, sandboxed: no script, no access to this site's cookies."""
    response = Response(_one(message_id).html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = \
        "sandbox allow-popups allow-top-navigation-by-user-activation; default-src 'none'; " \
        "style-src 'unsafe-inline'; img-src data:"
    return response
