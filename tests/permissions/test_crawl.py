"""A crawl of everything a customer user can reach: every same-site link from the admin
index, GET only, and not one name or number of the other customer on any page."""

import html
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from permissions.models import Grant
from portal.models import Employee, Notification, Order

from .helpers import customer_names, leaked, readable

MAX_PAGES = 300
MAX_QUERY_VARIANTS = 8  # per path: sort orders and filters multiply, their rows do not
SKIP_PREFIXES = ("/static/", "/media/", "/i18n/", "/logout/", "/favicon.ico")
HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _links(page_url: str, text: str) -> list[str]:
    found = []
    for raw in HREF.findall(text):
        href = html.unescape(raw).strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + page_url, href))
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        # The filters a change page carries back to its list do not make it another page.
        query = urlencode(
            [(k, v) for k, v in parse_qsl(parts.query, True) if k != "_changelist_filters"]
        )
        found.append(parts.path + (f"?{query}" if query else ""))
    return found


def crawl(client, start="/"):
    """Every page reachable from `start` by following links and redirects:
    {url: (status, what the user reads)}, or {url: exception} where the view raised."""
    queue, seen, pages = deque([start]), {start}, {}
    variants = Counter()
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        try:
            response = client.get(url)
        except Exception as error:  # a 500 raised through the test client
            pages[url] = error
            continue
        text = readable(response)
        pages[url] = (response.status_code, text)
        if response.status_code in (301, 302):
            targets = [response["Location"]]
        elif "html" in response.get("Content-Type", ""):
            targets = _links(url, text)
        else:
            targets = []
        for target in targets:
            target = target if target.startswith("/") else urlsplit(target).path
            path, _, query = target.partition("?")
            if target in seen or path.startswith(SKIP_PREFIXES):
                continue
            if query:
                if variants[path] >= MAX_QUERY_VARIANTS:
                    continue
                variants[path] += 1
            seen.add(target)
            queue.append(target)
    return pages


def _state():
    """What a GET must never change."""
    return (
        sorted(Order.objects.values_list("number", "status", "state")),
        sorted(Employee.objects.values_list("pk", "is_active", "department_id")),
        Notification.objects.count(),
        Grant.objects.count(),
    )


@pytest.mark.parametrize(
    ("username", "others"),
    [("testweb", "eksempel"), ("annen", "testbedriften")],
)
def test_no_page_a_customer_can_reach_names_the_other_customer(
    username, others, cast, world, login
):
    """Given a demo customer user, when they follow every link from the index, then every
    page answers 200 or a redirect and none shows the other customer's names or numbers."""
    client = login(username)
    hidden = customer_names(getattr(cast, others))
    before = _state()

    pages = crawl(client)

    broken = {
        url: (page if isinstance(page, Exception) else page[0])
        for url, page in pages.items()
        if isinstance(page, Exception) or page[0] not in (200, 301, 302)
    }
    leaks = {
        url: found
        for url, page in pages.items()
        if not isinstance(page, Exception) and (found := leaked(page[1], hidden))
    }
    assert len(pages) > 10, sorted(pages)  # the crawl did get somewhere
    assert {"/portal/order/", "/portal/employee/", "/portal/invoice/"} <= set(pages)
    assert broken == {}
    assert leaks == {}
    assert _state() == before  # a GET never changes anything
