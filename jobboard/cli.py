"""Operator commands: flask --app app seed-demo | jobs expire | search ... | codes ..."""
import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from jobboard.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--jobs", "n_jobs", default=150, show_default=True, help="How many jobs.")
    @click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
    @click.option("--password", default="demo-password", show_default=True,
                  help="Password of every demo account.")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
    def seed_demo(n_jobs: int, seed: int, password: str, if_empty: bool):
        """Fill the database with deterministic demo companies, coders and jobs."""
        from jobboard import demo
        from jobboard.models import User

        if db.session.scalar(select(func.count()).select_from(User)):
            if if_empty:
                click.echo("Database already has data; not seeding.")
                return
            raise click.ClickException("The database already has users; seed an empty one.")
        with click.progressbar(length=n_jobs, label="Seeding demo jobs") as bar:
            made = demo.seed(n_jobs, seed, password, progress=bar.update)
        click.echo(f"Seeded {n_jobs} jobs, {len(made['employers'])} employers, "
                   f"{len(made['coders'])} coders. Password for all: {password}")
        click.echo(f"  employer: {made['employers'][0]}   coder: {made['coders'][0]}   "
                   f"admin: {made['admin']}")

    admin = AppGroup("admin", help="Admin accounts (never made by registration).")

    @admin.command("create")
    @click.argument("email")
    @click.option("--name", default="Admin", show_default=True)
    @click.password_option(help="Asked for when not given (at least 10 characters).")
    def admin_create(email: str, name: str, password: str):
        """Create an admin account: it reviews jobs, reports and companies under /admin/."""
        from jobboard.admin.services import create_admin
        from jobboard.errors import InvalidInput
        try:
            user = create_admin(email, name, password)
        except InvalidInput as e:
            raise click.ClickException(f"{e}. Nothing was created.") from None
        click.echo(f"Created admin {user.email}; log in at /login and open /admin/.")

    app.cli.add_command(admin)

    jobs = AppGroup("jobs", help="Job lifecycle chores.")

    @jobs.command("expire")
    def expire():
        """Mark published jobs past their expiry date as expired (run daily)."""
        from jobboard.jobs.services import expire_due_jobs
        click.echo(f"Expired {expire_due_jobs()} jobs.")

    @jobs.command("remind")
    def remind():
        """Mail recruiters about jobs that expire within 7 days or have expired (idempotent)."""
        from jobboard.notifications.services import send_expiry_reminders
        reminders, notices = send_expiry_reminders()
        click.echo(f"Queued {reminders} expiry reminders and {notices} expiry notices.")

    app.cli.add_command(jobs)

    mail = AppGroup("mail", help="The mail outbox.")

    @mail.command("send")
    def mail_send():
        """Send every message waiting in the outbox now (exit 1 if some could not be sent)."""
        from jobboard.mail import delivery
        result = delivery.deliver(ignore_backoff=True)
        status = delivery.status()
        click.echo(f"Sent {result.sent}; {result.failed} failed and wait; "
                   f"{result.rejected} refused by the server; {status['pending']} pending."
                   + (f" Last error: {result.error}" if result.error else ""))
        if result.failed:
            raise SystemExit(1)

    app.cli.add_command(mail)

    alerts = AppGroup("alerts", help="Job alerts (saved searches).")

    @alerts.command("send")
    @click.option("--frequency", type=click.Choice(["instant", "daily", "weekly"]),
                  default=None, help="Only alerts of this frequency (default: all).")
    def alerts_send(frequency: str | None):
        """Mail each saved search the jobs published since its last alert (idempotent)."""
        from jobboard.alerts.services import send_alerts
        from jobboard.models.alert import FREQUENCIES
        mails = jobs = 0
        for f in [frequency] if frequency else list(FREQUENCIES):
            m, j = send_alerts(f)
            mails, jobs = mails + m, jobs + j
        click.echo(f"Queued {mails} alert mails listing {jobs} jobs.")

    app.cli.add_command(alerts)

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Worker threads.")
    def worker(workers: int):
        """Run the background worker: mail, alerts, reminders, expiry, search sync."""
        import logging

        from flask import current_app

        from jobboard import tasks
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        tasks.init_app(current_app._get_current_object())
        click.echo(f"Worker: {workers} threads, queue {type(tasks.huey).__name__}.")
        # An idle consumer polls the SQLite queue at most a quarter second apart (Huey's
        # default backs off to 10 s): a published job is pushed to the index well within a
        # second, a reset mail within seconds. Redis blocks on the queue.
        tasks.huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                                   max_delay=0.25).run()

    search = AppGroup("search", help="The Meilisearch jobs and coders indexes.")

    @search.command("setup")
    def search_setup():
        """Create the jobs and coders indexes and apply their settings (idempotent)."""
        from jobboard.search import sync
        sync.setup()
        click.echo("Search index settings applied.")

    @search.command("sync")
    @click.option("--watch", type=float, default=None, metavar="SECONDS",
                  help="Keep running, draining every SECONDS (catches up after an outage).")
    def search_sync(watch: float | None):
        """Push every pending index update to Meilisearch."""
        import time

        from jobboard.search import sync
        while True:
            result = sync.drain(ignore_backoff=watch is None, quiet=watch is not None)
            if result.pushed or result.failed or watch is None:
                click.echo(f"Pushed {result.pushed} updates; {result.failed} failed; "
                           f"{sync.pending_count()} pending."
                           + (f" Last error: {result.error}" if result.error else ""))
            if watch is None:
                if result.failed:
                    raise SystemExit(1)
                return
            db.session.remove()
            time.sleep(watch)

    @search.command("reindex")
    def search_reindex():
        """Rebuild the jobs and coders indexes from the database and swap them in with no
        downtime."""
        import time

        from jobboard.search import sync
        started = time.perf_counter()
        with click.progressbar(length=sync.open_job_count(), label="Reindexing open jobs") as bar:
            count = sync.reindex(progress=bar.update)
        coders = sync.reindex_coders()
        click.echo(f"Reindexed {count} open jobs and {coders} findable coders in "
                   f"{time.perf_counter() - started:.1f} s; the new indexes are live.")

    app.cli.add_command(search)

    codes = AppGroup("codes", help="The code catalog.")

    @codes.command("load")
    @click.option("--skip-icd10cm", is_flag=True,
                  help="Only our CPT/HCPCS/PCS reference data (no ICD-10-CM or PCS code sets).")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the catalog has entries.")
    def codes_load(skip_icd10cm: bool, if_empty: bool):
        """Load our reference data, ICD-10-CM and ICD-10-PCS (idempotent)."""
        import time

        from jobboard.codes import catalog
        from jobboard.models import CatalogCode
        if if_empty and db.session.scalar(select(func.count()).select_from(CatalogCode)):
            # Our reference data is small and ships with the code: bring it up to date, and
            # the lookup index and job meanings with it when it changed.
            before = catalog.reference_fingerprint()
            catalog.load_reference_data()
            changed = catalog.reference_fingerprint() != before
            words = catalog.vocabulary_changed()
            click.echo("The code catalog is already loaded"
                       + ("; our reference data was updated." if changed else ".")
                       + (" The clinical vocabulary changed." if words else ""))
            changed = changed or words
            if not db.session.scalar(select(CatalogCode.id).where(
                    CatalogCode.source == catalog.PCS_SOURCE).limit(1)):  # loaded before PCS
                _load_pcs(catalog)
                changed = True
            _index_codes(only_if_missing=not changed)  # or the search server's data was reset
            # the vocabulary names ICD-10-CM codes too; else only jobs saved before meanings
            systems = None if words or not changed else ["CPT", "HCPCS", "ICD-10-PCS"]
            _refresh_jobs(systems, only_missing=not changed)
            catalog.vocabulary_applied()
            return
        t = time.perf_counter()
        click.echo(f"Reference sections and ranges: {catalog.load_reference_data()}")
        if not skip_icd10cm:
            with click.progressbar(length=catalog.ICD10CM_ENTRIES, label="Loading ICD-10-CM") as bar:
                loaded = catalog.load_icd10cm(progress=bar.update)
            click.echo(f"ICD-10-CM entries: {loaded}")
            _load_pcs(catalog)
        _index_codes()
        _refresh_jobs()
        catalog.vocabulary_applied()
        click.echo(f"Done in {time.perf_counter() - t:.1f} s.")

    @codes.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--system", required=True, type=click.Choice(["CPT", "HCPCS", "ICD-10-PCS"]))
    @click.option("--source", default=None, help="Name of the licensed source (default: file name).")
    def codes_import(path: str, system: str, source: str | None):
        """Import code descriptors: a CSV file (columns: code, title[, summary]) or CMS's
        text file (a code and its title a line, e.g. icd10pcs_codes_2026.txt)."""
        from pathlib import Path

        from jobboard.codes import catalog
        try:
            report = catalog.import_descriptors(path, system, source or Path(path).name)
        except ValueError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"Loaded {report.loaded} {system} codes; rejected {len(report.rejected)}.")
        for line, code, reason in report.rejected[:100]:
            click.echo(f"  line {line}: {code or '(empty)'}: {reason}")
        if len(report.rejected) > 100:
            click.echo(f"  ... and {len(report.rejected) - 100} more")
        _index_codes()
        _refresh_jobs([system])

    def _load_pcs(catalog):
        with click.progressbar(length=catalog.PCS_CODES, label="Loading ICD-10-PCS") as bar:
            loaded = catalog.load_icd10pcs(progress=bar.update)
        click.echo(f"ICD-10-PCS codes ({catalog.PCS_YEAR}, sections 0 and 1): {loaded}")

    def _refresh_jobs(systems: list[str] | None = None, only_missing: bool = False):
        """Jobs carry what their codes mean: recompute it and re-index them."""
        from jobboard.jobs.services import jobs_to_refresh, refresh_meanings
        ids = jobs_to_refresh(systems, only_missing)
        if not ids:
            return
        with click.progressbar(length=len(ids), label="Updating what job codes mean") as bar:
            refresh_meanings(ids, progress=bar.update)
        click.echo(f"Updated the code meanings of {len(ids)} jobs and queued them for search.")

    def _index_codes(only_if_missing: bool = False):
        from flask import current_app
        if current_app.config.get("MEILI_URL"):
            from jobboard.search.client import index_uid
            from jobboard.search.codes_index import index_all
            from jobboard.search.sync import index_exists
            if only_if_missing and index_exists(index_uid("codes")):
                return
            click.echo(f"Indexed {index_all()} catalog entries for lookup.")

    app.cli.add_command(codes)
