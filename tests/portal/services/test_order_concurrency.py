"""Two people press «Bekreft bestilling» at the same moment: one transition, one event.

Only PostgreSQL shows it: two threads, each on its own connection, meet at a barrier and call
the service together. SQLite serialises every writer, so there the test is skipped.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.models import Order
from portal.models.orders import OrderStatus
from portal.services import order_confirm_as_customer

ROUNDS = 5


def _confirm_together(order_pk, actors) -> list:
    """Every actor calls the service at once, on a fresh connection; their outcomes."""
    barrier = threading.Barrier(len(actors))
    outcomes = [None] * len(actors)

    def press(index, actor):
        try:
            order = Order.objects.get(pk=order_pk)
            barrier.wait(timeout=10)
            order_confirm_as_customer(order=order, actor=actor)
            outcomes[index] = "confirmed"
        except Exception as error:  # every outcome is kept and judged by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(index, actor)) for index, actor in enumerate(actors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a confirmation hung"
    return outcomes


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_yield_one_transition(cast, make_order):
    """Given an order awaiting the customer, when testweb and the orderer confirm it at the
    same moment, then one of them succeeds, the other is told it is approved already, and
    the history holds exactly one approval."""
    for _round in range(ROUNDS):
        order = make_order(OrderStatus.AWAITING_CUSTOMER)

        outcomes = _confirm_together(order.pk, [cast.testweb, cast.orderer])

        assert outcomes.count("confirmed") == 1, outcomes
        [refusal] = [o for o in outcomes if o != "confirmed"]
        assert isinstance(refusal, ValidationError), repr(refusal)
        order.refresh_from_db()
        assert order.status == OrderStatus.APPROVED
        assert order.customer_confirmed_by in (cast.testweb, cast.orderer)
        approvals = order.events.filter(
            from_value=OrderStatus.AWAITING_CUSTOMER, to_value=OrderStatus.APPROVED
        )
        assert approvals.count() == 1
        assert approvals.get().actor == order.customer_confirmed_by
