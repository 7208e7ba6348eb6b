# ruff: noqa: E501 -- the matrices are wide tables on purpose: one row per URL, one column per user.
"""Who reads and who writes an order's messages («Meldinger»), over the fixed cast: exactly
those who may see the order. The Bergen TEST user does not see the thread of an order of
Testbedriften's other department; a POST to another customer's order answers as one to an order
that does not exist, and writes nothing. Only staff turn an enquiry («Forespørsel») into an
order. The expected answers are written out here."""

import pytest

from portal.models import OrderMessage
from portal.models.orders import OrderStatus
from portal.services import order_enquire, order_message_post

from .helpers import CAST, CUSTOMER_USERS, DENY, GONE, LOGIN, OK, assert_matrix, outcome

THREAD = "thread"  # 302 to the order's page, at «Meldinger»

# fmt: off
#  columns:                                          superuser staff   cust.adm orderer hr      finance bergen  other   no_grant inactive anonymous
GET_MATRIX = [
    ("/portal/order/{w.tb_order.pk}/messages/",      (THREAD,   THREAD, THREAD,  THREAD, THREAD, THREAD, GONE,   GONE,   LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.bergen_order.pk}/messages/",  (THREAD,   THREAD, THREAD,  THREAD, THREAD, THREAD, THREAD, GONE,   LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.ek_order.pk}/messages/",      (THREAD,   THREAD, GONE,    GONE,   GONE,   GONE,   GONE,   THREAD, LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/messages/",               (GONE,     GONE,   GONE,    GONE,   GONE,   GONE,   GONE,   GONE,   LOGIN,   LOGIN,   LOGIN)),
]

# Who reads the thread on the order's page, and whose POST writes in it.
#  columns:        superuser staff  cust.adm orderer hr     finance bergen other  no_grant inactive anonymous
READ_AND_WRITE = {
    "tb_order":     (True,    True,  True,    True,   True,  True,   False, False, False,   False,   False),
    "bergen_order": (True,    True,  True,    True,   True,  True,   True,  False, False,   False,   False),
    "ek_order":     (True,    True,  False,   False,  False, False,  False, True,  False,   False,   False),
}
# fmt: on

SECRET = "Hemmelig tråd på {number}"


def _thread_answer(response):
    if response.status_code == 302 and response["Location"].endswith("/change/#meldinger"):
        return THREAD
    return outcome(response)


@pytest.fixture
def threads(world, cast):
    """A message by the superuser on each of the three orders, its text naming the order."""
    for name in READ_AND_WRITE:
        order = getattr(world, name)
        order_message_post(
            order=order, actor=cast.superuser, text=SECRET.format(number=order.number)
        )
    return world


@pytest.mark.parametrize("member", CAST)
def test_the_messages_url_answers_as_the_order_does(member, cast, threads, client):
    assert_matrix(client, cast, member, GET_MATRIX, world=threads, answer=_thread_answer)


@pytest.mark.parametrize("member", CAST)
def test_the_thread_is_read_by_exactly_those_who_see_the_order(member, cast, threads, client):
    """Given a message on each order, when `member` opens each order's page, then the message
    is on it exactly where the table says (elsewhere the page is not theirs at all)."""
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)
    column = CAST.index(member)

    wrong = []
    for name, row in READ_AND_WRITE.items():
        order = getattr(threads, name)
        response = client.get(f"/portal/order/{order.pk}/change/")
        seen = SECRET.format(number=order.number) in response.content.decode()
        if seen != row[column]:
            wrong.append(f"{name}: expected {row[column]}, got {seen} ({outcome(response)})")

    assert not wrong, f"{member}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("member", CAST)
def test_a_message_is_written_by_exactly_those_who_see_the_order(member, cast, world, client):
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)
    column = CAST.index(member)

    wrong = []
    for name, row in READ_AND_WRITE.items():
        order = getattr(world, name)
        text = f"Spørsmål fra {member} om {order.number}"
        client.post(f"/portal/order/{order.pk}/messages/", {"text": text})
        written = OrderMessage.objects.filter(order=order, text=text).exists()
        if written != row[column]:
            wrong.append(f"{name}: expected {row[column]}, got {written}")

    assert not wrong, f"{member}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("member", CUSTOMER_USERS)
def test_a_post_to_an_order_not_theirs_answers_like_a_missing_order(member, cast, world, client):
    """Given a customer user, when they POST a message to an order they may not see (another
    customer's; for the Bergen TEST user also Testbedriften AS's), then the answer (status,
    redirect, message) is that of an order that does not exist, and nothing is written."""
    client.force_login(getattr(cast, member))
    others = [world.tb_order, world.bergen_order] if member == "annen" else [world.ek_order]
    if member == "bergen":
        others.append(world.tb_order)

    def answer(url):
        response = client.post(url, {"text": "Forfalsket melding"})
        followed = client.get(response["Location"]) if response.status_code == 302 else None
        said = [str(m) for m in followed.context["messages"]] if followed else []
        return response.status_code, response.get("Location"), said

    missing = answer("/portal/order/999999/messages/")
    for order in others:
        assert answer(f"/portal/order/{order.pk}/messages/") == missing, order.number
    assert missing[:2] == (302, "/")
    assert not OrderMessage.objects.exists()


# «Gjør om til bestilling» (a dialog; a GET only shows it): the provider's staff only.
# fmt: off
#  columns:                                              superuser staff cust.adm orderer hr    finance bergen other no_grant inactive anonymous
ENQUIRY_MATRIX = [
    ("/portal/order/{enquiry.pk}/accept-enquiry/",       (OK,      OK,   DENY,    DENY,   DENY, DENY,   DENY,  DENY, LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/{w.tb_order.pk}/accept-enquiry/",    (DENY,    DENY, DENY,    DENY,   DENY, DENY,   DENY,  DENY, LOGIN,   LOGIN,   LOGIN)),
    ("/portal/order/999999/accept-enquiry/",             (DENY,    DENY, DENY,    DENY,   DENY, DENY,   DENY,  DENY, LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_only_staff_turn_an_enquiry_into_an_order(member, cast, world, client):
    enquiry = order_enquire(actor=cast.testweb, department=cast.tb_main, text="Kurs i ergonomi?")
    assert_matrix(client, cast, member, ENQUIRY_MATRIX, world=world, fill={"enquiry": enquiry})


def test_a_customers_post_to_make_an_enquiry_an_order_changes_nothing(cast, world, client):
    enquiry = order_enquire(actor=cast.testweb, department=cast.tb_main, text="Kurs i ergonomi?")
    client.force_login(cast.testweb)

    response = client.post(f"/portal/order/{enquiry.pk}/accept-enquiry/", {"_form_submitted": "on"})

    assert response.status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.status == OrderStatus.ENQUIRY
