"""A question about an order, asked and answered in the portal («Meldinger»): testweb writes on
order 306990, the KA/KAM finds it on Info among the unanswered messages and answers, testweb
sees the badge and «1 ny melding» and reads the answer. Screenshots of every step in
var/screenshots/messages-*.png."""

import re

from playwright.sync_api import expect

from portal.models import Notification, Order

from .helpers import open_orders

QUESTION = "Kan helsekontrollen flyttes til Bergen-kontoret i uke 12? Vi har 14 ansatte der."
ANSWER = "Ja, det går fint. Jeg setter opp nye timer i Bergen og gir beskjed her."


def _info_tab(page):
    return page.locator("#nav-sidebar-apps").get_by_role("link", name=re.compile("Info"))


def _write(page, text):
    thread = page.locator("#meldinger")
    thread.get_by_label("Ny melding").fill(text)
    thread.get_by_role("button", name="Send melding").click()
    expect(page.locator("body")).to_contain_text("Meldingen er sendt.")
    return page.locator("#meldinger")


def test_testweb_asks_kam_answers_from_info_and_testweb_reads_the_answer(
    page, login, logout, screenshot
):
    order = Order.objects.get(number=306990)

    # testweb opens 306990 from the order list and writes a question.
    login(page, "testweb")
    results = open_orders(page)
    results.get_by_role("link", name="306990", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/$"))
    thread = page.locator("#meldinger")
    expect(thread.get_by_role("heading", name="Meldinger")).to_be_visible()
    expect(thread.get_by_test_id("order-messages-empty")).to_be_visible()
    # A health detail is refused on the field, and nothing is sent.
    thread.get_by_label("Ny melding").fill("Per har diabetes og trenger en tidlig time")
    thread.get_by_role("button", name="Send melding").click()
    expect(page.get_by_test_id("message-error")).to_contain_text("helseopplysninger")
    screenshot(page, "messages-1-testweb-refused")
    thread = _write(page, QUESTION)
    expect(thread.get_by_test_id("order-message")).to_have_count(1)
    expect(thread.get_by_test_id("order-message-text")).to_have_text(QUESTION)
    expect(thread.get_by_test_id("order-message-author")).to_have_text("TESTWEB WEB (TESTWEB)")
    screenshot(page, "messages-2-testweb-asked")
    logout(page)

    # kam finds the order on Info among the unanswered messages and answers.
    login(page, "kam")
    unanswered = page.locator("#unanswered-messages")
    expect(unanswered).to_contain_text("Ubesvarte meldinger fra kunder")
    expect(unanswered.get_by_test_id("unanswered-order")).to_have_count(1)
    expect(page.get_by_test_id("notification").filter(has_text="306990")).to_have_text(
        "Ny melding fra Testbedriften AS på bestilling 306990"
    )
    screenshot(page, "messages-3-kam-info")
    unanswered.get_by_role("link", name="306990", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/portal/order/{order.pk}/change/#meldinger$"))
    expect(page.locator("#meldinger")).to_contain_text(QUESTION)
    thread = _write(page, ANSWER)
    expect(thread.get_by_test_id("order-message")).to_have_count(2)
    screenshot(page, "messages-4-kam-answered")
    page.goto("/")
    expect(page.locator("#unanswered-messages")).to_have_count(0)
    logout(page)

    # testweb sees the badge (the answer is their only notice) and «1 ny melding», and reads
    # the answer.
    assert Notification.objects.filter(recipient__username="testweb").unread().count() == 1
    login(page, "testweb")
    expect(_info_tab(page)).to_contain_text("1")
    news = page.locator("#new-messages")
    expect(news.get_by_test_id("order-with-new-messages")).to_contain_text("1 ny melding")
    screenshot(page, "messages-5-testweb-info")
    results = open_orders(page)
    row = results.locator("tr").filter(has=page.get_by_role("link", name="306990", exact=True))
    expect(row.get_by_test_id("new-messages")).to_have_text("1 ny melding")
    screenshot(page, "messages-6-testweb-order-list")
    row.get_by_test_id("new-messages").click()
    thread = page.locator("#meldinger")
    answer = thread.get_by_test_id("order-message").last
    expect(answer).to_contain_text(ANSWER)
    expect(answer).to_contain_text("Kari Kundeansvarlig (KAM)")
    expect(answer.get_by_test_id("order-message-new")).to_have_text("ny")
    expect(thread.get_by_test_id("order-message-new")).to_have_count(1)
    screenshot(page, "messages-7-testweb-reads-the-answer")

    # Read: the list, Info and the badge say no more of it.
    open_orders(page)
    expect(page.get_by_test_id("new-messages")).to_have_count(0)
    page.goto("/")
    expect(page.locator("#new-messages")).to_have_count(0)
    expect(_info_tab(page)).not_to_contain_text("1")
    assert not Notification.objects.filter(recipient__username="testweb").unread().exists()
    screenshot(page, "messages-8-testweb-info-read")
