"""Filters and globals the templates share."""
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

from flask import Flask, g, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from jobboard import vocab
from jobboard.coders.matching import match
from jobboard.database import utcnow
from jobboard.insights.charts import pay_axis
from jobboard.markdown import render_markdown
from jobboard.messages import services as conversations
from jobboard.models import application as ap
from jobboard.search.filters import FILTERS


def money(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"${amount:,.2f}" if amount % 1 else f"${amount:,.0f}"


def pay(job) -> str:
    if job.salary_min is None and job.salary_max is None:
        return ""
    period = vocab.SALARY_PERIODS.get(job.salary_period or "", "")
    if job.salary_min is not None and job.salary_max is not None:
        span = (money(job.salary_min) if job.salary_min == job.salary_max
                else f"{money(job.salary_min)}–{money(job.salary_max)}")
    elif job.salary_min is not None:
        span = f"from {money(job.salary_min)}"
    else:
        span = f"up to {money(job.salary_max)}"
    return f"{span} {period}".strip()


def place(job) -> str:
    where = ", ".join(p for p in (job.city, job.state) if p)
    mode = vocab.WORK_MODES.get(job.work_mode, job.work_mode)
    return f"{mode} · {where}" if where else mode


def date(value: datetime | None) -> str:
    return f"{value:%b %-d, %Y}" if value else ""


def breaks_after_slash(label: str) -> Markup:
    """The label, escaped, free to wrap after each slash ("Hematology/<wbr>oncology"): a
    narrow table column then breaks there rather than inside a word."""
    return escape(label).replace("/", Markup("/<wbr>"))


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(markdown=render_markdown, money=money, pay=pay, place=place,
                                 date=date, breaks_after_slash=breaks_after_slash)
    app.jinja_env.globals.update(vocab=vocab, status_labels=ap.STATUS_LABELS, now=utcnow,
                                 filters=FILTERS, fit=fit, code_url=code_url,
                                 unread_messages=unread_messages, pay_axis=pay_axis)


def code_url(code: str) -> str:
    """url_for("codes.page", code=code), from one url_for per request: a results page tags
    its cards with dozens of codes (their url_fors took a tenth of the page, profiled)."""
    prefix = g.get("_code_url") or g.setdefault("_code_url",
                                                url_for("codes.page", code="0")[:-1])
    return prefix + quote(code, safe="!$&'()*+,/:;=@")  # as the route's converter quotes


def unread_messages() -> int:
    """Unread messages of the logged-in user's conversations, for the navigation (asked
    once a request: the navigation is drawn twice, wide and folded)."""
    if "_unread" not in g:
        g._unread = conversations.unread_total(current_user)
    return g._unread


def fit(job):
    """How the logged-in coder's profile matches the job (None for anyone else)."""
    if not (current_user.is_authenticated and current_user.is_coder and current_user.profile):
        return None
    return match(job, current_user.profile)
