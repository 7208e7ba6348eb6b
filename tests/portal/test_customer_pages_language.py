"""Every page a customer reaches reads as Norwegian written by a person: no English left over
from Django, Unfold or import-export, no Python object names, no internal model names.

The test walks the site as testweb does: from the index, every same-site link, once per kind
of page (the first object of each list, its page, add, export and import pages, the reports),
GET only, never «Logg ut»."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.usefixtures("frozen_clock")

#: Defaults of Django, Unfold and import-export that must not reach a customer in English.
ENGLISH = (
    "Save",
    "Delete",
    "Add",
    "Filter",
    "Search",
    "Submit",
    "History",
    "Export",
    "Import",
    "Format",
    "Home",
    "Log out",
    "Change",
    "View site",
    "Show all",
    "Clear all filters",
    "Action",
    "Go",
    "Select all",
    "Run",
    "object",
    "Tablib",
    "Grant",
)
FORBIDDEN = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")
OBJECT_REPR = re.compile(r"object \(")

#: Attributes whose text a person reads or hears.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder")

#: Links the walk does not follow: leaving, switching language, files and the admin's
#: shortcut to a row's public page.
SKIP = re.compile(r"^/(logout|logg-ut|i18n|static|media|r)/|/jsi18n/")

#: Enough for every kind of page a customer has; a walk that needs more has found a loop.
MAX_PAGES = 250


class PageText(HTMLParser):
    """The words of a page a person reads: its text and READ_ATTRIBUTES, not its scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += tag != "template"
        values = dict(attrs)
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


#: Query keys that make no other kind of page: the facets' counts, the list's filters kept.
SAME_PAGE_KEYS = {"_facets", "_changelist_filters"}


def shape(url: str) -> tuple[str, tuple[str, ...]]:
    """A kind of page: its path with every number as N, and the names of its query keys."""
    parts = urlsplit(url)
    keys = tuple(
        sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)} - SAME_PAGE_KEYS)
    )
    return re.sub(r"\d+", "N", parts.path), keys


def walk(client, start="/"):
    """{url: the page's words} for every kind of page reachable from `start`."""
    seen_shapes: set = set()
    pages: dict[str, str] = {}
    queue = [start]
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if shape(url) in seen_shapes:
            continue
        seen_shapes.add(shape(url))
        response = client.get(url, follow=True)  # «Rediger» leads to the form by a redirect
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.redirect_chain:
            url = response.redirect_chain[-1][0]
        parser = PageText()
        parser.feed(response.content.decode())
        pages[url] = " ".join(" ".join(parser.parts).split())
        for href in parser.links:
            target = urljoin(url, href.split("#")[0])
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP.search(parts.path):
                continue
            queue.append(target)
    return pages


def problems_in(text: str) -> list[str]:
    found = [match.group(0) for match in FORBIDDEN.finditer(text)]
    found += [match.group(0) for match in OBJECT_REPR.finditer(text)]
    return found


def test_the_walk_finds_the_customers_pages(cast, login):
    pages = walk(login(cast.testweb))

    paths = {urlsplit(url).path for url in pages}
    assert "/portal/order/" in paths
    assert "/portal/employee/" in paths
    assert "/portal/employee/add/" in paths
    assert any(re.fullmatch(r"/portal/employee/\d+/change/", path) for path in paths)
    assert any(re.fullmatch(r"/portal/employee/\d+/change/\?edit=1", url) for url in pages)
    assert any(path.startswith("/portal/employee/") and "export" in path for path in paths)
    assert any("import" in path for path in paths)
    assert len(pages) > 20


@pytest.mark.parametrize("member", ["testweb", "kam"])  # a customer, and their KA/KAM
def test_no_page_a_customer_reaches_speaks_english_or_python(cast, login, member):
    pages = walk(login(getattr(cast, member)))

    problems = {url: found for url, text in pages.items() if (found := problems_in(text))}
    assert problems == {}
