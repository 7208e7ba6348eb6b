"""Rapporter opens on a period with figures: the last twelve months when they have any,
otherwise the twelve months up to the latest month with figures, and says so."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.demo_enrich import demo_enrich
from portal.models import Exposure, ExposureType
from tests.factories import OrderFactory

pytestmark = pytest.mark.usefixtures("norwegian")

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("Europe/Oslo"))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_seed_alone_opens_on_the_twelve_months_up_to_its_latest_figures(clock, cast, login):
    # given the seed's world: Testbedriften's latest order is of April 2021, nothing since
    response = login(cast.testweb).get("/rapporter/")

    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2020, 5, 1), datetime.date(2021, 4, 1))
    page = text_of(response)
    assert "Det er ingen tall for de siste 12 månedene" in page
    assert "april 2021" in page


def test_a_customer_with_figures_this_year_opens_on_the_last_twelve_months(clock, cast, login):
    OrderFactory(
        department=cast.tb_main, contract=cast.tb_contract, order_date=datetime.date(2026, 2, 3)
    )

    response = login(cast.testweb).get("/rapporter/")

    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 1))
    assert 'data-testid="report-period-note"' not in text_of(response)


def test_the_full_demo_opens_on_the_last_twelve_months_with_figures(clock, cast, login):
    demo_enrich()

    response = login(cast.testweb).get("/rapporter/?vis=helseovervaking")

    assert response.context["period"].last == datetime.date(2026, 3, 1)
    assert all(not item["result"].is_empty for item in response.context["reports"])


def test_months_asked_for_are_shown_even_when_empty(clock, cast, login):
    response = login(cast.testweb).get("/rapporter/?from_month=2025-01&to_month=2025-12")

    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))
    assert 'data-testid="report-period-note"' not in text_of(response)


def test_another_customers_figures_do_not_choose_the_period(clock, cast, login):
    # given only Eksempel Industri has figures this year
    OrderFactory(
        department=cast.ek_main, contract=cast.ek_contract, order_date=datetime.date(2026, 2, 3)
    )

    response = login(cast.testweb).get("/rapporter/")

    assert response.context["period"].last == datetime.date(2021, 4, 1)


def test_staff_open_on_every_customers_latest_figures(clock, cast, login):
    response = login(cast.kam).get("/rapporter/")

    # Eksempel Industri's latest invoice is of April 2021 too, its orders of March 2021
    assert response.context["period"].last == datetime.date(2021, 4, 1)


def test_staff_open_on_the_latest_figures_of_any_customer(clock, cast, login):
    # given only Eksempel Industri has figures after 2021: an order of June 2023
    OrderFactory(
        department=cast.ek_main, contract=cast.ek_contract, order_date=datetime.date(2023, 6, 5)
    )

    staff = login(cast.kam).get("/rapporter/")
    customer = login(cast.testweb).get("/rapporter/")

    assert staff.context["period"].last == datetime.date(2023, 6, 1)
    assert customer.context["period"].last == datetime.date(2021, 4, 1)


def test_a_customer_with_exposures_but_no_recent_orders_opens_on_the_last_twelve_months(
    clock, cast, login
):
    """Exposures are under surveillance now, whatever the year of the last order: the page
    opens on the last twelve months, where the coverage report has figures."""
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip
    Exposure.objects.create(
        employee=cast.donald, exposure_type=noise, starts_on=datetime.date(2025, 1, 6)
    )

    response = login(cast.testweb).get("/rapporter/?vis=helseovervaking")

    period = response.context["period"]
    assert (period.first, period.last) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 1))
    coverage = next(
        item["result"]
        for item in response.context["reports"]
        if item["report"].slug == "helseovervaking"
    )
    assert [row[2] for row in coverage.table.rows][-1] == 1  # Donald, in March 2026
