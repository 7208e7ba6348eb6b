"""Messages on an order («Meldinger»): who may write, what is refused, who is told, and what
stays unread until it is read.

E-mail leaves only once the transaction has committed, so the tests run the commit callbacks
(`on_commit`), and the mails land in Django's locmem outbox (`mailoutbox`).
"""

import datetime
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.services import audit_for
from portal.models import Notification, Order, OrderMessage
from portal.selectors.messages import orders_awaiting_answer, orders_with_unread_messages
from portal.services import order_message_post
from portal.services.messages import order_messages_mark_read, order_thread_link

pytestmark = pytest.mark.usefixtures("norwegian")

QUESTION = "Kan helsekontrollen flyttes til Bergen-kontoret i uke 12?"
ANSWER = "Ja, vi flytter den til Bergen. Ny tid kommer i morgen."


@pytest.fixture
def order(cast):
    """Order 306990 of Testbedriften AS (department «Testbedriften AS»), sent by testweb."""
    order = Order.objects.get(number=306990)
    order.submitted_by = cast.testweb
    order.save(update_fields=["submitted_by"])
    return order


def _told(order):
    return sorted(
        n.recipient.username
        for n in Notification.objects.filter(link=order_thread_link(order)).select_related(
            "recipient"
        )
    )


def _unread_on(user, order) -> int:
    unread = orders_with_unread_messages(user)
    assert unread is not None
    orders: list[Any] = unread.orders  # each with its `unread_messages` annotated
    return next((o.unread_messages for o in orders if o.pk == order.pk), 0)


# -- writing -----------------------------------------------------------------------------------


def test_a_customer_writes_and_the_kam_is_told_once_without_the_text(
    cast, order, on_commit, mailoutbox
):
    """Given order 306990, when testweb writes, then the message is kept with its author and
    side, kam gets one notice and one mail with a link, and the mail does not hold the text."""
    cast.make("orderer", "hr", "finance", "bergen", "customer_service")
    with on_commit():
        message = order_message_post(order=order, actor=cast.testweb, text=f"  {QUESTION}\n")

    assert (message.text, message.author, message.from_staff) == (QUESTION, cast.testweb, False)
    assert _told(order) == ["kam"]
    notice = Notification.objects.get(recipient=cast.kam)
    assert notice.text == "Ny melding fra Testbedriften AS på bestilling 306990"
    assert notice.read_at is None
    [mail] = mailoutbox
    assert mail.to == ["kam@example.no"]
    assert mail.subject == notice.text
    assert re.search(rf"https?://\S+/portal/order/{order.pk}/change/#meldinger", mail.body)
    assert QUESTION not in mail.body
    assert "Bergen-kontoret" not in mail.body
    assert "Bergen-kontoret" not in notice.text


def test_staff_answer_tells_the_submitter_and_those_who_confirm_orders(
    cast, order, on_commit, mailoutbox
):
    """Given testweb's question, when kam answers, then testweb (the submitter, who may also
    confirm) and the orderer (who may confirm orders) are told once each, in the portal and by
    mail without the answer; HR and finance, who may not confirm, and Bergen's user, who does
    not see the order, are not."""
    cast.make("orderer", "hr", "finance", "bergen", "customer_service")
    order_message_post(order=order, actor=cast.testweb, text=QUESTION)
    Notification.objects.all().delete()

    with on_commit():
        answer = order_message_post(order=order, actor=cast.kam, text=ANSWER)

    assert answer.from_staff
    assert _told(order) == ["bestiller", "testweb"]
    assert sorted(address for mail in mailoutbox for address in mail.to) == [
        "bestiller@example.no",
        "testweb@testikkeibruk.no",
    ]
    for mail in mailoutbox:
        assert mail.subject == "Ny melding på bestilling 306990"
        assert ANSWER not in mail.body
        assert "Bergen" not in mail.body


def test_customer_service_is_told_when_the_customer_has_no_kam(cast, order, on_commit):
    cast.make("customer_service")
    cast.testbedriften.account_manager = None
    cast.testbedriften.save(update_fields=["account_manager"])

    with on_commit():
        order_message_post(order=order, actor=cast.testweb, text=QUESTION)

    assert _told(order) == ["kundeservice"]


def test_the_message_is_in_the_audit_trail_without_its_text(cast, order):
    message = order_message_post(order=order, actor=cast.testweb, text=QUESTION)

    [event] = audit_for(message)
    assert event.actor == cast.testweb
    assert event.object_repr == "Melding på bestilling 306990"
    assert QUESTION not in str(event.changes)


