"""Links in mails: PORTAL_BASE_URL in production; in development, the address the portal was
opened on, whatever its port."""

import pytest
from django.test import override_settings

from portal.links import absolute_url
from portal.models import Order
from tests.portal.admin.helpers import ADD_URL, new_order_data

pytestmark = pytest.mark.usefixtures("norwegian")

PRODUCTION_URL = "https://kundeportal.example.no"


def _send_order(cast, login, on_commit, **headers):
    client = login(cast.testweb)
    with on_commit():
        response = client.post(ADD_URL, new_order_data(cast), **headers)
    assert response.status_code == 302
    return Order.objects.get(description="Helsekontroll for lageret")


@override_settings(PORTAL_LINKS_FROM_REQUEST=True, PORTAL_BASE_URL="http://127.0.0.1:8000")
def test_in_development_the_links_follow_the_address_the_request_came_in_on(
    cast, login, on_commit, mailoutbox
):
    # given the portal served on another port than PORTAL_BASE_URL's
    # when testweb sends an order from it
    order = _send_order(cast, login, on_commit, HTTP_HOST="localhost:8123")

    # then both the KA/KAM's notice and testweb's receipt link to that address
    link = f"http://localhost:8123/portal/order/{order.pk}/change/"
    assert [m.to[0] for m in mailoutbox] == ["kam@example.no", "testweb@testikkeibruk.no"]
    assert all(link in m.body for m in mailoutbox)
    assert "127.0.0.1:8000" not in "".join(m.body for m in mailoutbox)


@override_settings(PORTAL_LINKS_FROM_REQUEST=True, PORTAL_BASE_URL=PRODUCTION_URL)
def test_after_the_request_links_fall_back_to_portal_base_url(cast, login, on_commit):
    _send_order(cast, login, on_commit, HTTP_HOST="localhost:8123")

    assert absolute_url("/portal/") == f"{PRODUCTION_URL}/portal/"


@override_settings(PORTAL_LINKS_FROM_REQUEST=False, PORTAL_BASE_URL=PRODUCTION_URL)
def test_in_production_the_links_use_portal_base_url_whatever_the_request(
    cast, login, on_commit, mailoutbox
):
    order = _send_order(cast, login, on_commit, HTTP_HOST="localhost:8123")

    link = f"{PRODUCTION_URL}/portal/order/{order.pk}/change/"
    assert len(mailoutbox) == 2
    assert all(link in m.body for m in mailoutbox)
    assert "localhost" not in "".join(m.body for m in mailoutbox)
