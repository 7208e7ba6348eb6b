"""FilterSetListFilter: a FilterSet as one admin list filter."""

import django_filters
import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from permissions.capabilities import Capability
from portal.filters import FilterSetListFilter, OrderFilterSet, OrderSearch, PortalFilterSet
from portal.models import Order


class RangeFilterSet(PortalFilterSet):
    view_capability = Capability.VIEW_ORDERS

    number = django_filters.NumberFilter()
    order_date = django_filters.DateFromToRangeFilter()

    class Meta(PortalFilterSet.Meta):
        model = Order
        fields = ()


class RangeSearch(FilterSetListFilter):
    title = "Range"
    filterset_class = RangeFilterSet


def list_filter(filter_class, user, **query):
    request = RequestFactory().get("/portal/order/", query)
    request.user = user
    params = {key: request.GET.getlist(key) for key in request.GET}
    return filter_class(request, params, Order, site._registry[Order]), params


@pytest.mark.django_db
def test_expected_parameters_are_the_form_fields_with_the_parts_of_ranges(cast):
    spec, _params = list_filter(RangeSearch, cast.testweb)

    assert spec.expected_parameters() == ["number", "order_date_after", "order_date_before"]


@pytest.mark.django_db
def test_it_consumes_its_parameters_and_leaves_the_others(cast):
    spec, params = list_filter(
        RangeSearch, cast.testweb, order_date_after="01.01.2021", number="", o="1", q="x"
    )

    assert params == {"o": ["1"], "q": ["x"]}
    assert spec.used_parameters == {"order_date_after": "01.01.2021"}


@pytest.mark.django_db
def test_a_range_filters_the_given_queryset(cast):
    spec, _params = list_filter(
        RangeSearch, cast.testweb, order_date_after="01.01.2021", order_date_before="31.01.2021"
    )

    rows = spec.queryset(None, Order.objects.all())

    assert [order.number for order in rows] == [290467]


@pytest.mark.django_db
def test_invalid_input_gives_no_rows(cast):
    spec, _params = list_filter(RangeSearch, cast.testweb, order_date_after="not a date")

    assert not spec.queryset(None, Order.objects.all()).exists()
    assert "order_date" in spec.form.errors


@pytest.mark.django_db
def test_staff_only_fields_exist_only_for_staff(demo, cast):
    kam = get_user_model().objects.get(username="kam")

    assert "customer" not in list_filter(OrderSearch, cast.testweb)[0].expected_parameters()
    assert "customer" in list_filter(OrderSearch, kam)[0].expected_parameters()


@pytest.mark.django_db
def test_without_a_request_the_choices_are_empty(demo):
    form = OrderFilterSet({}).form

    assert list(form.fields["department"].queryset) == []
    assert "customer" not in form.fields


@pytest.mark.django_db
def test_the_page_loads_the_date_picker_and_hides_the_empty_filter_sheet(demo, client, login):
    login("testweb")

    response = client.get("/portal/order/")

    assert "admin/js/admin/DateTimeShortcuts.js" in response.text
    assert "admin/js/calendar.js" in response.text
    assert 'class="vDateField' in response.text
    assert "#changelist-filter { display: none !important; }" in response.text
