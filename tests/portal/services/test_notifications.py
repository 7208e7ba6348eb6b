"""Who is told what, in the portal and by e-mail, as an order moves on.

E-mail leaves only once the transaction has committed (`transaction.on_commit`), so the tests
run the commit callbacks with `django_capture_on_commit_callbacks(execute=True)`.
"""

import logging
import re
from smtplib import SMTPException

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings

from background.models import MailStatus, OutgoingMail
from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
from portal.models import Notification, Order
from portal.models.orders import OrderStatus
from portal.services import order_confirm_as_customer, order_confirm_as_seller, order_submit
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("norwegian")

# The people of the order workflow besides the demo's: who may and who may not be told.
EVERYONE_OF_THE_ORDERS = ("orderer", "hr", "finance", "bergen", "customer_service")

MAIL_LOGGER = "background.mail"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("421 mail.example.no: service not available")


def _submit(cast, actor=None, **fields):
    fields.setdefault("department", cast.tb_main)
    fields.setdefault("contract", cast.tb_contract)
    fields.setdefault("product_group", cast.product_group)
    fields.setdefault("description", "Helsekontroll for lageret")
    return order_submit(actor=actor or cast.testweb, **fields)


def _absolute_link(order) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + order.get_absolute_url()


def _told(order=None):
    """Who holds a notification (about `order`, when given)."""
    notifications = Notification.objects.all()
    if order is not None:
        notifications = notifications.filter(link=order.get_absolute_url())
    return sorted(n.recipient.username for n in notifications.select_related("recipient"))


def _mailed():
    return sorted(address for message in mail.outbox for address in message.to)


def _mail_to(address):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


# The customer user who sends an order gets a receipt (tests/portal/services/test_order_mails.py).
TESTWEB_RECEIPT = "testweb@testikkeibruk.no"


# -- a new order: the KA/KAM --------------------------------------------------------------


def test_a_new_order_tells_the_kam_once_in_the_portal_and_once_by_mail(
    cast, client, django_capture_on_commit_callbacks
):
    """Given Testbedriften AS with the KA/KAM kam, when testweb sends an order, then kam has
    one unread notification linking to the order and one e-mail with a working link (and
    testweb their receipt)."""
    cast.make(*EVERYONE_OF_THE_ORDERS)
    with django_capture_on_commit_callbacks(execute=True):
        order = _submit(cast)

    assert _told() == ["kam"]
    notification = Notification.objects.get(recipient=cast.kam)
    assert notification.link == order.get_absolute_url()
    assert notification.text == f"Ny bestilling {order.number} fra Testbedriften AS"
    assert notification.read_at is None

    assert _mailed() == ["kam@example.no", TESTWEB_RECEIPT]
    message = _mail_to("kam@example.no")
    assert message.subject == f"Ny bestilling {order.number} fra Testbedriften AS"
    assert _absolute_link(order) in message.body
    assert "Helsekontroll for lageret" in message.body

    # The link in the mail opens the order for the KA/KAM.
    [url] = re.findall(r"https?://\S+", message.body)
    assert url == _absolute_link(order)
    client.force_login(cast.kam)
    response = client.get(url.removeprefix(settings.PORTAL_BASE_URL.rstrip("/")))
    assert response.status_code == 200
    assert str(order.number) in response.content.decode()


def test_each_order_is_told_once(cast, django_capture_on_commit_callbacks):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    with django_capture_on_commit_callbacks(execute=True):
        first = _submit(cast)
        second = _submit(cast, actor=cast.orderer)

    assert _told(first) == _told(second) == ["kam"]
    assert _mailed() == [
        "bestiller@example.no",
        "kam@example.no",
        "kam@example.no",
        TESTWEB_RECEIPT,
    ]
    assert {m.subject for m in mail.outbox if m.to == ["kam@example.no"]} == {
        f"Ny bestilling {first.number} fra Testbedriften AS",
        f"Ny bestilling {second.number} fra Testbedriften AS",
    }


@pytest.mark.parametrize("kam_situation", ["no_account_manager", "account_manager_inactive"])
def test_without_an_active_kam_customer_service_is_told(
    cast, kam_situation, django_capture_on_commit_callbacks
):
    """Given a customer with no (active) KA/KAM, when an order is sent, then every active
    member of "Kundeservice" is told, in the portal and by mail — and nobody else."""
    cast.make(*EVERYONE_OF_THE_ORDERS)
    if kam_situation == "no_account_manager":
        cast.testbedriften.account_manager = None
        cast.testbedriften.save(update_fields=["account_manager"])
    else:
        cast.kam.is_active = False
        cast.kam.save(update_fields=["is_active"])
    group = Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE)
    colleague = StaffFactory(username="kundeservice2", email="ks2@example.no")
    colleague.groups.add(group)
    retired = StaffFactory(username="pensjonert", is_active=False)
    retired.groups.add(group)

    with django_capture_on_commit_callbacks(execute=True):
        order = _submit(cast)

    assert _told(order) == ["kundeservice", "kundeservice2"]
    assert _mailed() == ["ks2@example.no", "kundeservice@example.no", TESTWEB_RECEIPT]
    assert all(_absolute_link(order) in m.body for m in mail.outbox)


