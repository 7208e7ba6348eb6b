"""The mails of a new order as their readers see them: testweb's receipt, the KA/KAM's notice
that names who ordered, and a Reply-To on every mail to a customer that reaches their KA/KAM
(or customer service)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings

from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
from portal.models.orders import OrderStatus
from portal.services import order_confirm_as_seller, order_submit
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("norwegian")

TESTWEB_MAIL = "testweb@testikkeibruk.no"
KAM_MAIL = "kam@example.no"
DESCRIPTION = "Helsekontroll for lageret, uke 12"
NATIONAL_ID_LIKE = re.compile(r"\d{11}")
# (outside a request links use PORTAL_BASE_URL: tests/portal/test_links.py)
BASE_URL = settings.PORTAL_BASE_URL.rstrip("/")


@pytest.fixture
def submitted(cast, on_commit, mailoutbox):
    """testweb (TESTWEB WEB, Administrator of Testbedriften AS) sends an order; its mails,
    by recipient."""
    with on_commit():
        order = order_submit(
            actor=cast.testweb,
            department=cast.tb_main,
            contract=cast.tb_contract,
            product_group=cast.product_group,
            description=DESCRIPTION,
        )
    mails = {message.to[0]: message for message in mailoutbox}
    assert sorted(mails) == [KAM_MAIL, TESTWEB_MAIL]
    assert len(mailoutbox) == 2
    return order, mails


def test_the_orderer_gets_a_receipt_with_the_number_and_what_happens_next(submitted):
    order, mails = submitted
    receipt = mails[TESTWEB_MAIL]

    assert receipt.subject == f"Vi har mottatt bestilling {order.number}"
    body = receipt.body
    assert "Hei TESTWEB," in body
    assert f"bestilling nummer {order.number} for Testbedriften AS" in body
    assert DESCRIPTION in body
    assert "Helsekontroll (HK)" in body
    # what happens next, in the seed's words for the statuses
    assert "«Venter på selgers godkjenning»" in body
    assert "«Venter på kundens godkjenning»" in body
    assert "«Bekreft bestilling»" in body
    assert "«Godkjent»" in body
    assert "«Levert»" in body
    assert "din kundeansvarlige (KA/KAM) Kari Kundeansvarlig har fått beskjed" in body
    assert f"{BASE_URL}/portal/order/{order.pk}/change/" in body
    assert not NATIONAL_ID_LIKE.search(body)


def test_the_receipt_replies_to_the_customers_kam(submitted):
    _order, mails = submitted

    assert mails[TESTWEB_MAIL].reply_to == [KAM_MAIL]


def test_the_kams_notice_names_who_ordered_for_which_department_and_what(submitted):
    order, mails = submitted
    notice = mails[KAM_MAIL]

    assert notice.subject == f"Ny bestilling {order.number} fra Testbedriften AS"
    body = notice.body
    assert f"Ny bestilling {order.number} fra Testbedriften AS, sendt inn av TESTWEB WEB." in body
    assert f"Sendt inn av: TESTWEB WEB <{TESTWEB_MAIL}>" in body
    # the customer is named after the department only where its name is another
    assert "Bedrift/avdeling: Testbedriften AS\n" in body
    assert "(Testbedriften AS)" not in body
    assert f"Bestillingsbeskrivelse: {DESCRIPTION}" in body
    assert f"{BASE_URL}/portal/order/{order.pk}/change/" in body
    # the KA/KAM answers the orderer by replying
    assert notice.reply_to == [TESTWEB_MAIL]
    assert "Svar på denne e-posten for å svare TESTWEB WEB." in body


def test_the_notice_names_the_department_the_order_is_for(cast, on_commit, mailoutbox):
    with on_commit():
        order_submit(actor=cast.bergen, department=cast.tb_bergen, description="Vaksiner")

    [notice] = [m for m in mailoutbox if m.to == [KAM_MAIL]]
    assert "Bedrift/avdeling: Bergen TEST (Testbedriften AS)" in notice.body
    assert "Bestillingsbeskrivelse: Vaksiner" in notice.body


def test_staff_placing_an_order_get_no_receipt(cast, on_commit, mailoutbox):
    """kam orders for the customer: kam is told as KA/KAM, nobody gets a receipt, and the
    notice has no Reply-To (there is no customer to answer)."""
    with on_commit():
        order_submit(actor=cast.kam, department=cast.tb_main, description="Førstehjelpskurs")

    assert [m.to for m in mailoutbox] == [[KAM_MAIL]]
    assert mailoutbox[0].reply_to == []
    assert "sendt inn av Kari Kundeansvarlig" in mailoutbox[0].body


@pytest.fixture
def without_kam(cast):
    cast.testbedriften.account_manager = None
    cast.testbedriften.save(update_fields=["account_manager"])


@pytest.mark.usefixtures("without_kam")
def test_without_a_kam_the_receipt_replies_to_customer_service(cast, on_commit, mailoutbox):
    cast.make("customer_service")
    with on_commit():
        order_submit(actor=cast.testweb, department=cast.tb_main)

    [receipt] = [m for m in mailoutbox if m.to == [TESTWEB_MAIL]]
    assert receipt.reply_to == ["kundeservice@example.no"]  # PORTAL_CUSTOMER_SERVICE_EMAIL
    assert "vår kundeservice har fått beskjed" in receipt.body


@pytest.mark.usefixtures("without_kam")
@override_settings(PORTAL_CUSTOMER_SERVICE_EMAIL="")
def test_without_the_setting_replies_go_to_the_customer_service_group(cast, on_commit, mailoutbox):
    cast.make("customer_service")
    colleague = StaffFactory(username="kundeservice2", email="ks2@example.no")
    colleague.groups.add(Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE))
    with on_commit():
        order_submit(actor=cast.testweb, department=cast.tb_main)

    [receipt] = [m for m in mailoutbox if m.to == [TESTWEB_MAIL]]
    assert sorted(receipt.reply_to) == ["ks2@example.no", "kundeservice@example.no"]


def test_the_sellers_confirmation_to_the_customer_replies_to_the_kam(
    cast, make_order, on_commit, mailoutbox
):
    order = make_order(OrderStatus.AWAITING_SELLER)

    with on_commit():
        order_confirm_as_seller(order=order, actor=cast.kam)

    assert [m.to for m in mailoutbox] == [[TESTWEB_MAIL]]
    assert mailoutbox[0].reply_to == [KAM_MAIL]
