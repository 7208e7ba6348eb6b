"""The sidebar highlights one tab, the one the page belongs to: an order is under «Bestilling»,
an employee under «Ansatte», and so on; an appointment is under «Bestilling» for a customer and
under staff's own «Timeavtaler» for staff (PortalAdminSite.get_sidebar_list)."""

import re

import pytest

from portal.models import Invoice, Order
from portal.sites import PortalAdminSite
from tests.factories import AppointmentFactory

ACTIVE_LINK = re.compile(r'<a href="(?P<href>[^"]+)"[^>]*\bclass="[^"]*\bactive\b[^"]*"[^>]*>')


def active_tabs(response) -> list[str]:
    """The addresses of the sidebar's highlighted links (Unfold marks them `active`)."""
    body = response.content.decode()
    sidebar = body[body.index('id="nav-sidebar-apps"') :]
    sidebar = sidebar[: sidebar.index("</nav>")] if "</nav>" in sidebar else sidebar
    return [match["href"] for match in ACTIVE_LINK.finditer(sidebar)]


@pytest.mark.parametrize("who", ["testweb", "kam"])
@pytest.mark.parametrize(
    ("page", "tab"),
    [
        ("/", "/"),
        ("/portal/order/", "/portal/order/"),
        ("order", "/portal/order/"),
        ("/portal/order/new/", "/portal/order/"),
        ("/portal/appointment/", "appointments"),
        ("appointment", "appointments"),
        ("/portal/employee/", "/portal/employee/"),
        ("employee", "/portal/employee/"),
        ("/portal/employee/import/", "/portal/employee/"),
        ("/rapporter/", "/rapporter/"),
        ("/portal/invoice/", "/portal/invoice/"),
        ("invoice", "/portal/invoice/"),
    ],
)
def test_one_tab_is_highlighted(cast, login, who, page, tab):
    user = getattr(cast, who)
    order = Order.objects.get(number=306990)
    invoice = Invoice.objects.filter(payer=cast.tb_main).first()
    urls = {
        "order": lambda: f"/portal/order/{order.pk}/change/",
        "appointment": lambda: f"/portal/appointment/{AppointmentFactory(order=order).pk}/change/",
        "employee": lambda: f"/portal/employee/{cast.donald.pk}/change/",
        "invoice": lambda: f"/portal/invoice/{invoice.pk}/change/",
    }
    url = urls[page]() if page in urls else page
    response = login(user).get(url, follow=True)
    assert response.status_code == 200, url
    if tab == "appointments":
        tab = "/portal/appointment/" if user.is_staff else "/portal/order/"
    assert active_tabs(response) == [tab], url


@pytest.mark.parametrize("who", ["testweb", "kam"])
def test_the_admins_list_of_apps_is_built_only_where_shown(cast, login, who, monkeypatch):
    """The portal's sidebar is its own navigation: a list page does not ask every model admin
    for its permissions to build Django's list of apps (`available_apps`), which nothing on it
    shows; the admin's page of an app still lists that app's models."""
    built = []
    build = PortalAdminSite._build_app_dict

    def counted(self, request, label=None):
        built.append(label)
        return build(self, request, label)

    monkeypatch.setattr(PortalAdminSite, "_build_app_dict", counted)
    client = login(getattr(cast, who))

    assert client.get("/portal/order/").status_code == 200
    assert client.get("/").status_code == 200
    assert built == []

    response = client.get("/portal/")
    assert response.status_code == 200
    assert built == ["portal"]
    assert 'href="/portal/order/"' in response.content.decode()
