"""Browser journeys: Debian's Chromium, driven by Playwright's sync API, against `live_server`.

One Chromium for the whole run of tests/browser, a fresh context (cookies, storage) per test,
the demo world loaded into the test database before each test. No browser is ever downloaded:
where Chromium is missing the journeys are skipped, or fail when CI=true.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from portal.demo import demo_load

BROWSER_TESTS = Path(__file__).resolve().parent
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CHROMIUM_FALLBACK = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PASSWORD = "demo"
TIMEOUT_MS = 10_000
PAGE_ERRORS = pytest.StashKey[list[str]]()


def chromium_executable() -> str | None:
    """Debian's Chromium: `chromium` on the PATH, else /usr/bin/chromium; None if neither runs."""
    for candidate in (shutil.which("chromium"), CHROMIUM_FALLBACK):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    # This hook sees every item of the session: mark only the ones in this folder.
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A journey that passed still fails when the page threw or logged a console error; a
    journey that failed shows them beside its own failure."""
    try:
        result = yield
    except BaseException:
        if errors := item.stash.get(PAGE_ERRORS, []):
            item.add_report_section("call", "page errors", "\n".join(errors))
        raise
    if errors := item.stash.get(PAGE_ERRORS, []):
        pytest.fail(
            "The page reported errors:\n" + "\n".join(f"  - {e}" for e in errors), pytrace=False
        )
    return result


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API keeps an asyncio loop marked as running in the test thread, so
    Django would refuse every ORM call there (SynchronousOnlyOperation). Allowed for the
    browser tests only, and put back afterwards."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def chromium(_allow_orm_beside_playwright):
    """One headless Chromium for all journeys (package scope, so that Playwright's event loop
    is gone again before any other test of the session runs)."""
    executable = chromium_executable()
    if executable is None:
        message = (
            "Chromium not found: neither `chromium` on the PATH nor "
            f"{CHROMIUM_FALLBACK}. Install Debian's package (apt-get install chromium); "
            "the browser journeys never download a browser."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and the browser journeys cannot run. {message}", pytrace=False)
        pytest.skip(message)

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(autouse=True)
def demo_world(transactional_db):
    """The demo world, in the database the live server's thread shares with the test."""

    demo_load()


def _is_favicon_404(message) -> bool:
    return "favicon" in (message.location or {}).get("url", "") and "404" in message.text


@pytest.fixture
def page(request, chromium, live_server):
    """A page in a fresh context, pointed at the live server, in Norwegian on Norwegian time;
    its errors fail the test."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1400, "height": 900},
        locale="nb-NO",
        timezone_id="Europe/Oslo",
    )
    context.set_default_timeout(TIMEOUT_MS)
    errors = request.node.stash.setdefault(PAGE_ERRORS, [])
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console error: {message.text} ({message.location.get('url')})")
            if message.type == "error" and not _is_favicon_404(message)
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """`login(page, username)`: sign in through the real login form, land on the Info page."""

    def _login(page, username, password=PASSWORD):
        # The portal's address, as a user types it: the admin sends them to /login/?next=/.
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("form [type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/")
        expect(page).to_have_title(re.compile(r"^Info\b"))
        return page

    return _login


@pytest.fixture
def logout():
    """`logout(page)`: the header's "Logg ut" button (a POST), onto the logged-out page."""

    def _logout(page):
        page.locator("[data-testid=logged-in-as] + form [type=submit]").click()
        expect(page).to_have_url(re.compile(r"/logout/$"))
        return page

    return _logout


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: a full-page PNG at var/screenshots/<name>.png.

    The viewport is stretched to the page's height for the shot, so that Unfold's fixed
    footer and sidebar sit at the bottom instead of across the middle of a long list."""

    def _screenshot(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        viewport = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight")
        if viewport and height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            page.screenshot(path=str(path), full_page=True, animations="disabled")
        finally:
            if viewport:
                page.set_viewport_size(viewport)
        return path

    return _screenshot
