"""A webhook endpoint's page on a phone: every event fits the screen (a long choice wraps
instead of widening the page). Screenshots at desktop and phone width."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from webhooks.models import Event
from webhooks.services import webhook_endpoint_create

from .helpers import PHONE

DESKTOP = {"width": 1366, "height": 900}


def test_the_endpoints_page_fits_a_phone(page, login, screenshot, settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=get_user_model().objects.get(username="admin"),
        name="CRM",
        url="http://127.0.0.1:9/hooks",
        events=[Event.ORDER_SUBMITTED, Event.INVOICE_VIEWED],
    )
    login(page, "admin")

    for viewport, name in ((DESKTOP, "webhook-endpoint"), (PHONE, "webhook-endpoint-phone")):
        page.set_viewport_size(viewport)
        page.goto(f"/webhooks/webhookendpoint/{endpoint.pk}/change/")
        expect(
            page.get_by_label("Bestillingens status endret (order.status_changed)")
        ).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width == viewport["width"], f"{name}: the page is {width} px wide"
        screenshot(page, name)