def test_a_failing_mail_server_loses_no_order_and_is_logged(
    cast, caplog, django_capture_on_commit_callbacks
):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    with (
        override_settings(EMAIL_BACKEND=f"{__name__}.FailingEmailBackend"),
        caplog.at_level(logging.WARNING, logger=MAIL_LOGGER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        order = _submit(cast)

    saved = Order.objects.get(pk=order.pk)
    assert saved.status == OrderStatus.AWAITING_SELLER
    assert saved.events.count() == 1
    assert _told(order) == ["kam"]  # the portal's notification stands
    assert mail.outbox == []
    # every try is logged, and the mail ends failed with the server's answer for staff to see
    tries = [r for r in caplog.records if r.name == MAIL_LOGGER]
    assert len(tries) == 2 * settings.MAIL_MAX_ATTEMPTS  # kam's notice and testweb's receipt
    assert all("SMTPException" in r.getMessage() for r in tries)
    failed = OutgoingMail.objects.get(to=["kam@example.no"])
    assert failed.status == MailStatus.FAILED
    assert str(order.number) in failed.subject
    assert failed.last_error == "SMTPException: 421 mail.example.no: service not available"


# -- no mail before commit ----------------------------------------------------------------


def test_no_mail_leaves_before_the_transaction_commits(cast, django_capture_on_commit_callbacks):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    with django_capture_on_commit_callbacks() as callbacks:
        order = _submit(cast)

    assert mail.outbox == []
    assert len(callbacks) == 2  # kam's notice and testweb's receipt
    for callback in callbacks:
        callback()
    assert _mailed() == ["kam@example.no", TESTWEB_RECEIPT]
    assert _absolute_link(order) in _mail_to("kam@example.no").body


@pytest.mark.django_db(transaction=True)
def test_an_order_rolled_back_sends_no_mail_and_a_committed_one_does(cast):
    """With real commits: a surrounding transaction that fails takes the order, its
    notification and its mail with it; one that commits sends the mail then, not earlier."""
    cast.make(*EVERYONE_OF_THE_ORDERS)
    orders_before = Order.objects.count()

    def request_failing_after_the_order():
        with transaction.atomic():
            _submit(cast)
            raise RuntimeError("something later in the same request failed")

    with pytest.raises(RuntimeError, match="something later in the same request failed"):
        request_failing_after_the_order()

    assert Order.objects.count() == orders_before
    assert Notification.objects.count() == 0
    assert mail.outbox == []

    with transaction.atomic():
        order = _submit(cast)
        assert mail.outbox == []

    assert _mailed() == ["kam@example.no", TESTWEB_RECEIPT]
    assert _absolute_link(order) in _mail_to("kam@example.no").body


# -- the seller's confirmation: the customer's approvers ----------------------------------


def test_the_sellers_confirmation_tells_the_customer_users_who_may_confirm(
    cast, make_order, django_capture_on_commit_callbacks
):
    """Given an order of "Testbedriften AS", when kam confirms it as seller, then testweb and
    the orderer (confirm orders on that department) are told — not hr, finance, the Bergen
    administrator, the other customer's user, nor kam."""
    cast.make(*EVERYONE_OF_THE_ORDERS)
    order = make_order(OrderStatus.AWAITING_SELLER)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_seller(order=order, actor=cast.kam)

    assert _told(order) == ["bestiller", "testweb"]
    notification = Notification.objects.get(recipient=cast.testweb)
    assert notification.text == f"Bestilling {order.number} venter på din godkjenning"
    assert _mailed() == ["bestiller@example.no", "testweb@testikkeibruk.no"]
    assert all(_absolute_link(order) in m.body for m in mail.outbox)
    assert all(m.subject == notification.text for m in mail.outbox)


def test_an_inactive_approver_is_not_told(cast, make_order, django_capture_on_commit_callbacks):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    cast.orderer.is_active = False
    cast.orderer.save(update_fields=["is_active"])
    order = make_order(OrderStatus.AWAITING_SELLER)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_seller(order=order, actor=cast.kam)

    assert _told(order) == ["testweb"]
    assert _mailed() == ["testweb@testikkeibruk.no"]


def test_the_sellers_confirmation_of_a_bergen_order_tells_bergens_approvers(
    cast, make_order, django_capture_on_commit_callbacks
):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    order = make_order(OrderStatus.AWAITING_SELLER, department=cast.tb_bergen)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_seller(order=order, actor=cast.kam)

    assert _told(order) == ["bergen", "bestiller", "testweb"]


# -- the customer's confirmation: the KA/KAM ----------------------------------------------


def test_the_customers_confirmation_tells_the_kam(
    cast, make_order, django_capture_on_commit_callbacks
):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_customer(order=order, actor=cast.testweb)

    assert _told(order) == ["kam"]
    notification = Notification.objects.get(recipient=cast.kam)
    assert notification.text == f"Testbedriften AS har bekreftet bestilling {order.number}"
    assert _mailed() == ["kam@example.no"]
    assert mail.outbox[0].subject == notification.text
    assert _absolute_link(order) in mail.outbox[0].body


def test_the_kam_confirming_on_the_customers_behalf_is_not_told_of_it(
    cast, make_order, django_capture_on_commit_callbacks
):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    order = make_order(OrderStatus.AWAITING_CUSTOMER)

    with django_capture_on_commit_callbacks(execute=True):
        order_confirm_as_customer(order=order, actor=cast.kam)

    assert _told(order) == []
    assert mail.outbox == []


def test_a_refused_step_tells_nobody(cast, make_order, django_capture_on_commit_callbacks):
    cast.make(*EVERYONE_OF_THE_ORDERS)
    order = make_order(OrderStatus.AWAITING_SELLER)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        order_confirm_as_customer(order=order, actor=cast.testweb)

    assert _told(order) == []
    assert mail.outbox == []
