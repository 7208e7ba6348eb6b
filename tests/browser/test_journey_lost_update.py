"""Two people have Donald Duck open: testweb saves a new mobile number, then kam a new last
name. kam is told what changed, sees testweb's number in the form beside the new last name,
and saves again: both stay. Screenshots in var/screenshots/lost-update-*.png."""

import re

from playwright.sync_api import expect

from portal.models import Employee

from .conftest import TIMEOUT_MS


def _second_browser(chromium, live_server, login, username):
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1400, "height": 900},
        locale="nb-NO",
        timezone_id="Europe/Oslo",
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, login(context.new_page(), username)


def test_the_second_save_is_refused_and_saved_again_keeps_both(
    page, chromium, live_server, login, screenshot
):
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    url = f"/portal/employee/{donald.pk}/change/"
    login(page, "testweb")
    context, other = _second_browser(chromium, live_server, login, "kam")
    try:
        page.goto(f"{url}?edit=1")  # testweb's form, after «Rediger»
        other.goto(url)  # staff get the form at once

        page.get_by_label("Mobilnummer").fill("912 34 567")
        page.get_by_role("button", name="Lagre", exact=True).click()
        expect(page.get_by_text("Ansatt Donald Duck er lagret.")).to_be_visible()
        expect(page.get_by_text("912 34 567")).to_be_visible()

        other.get_by_label("Etternavn").fill("Duck-Andersen")
        other.get_by_role("button", name="Lagre og fortsett å redigere").click()

        expect(other.get_by_text(re.compile(r"De endret: Mobilnummer\."))).to_be_visible()
        expect(other.get_by_text("nå står det: 912 34 567")).to_be_visible()
        expect(other.get_by_label("Mobilnummer")).to_have_value("91234567")
        expect(other.get_by_label("Etternavn")).to_have_value("Duck-Andersen")
        screenshot(other, "lost-update-01-refused")
        donald.refresh_from_db()
        assert (donald.mobile, donald.last_name) == ("91234567", "Duck")

        other.get_by_role("button", name="Lagre og fortsett å redigere").click()
        expect(other.get_by_text("Ansatt Donald Duck-Andersen er lagret.")).to_be_visible()
        screenshot(other, "lost-update-02-saved-again")
        donald.refresh_from_db()
        assert (donald.mobile, donald.last_name) == ("91234567", "Duck-Andersen")
    finally:
        context.close()
