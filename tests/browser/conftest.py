"""Shared Playwright fixtures for the browser tests (Debian's Chromium at /usr/bin/chromium).

Every test in tests/browser/ is marked `@pytest.mark.browser` and skips, with a clear reason, when
/usr/bin/chromium is absent (CI installs it with apt-get; see .ci/run). Pages are served by
pytest-django's `live_server` (static files included; /media/ is answered from MEDIA_ROOT by a
Playwright route, because the project serves media only with DEBUG on).

Fixtures
--------
`browser`      the Chromium of the session (headless, no sandbox, no background networking).
`problems`     what went wrong in the pages of one test: `console_errors` (console errors and
               uncaught exceptions), `csp_violations` (securitypolicyviolation events, recorded
               by an init script in every document, across navigations), `external_requests`
               (anything not sent to the live server) and `failed_requests` (4xx/5xx answers).
               `problems.assert_none()` fails the test with all of them listed.
`make_page`    `make_page(javascript=True, **context_options)` → a new page in its own context
               (a phone-sized viewport, Indonesian locale) watched by `problems`.
`page`         `make_page()`: the usual page with JavaScript on.
`demo_data`    loads the demo programme (44 products with images) into the live server's database
               and returns catalogue.demo.DemoResult. Uses the transactional database, as live
               server tests must.

Example::

    pytestmark = pytest.mark.browser

    def test_catalogue(page, problems, live_server, demo_data):
        page.goto(live_server.url + "/produk/")
        page.get_by_label("Kabupaten/kota").select_option("kabupaten-kupang")
        page.wait_for_url("**/produk/?kabupaten=kabupaten-kupang")
        problems.assert_none()
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls under a running
# loop unless told that this is fine (it is: the test thread is not an async context).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

# Runs before any script of every document: CSP violations become a call into Python, so they are
# kept even when the page navigates away right after.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__reportCspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber, page: location.href
  });
});
"""


@dataclass
class Problems:
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [
            *(f"console: {text}" for text in self.console_errors),
            *(f"CSP: {violation}" for violation in self.csp_violations),
            *(f"request to another host: {url}" for url in self.external_requests),
            *(f"failed request: {line}" for line in self.failed_requests),
        ]

    def assert_none(self) -> None:
        found = self.all()
        assert not found, "Problems in the browser:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium is not installed at /usr/bin/chromium (CI installs it: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def problems() -> Problems:
    return Problems()


def _serve_media(route, request) -> None:
    """Answer /media/... from MEDIA_ROOT (the tests' temporary folder), refusing paths outside it."""
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT).resolve()
    relative = unquote(urlsplit(request.url).path).removeprefix(settings.MEDIA_URL)
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        route.fulfill(status=404, body="not found")
        return
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    route.fulfill(status=200, body=path.read_bytes(), headers={"Content-Type": content_type})


@pytest.fixture
def make_page(browser, live_server, problems):
    from django.conf import settings

    contexts = []
    origin = urlsplit(live_server.url)

    def make(javascript: bool = True, **options):
        context = browser.new_context(
            java_script_enabled=javascript,
            viewport=options.pop("viewport", PHONE),
            locale=options.pop("locale", "id-ID"),
            **options,
        )
        contexts.append(context)
        context.expose_function(
            "__reportCspViolation", lambda violation: problems.csp_violations.append(violation)
        )
        context.add_init_script(CSP_LISTENER)
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", _serve_media)
        page = context.new_page()
        page.on(
            "console",
            lambda message: message.type == "error" and problems.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: problems.console_errors.append(f"uncaught: {error}"))

        def watch_request(request) -> None:
            url = urlsplit(request.url)
            if url.scheme in {"http", "https"} and url.netloc != origin.netloc:
                problems.external_requests.append(request.url)

        def watch_response(response) -> None:
            if response.status >= 400:
                problems.failed_requests.append(f"{response.status} {response.url}")

        page.on("request", watch_request)
        page.on("response", watch_response)
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def demo_data(transactional_db):
    from catalogue.demo import load_demo

    return load_demo(with_images=True)
