"""testweb, the administrator of Testbedriften AS, gives a colleague access: «Brukere og
tilganger», «Inviter kollega» with the HR role on Bergen TEST; the colleague accepts from the
mail, chooses a password, logs in and sees Bergen TEST only. Then testweb revokes it."""

import re

from playwright.sync_api import expect

from portal.models import Employee

from .day import DESKTOP, PHONE
from .helpers import AXE_JS, assert_accessible

COLLEAGUE = "kari.kollega@testikkeibruk.no"
PASSWORD = "Et langt passord 42"


def _shots(page, screenshot, name):
    """The page at a desktop's and a phone's width, each checked by axe-core where it is
    installed (CI installs it)."""
    viewport = page.viewport_size
    for width in (DESKTOP, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        if AXE_JS.is_file():
            assert_accessible(page, where=f"{name} ({width} px)")
    if viewport:
        page.set_viewport_size(viewport)


def test_testweb_invites_an_hr_colleague_on_bergen_test(
    page, chromium, live_server, login, logout, screenshot, mailoutbox
):
    bergen = {e.full_name for e in Employee.objects.filter(department__name="Bergen TEST")}
    main = {e.full_name for e in Employee.objects.filter(department__name="Testbedriften AS")}
    hidden = sorted(main - bergen)
    assert hidden

    # testweb opens «Brukere og tilganger» from the sidebar
    login(page, "testweb")
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Brukere og tilganger").click()
    expect(page).to_have_url(re.compile(r"/tilganger/$"))
    expect(page.locator("h1, h2").filter(has_text="Hvem har tilgang")).to_have_count(1)
    expect(page.get_by_test_id("colleague-row").filter(has_text="TESTWEB")).to_contain_text(
        "Administrator"
    )
    _shots(page, screenshot, "colleagues-1-users-and-access")

    # «Inviter kollega»: name, e-mail, HR, Bergen TEST only
    page.get_by_role("link", name="Inviter kollega").click()
    expect(page).to_have_url(re.compile(r"/tilganger/inviter/$"))
    page.get_by_label("Fornavn").fill("Kari")
    page.get_by_label("Etternavn").fill("Kollega")
    page.get_by_label("E-post").fill(COLLEAGUE)
    page.get_by_label("Rolle").select_option("hr")
    page.get_by_label("Bergen TEST").check()
    _shots(page, screenshot, "colleagues-2-invite")
    page.get_by_role("button", name="Send invitasjon").click()

    expect(page).to_have_url(re.compile(r"/tilganger/$"))
    expect(page.locator("body")).to_contain_text(f"{COLLEAGUE} er invitert")
    row = page.get_by_test_id("colleague-row").filter(has_text="Kari Kollega")
    expect(row).to_contain_text("HR")
    expect(row).to_contain_text("Bergen TEST")
    expect(page.get_by_test_id("changelog-row").first).to_contain_text("Tilgang gitt")
    _shots(page, screenshot, "colleagues-3-invited")
    logout(page)

    # the colleague follows the link in the mail and chooses a password
    (mail,) = [m for m in mailoutbox if m.to == [COLLEAGUE]]
    link = re.search(r"https?://[^/\s]+(/invitasjon/\S+/)", mail.body)
    assert link, mail.body
    page.goto(link.group(1))
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    page.locator("form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("body")).to_contain_text("Passordet ditt er lagret")

    # and sees Bergen TEST only
    login(page, COLLEAGUE, PASSWORD)
    sidebar = page.locator("#nav-sidebar-apps")
    expect(sidebar.get_by_role("link", name="Brukere og tilganger")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="Fakturaer")).to_have_count(0)
    sidebar.get_by_role("link", name="Ansatte").click()
    expect(page).to_have_url(re.compile(r"/portal/employee/$"))
    results = page.locator("#result_list")
    expect(results).to_contain_text("Bergen TEST")
    for name in hidden:
        expect(results).not_to_contain_text(name)
    department_cells = page.locator("#result_list tbody td.field-employer")
    for text in department_cells.all_inner_texts():
        assert text.strip() == "Bergen TEST"
    _shots(page, screenshot, "colleagues-4-colleague-sees-bergen")
    logout(page)

    # testweb revokes the access: asked first, then the colleague is gone from the list
    login(page, "testweb")
    page.goto("/tilganger/")
    row = page.get_by_test_id("colleague-row").filter(has_text="Kari Kollega")
    row.get_by_role("link", name=re.compile("^Fjern tilgang")).click()
    expect(page.locator("body")).to_contain_text("blir logget ut med en gang")
    _shots(page, screenshot, "colleagues-5-revoke")
    page.get_by_role("button", name="Fjern tilgang").click()
    expect(page).to_have_url(re.compile(r"/tilganger/$"))
    expect(page.get_by_test_id("colleague-row").filter(has_text="Kari Kollega")).to_have_count(0)
    expect(page.get_by_test_id("changelog-row").first).to_contain_text("Tilgang fjernet")
