import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium():
    require(os.access(CHROMIUM, os.X_OK), f"Debian's chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    yield browser
    browser.close()
    pw.stop()


def closed_body(app):
    """The app with each response's body read and closed before the server sends it.

    werkzeug's development server (3.1.8, ``execute`` in serving.py) closes a body only after
    draining the request socket, and a browser that leaves a page while its favicon loads resets
    that socket: the read raises, the close is skipped, and the open static file fails the test
    as an unraisable ResourceWarning. The pages under test are small, so buffering costs nothing.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, closed_body(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    site_url, app.config["SITE_URL"] = app.config["SITE_URL"], url  # mailed links lead here
    yield url
    app.config["SITE_URL"] = site_url
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def new_page(chromium, live_server):
    """A page in a fresh browser profile (its own cookies), as a separate person."""
    contexts = []

    def open_page():
        context = chromium.new_context(base_url=live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
