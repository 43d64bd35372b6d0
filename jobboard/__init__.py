"""The medical coding job board."""
import os
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from jobboard.config import INSTANCE, ROOT, SECRET_KEY_FILE, Config, SettingMissing, load_secret_key
from jobboard.jsonio import OrjsonProvider


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE), template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    app.json = OrjsonProvider(app)
    app.config.from_object(Config)
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        if not os.environ.get("SECRET_KEY") and os.environ.get("CODEBOARD_DEV") != "1" \
                and not (INSTANCE / SECRET_KEY_FILE).exists():
            # A key generated per machine would log users out between hosts and on every
            # new machine: production must say which key to use. A checkout `make run` set
            # up has its key in instance/, which the operator commands read too.
            raise SettingMissing("SECRET_KEY is not set. Set it to a long random string, the "
                                 "same on every host (`make run` generates one into "
                                 "instance/ for development).")
        app.config["SECRET_KEY"] = load_secret_key()
    if app.config["RESUME_STORE"] not in ("local", "database"):
        raise SettingMissing(f"RESUME_STORE is {app.config['RESUME_STORE']!r}: set it to "
                             "local (files under RESUME_DIR) or database.")
    if app.config.get("TRUSTED_HOSTS") is None:
        site_host = urlsplit(app.config["SITE_URL"]).hostname
        app.config["TRUSTED_HOSTS"] = [h for h in (site_host, "localhost", "127.0.0.1") if h]
    if n := app.config["PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    from jobboard.pagination import IdConverter
    app.url_map.converters["int"] = IdConverter  # before any route is added
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    from jobboard.security import register_security
    register_security(app)
    from jobboard.httpcache import register_cache_headers
    register_cache_headers(app)
    from jobboard.requestlog import configure_logging
    configure_logging(app)
    from jobboard.errors import register_errorhandlers
    register_errorhandlers(app)
    from jobboard.templating import register_template_helpers
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from jobboard import models  # noqa: F401  (the whole schema, for db and migrations)
    from jobboard.extensions import cache, cors, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    cors.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str):
        from jobboard.auth.services import load_session_user
        return load_session_user(session_id)

    @login_manager.unauthorized_handler
    def unauthorized():
        """To the login page, saying why when the session ended for a reason the user
        should know (their company was suspended), else "Log in to continue"."""
        from flask import flash, g, redirect, request
        from flask_login import login_url
        flash(g.get("session_ended") or login_manager.login_message,
              "error" if g.get("session_ended") else login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, request.url))

    from jobboard import tasks
    tasks.init_app(app)


def register_blueprints(app: Flask) -> None:
    from jobboard import assets, health
    from jobboard.admin.routes import bp as admin
    from jobboard.alerts.routes import bp as alerts
    from jobboard.api.routes import bp as api
    from jobboard.api.routes import docs as api_docs
    from jobboard.auth.routes import bp as auth
    from jobboard.candidates.routes import bp as candidates
    from jobboard.coders.routes import bp as coders
    from jobboard.codes.routes import bp as codes
    from jobboard.employers.routes import bp as employers
    from jobboard.feeds.routes import bp as feeds
    from jobboard.insights.routes import bp as insights
    from jobboard.jobs.routes import bp as jobs
    from jobboard.messages.routes import bp as messages

    for bp in (assets.bp, health.bp, auth, jobs, employers, coders, codes, api, api_docs,
               alerts, feeds, admin, insights, candidates, messages):
        app.register_blueprint(bp)
    if app.config.get("MAIL_DEV_INBOX"):
        from jobboard.mail.devinbox import bp as devmail
        app.register_blueprint(devmail)


def register_cli(app: Flask) -> None:
    from jobboard.cli import register
    register(app)