# -- refused -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Gjelder 01010012356, kan han komme?", "fødselsnummer"),
        ("Hun har diabetes og trenger en tidlig time", "helseopplysninger («diabetes»)"),
        ("   ", "Skriv en melding."),
        ("x" * 2001, "høyst 2000 tegn"),
        ("Hei\x1b[31m", "kontrolltegn"),
    ],
    ids=["national id", "health word", "empty", "too long", "control character"],
)
def test_a_message_that_must_not_be_kept_is_refused_on_its_field(cast, order, text, reason):
    """Given a message with a national id, a health word, nothing, too much or a control
    character, then it is refused under `text` with the reason, and nothing is kept or told."""
    with pytest.raises(ValidationError) as refused:
        order_message_post(order=order, actor=cast.testweb, text=text)

    [said] = refused.value.message_dict["text"]
    assert reason in said
    assert not OrderMessage.objects.exists()
    assert not Notification.objects.filter(link=order_thread_link(order)).exists()


@pytest.mark.parametrize("member", ["annen", "bergen", "no_grant", "inactive"])
def test_who_may_not_see_the_order_may_not_write_on_it(cast, order, member):
    """Another customer's user, the Bergen TEST user (another department), a user without
    access and an inactive one are refused, and nothing is kept."""
    with pytest.raises(PermissionDenied):
        order_message_post(order=order, actor=getattr(cast, member), text=QUESTION)

    assert not OrderMessage.objects.exists()


@pytest.mark.parametrize("member", ["testweb", "orderer", "hr", "finance", "kam", "superuser"])
def test_whoever_sees_the_order_may_write_on_it(cast, order, member):
    order_message_post(order=order, actor=getattr(cast, member), text=QUESTION)

    assert OrderMessage.objects.filter(order=order).count() == 1


# -- unread, read, answered --------------------------------------------------------------------


def test_unread_counts_fall_when_the_thread_is_read(cast, order):
    """Given two answers from kam, testweb has two unread messages on the order (and two
    unread notices); once they read the thread, none (and their notices are read)."""
    order_message_post(order=order, actor=cast.testweb, text=QUESTION)
    order_message_post(order=order, actor=cast.kam, text=ANSWER)
    last = order_message_post(order=order, actor=cast.kam, text="Og en ting til: ta med ID.")

    assert _unread_on(cast.testweb, order) == 2
    assert _unread_on(cast.kam, order) == 0  # kam wrote after testweb: read up to there
    assert Notification.objects.filter(recipient=cast.testweb).unread().count() == 2

    order_messages_mark_read(order=order, user=cast.testweb, up_to=last.pk)

    assert _unread_on(cast.testweb, order) == 0
    assert orders_with_unread_messages(cast.testweb).count == 0
    assert Notification.objects.filter(recipient=cast.testweb).unread().count() == 0


def test_the_read_marker_never_moves_back(cast, order):
    first = order_message_post(order=order, actor=cast.kam, text=ANSWER)
    second = order_message_post(order=order, actor=cast.kam, text="Og en ting til.")

    order_messages_mark_read(order=order, user=cast.testweb, up_to=second.pk)
    order_messages_mark_read(order=order, user=cast.testweb, up_to=first.pk)

    assert _unread_on(cast.testweb, order) == 0


def test_staff_see_the_unanswered_orders_the_one_waiting_longest_first(cast, order, frozen_clock):
    """Given questions on 306990 and then on 290467, and an answered one on 204334, then staff's
    Info lists 306990 before 290467, and not 204334; an answer takes 306990 off."""
    later = Order.objects.get(number=290467)
    answered = Order.objects.get(number=204334)
    order_message_post(order=answered, actor=cast.testweb, text=QUESTION)
    order_message_post(order=order, actor=cast.testweb, text=QUESTION)
    frozen_clock.shift(datetime.timedelta(hours=1))
    order_message_post(order=later, actor=cast.testweb, text=QUESTION)
    order_message_post(order=answered, actor=cast.kam, text=ANSWER)

    waiting = orders_awaiting_answer(cast.kam)
    assert [o.number for o in waiting.orders] == [306990, 290467]
    assert waiting.count == 2

    order_message_post(order=order, actor=cast.kam, text=ANSWER)

    assert [o.number for o in orders_awaiting_answer(cast.kam).orders] == [290467]
    assert orders_awaiting_answer(cast.testweb) is None
