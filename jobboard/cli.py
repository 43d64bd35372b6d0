"""Operator commands: flask --app app seed-demo | jobs expire | search ... | codes ..."""
import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from jobboard.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--jobs", "n_jobs", default=60, show_default=True, help="How many jobs.")
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
        made = demo.seed(n_jobs, seed, password)
        click.echo(f"Seeded {n_jobs} jobs, {len(made['employers'])} employers, "
                   f"{len(made['coders'])} coders. Password for all: {password}")
        click.echo(f"  employer: {made['employers'][0]}   coder: {made['coders'][0]}")

    jobs = AppGroup("jobs", help="Job lifecycle chores.")

    @jobs.command("expire")
    def expire():
        """Mark published jobs past their expiry date as expired (run daily)."""
        from jobboard.jobs.services import expire_due_jobs
        click.echo(f"Expired {expire_due_jobs()} jobs.")

    app.cli.add_command(jobs)

    search = AppGroup("search", help="The Meilisearch jobs index.")

    @search.command("setup")
    def search_setup():
        """Create the jobs index and apply its settings (idempotent)."""
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
        """Rebuild the jobs index from the database and swap it in with no downtime."""
        from jobboard.search import sync
        click.echo(f"Reindexed {sync.reindex()} open jobs.")

    app.cli.add_command(search)
