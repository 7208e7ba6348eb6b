"""The order workflow as actions: the services the admin's buttons call, each taken on the
version named in If-Match. The services decide who may take a step (a customer's token
confirms for its customer; the rest is the provider's staff) and whether the order's status
allows it now (409 naming the status it is in and the one the step needs)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from permissions.policies import ORDERS
from portal.models import OrderMessage
from portal.models.messages import MESSAGE_MAX_LENGTH
from portal.models.orders import OrderState
from portal.services import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_enquiry_accept,
    order_mark_delivered,
    order_set_state,
)
from portal.services.messages import order_message_post

from .. import serializers
from ..pagination import UpdatedCursorPagination
from ..problems import state_refusals_as_conflict
from ..versions import etag_of, if_match_version
from . import resources
from .resources import IF_MATCH

#: The services' codes for "not in this status" (`portal.services.orders._transition`,
#: `order_set_state`).
NOT_NOW = ("wrong_status", "same_state")
STEP_PROBLEMS = (409, 412, 428)


class OrderStateSerializer(drf_serializers.Serializer):
    state = drf_serializers.ChoiceField(choices=OrderState.choices)


class OrderMessageSerializer(drf_serializers.ModelSerializer):
    """A message of the order's thread («Meldinger»): `from_staff` says which side wrote it."""

    author_name = drf_serializers.SerializerMethodField()

    class Meta:
        model = OrderMessage
        fields = ("id", "order", "from_staff", "author_name", "text", "created_at")
        read_only_fields = fields

    def get_author_name(self, message) -> str:
        """The token's name for a message written through the API; else the person's name."""
        return "" if message.author is None else serializers.author_name(message.author)


class OrderMessageWriteSerializer(drf_serializers.Serializer):
    text = drf_serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class OrderMessagePageSerializer(drf_serializers.Serializer):
    next = drf_serializers.URLField(allow_null=True)
    previous = drf_serializers.URLField(allow_null=True)
    results = OrderMessageSerializer(many=True)


class MessageCursorPagination(UpdatedCursorPagination):
    """The thread in the order it was written."""

    ordering = ("created_at", "pk")


def _step_schema(summary: str, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: serializers.OrderSerializer},
        parameters=[IF_MATCH],
    )


class OrderViewSet(resources.OrderViewSet):
    """Orders (bestillinger) with their approval `status` and `state`, and the workflow's
    steps. Each step answers the order as it now is, with its new ETag."""

    action_problems = {
        "accept_enquiry": STEP_PROBLEMS,
        "confirm_as_seller": STEP_PROBLEMS,
        "confirm_as_customer": STEP_PROBLEMS,
        "mark_delivered": STEP_PROBLEMS,
        "set_state": STEP_PROBLEMS,
    }

    @_step_schema("Make an enquiry an order (staff)")
    @action(detail=True, methods=["post"], url_path="accept-enquiry")
    def accept_enquiry(self, request, pk=None):
        """An enquiry («Forespørsel») becomes an order awaiting the seller's approval."""
        return self._step(request, order_enquiry_accept)

    @_step_schema("Confirm as seller (staff)")
    @action(detail=True, methods=["post"], url_path="confirm-seller")
    def confirm_as_seller(self, request, pk=None):
        """The seller has checked the order: it awaits the customer's approval, and the
        customer's approvers are told."""
        return self._step(request, order_confirm_as_seller)

    @_step_schema("Confirm the order («Bekreft bestilling»)")
    @action(detail=True, methods=["post"], url_path="confirm")
    def confirm_as_customer(self, request, pk=None):
        """The customer approves the order: a customer's token for its customer, a token
        without a customer on the customer's behalf (recorded so). The KA/KAM is told."""
        return self._step(request, order_confirm_as_customer)

    @_step_schema("Mark as delivered (staff)")
    @action(detail=True, methods=["post"], url_path="delivered")
    def mark_delivered(self, request, pk=None):
        """An approved order has been delivered."""
        return self._step(request, order_mark_delivered)

    @_step_schema("Change the order state (staff)", request=OrderStateSerializer)
    @action(detail=True, methods=["post"], url_path="state")
    def set_state(self, request, pk=None):
        """The order state (Ordrestatus) as in the CRM: started, active or closed."""
        form = OrderStateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._step(request, order_set_state, state=form.validated_data["state"])

    @extend_schema(
        methods=["GET"],
        summary="Read the order's messages",
        request=None,
        responses={200: OrderMessagePageSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary="Write a message on the order",
        request=OrderMessageWriteSerializer,
        responses={201: OrderMessageSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        """The order's thread with the provider («Meldinger»), oldest first. A message is
        written as the token (the other side is told, without the text); a national id
        number or words about someone's health are refused."""
        order = self.get_object()
        if request.method == "POST":
            form = OrderMessageWriteSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            message = order_message_post(
                order=order, actor=request.user, text=form.validated_data["text"]
            )
            return Response(OrderMessageSerializer(message).data, status=status.HTTP_201_CREATED)
        if not ORDERS.may_read_messages(request.user, order):
            raise PermissionDenied
        paginator = MessageCursorPagination()
        page = paginator.paginate_queryset(
            OrderMessage.objects.filter(order=order).select_related("author__api_token"),
            request,
            view=self,
        )
        return paginator.get_paginated_response(OrderMessageSerializer(page, many=True).data)

    def _step(self, request, service, **fields):
        with state_refusals_as_conflict(*NOT_NOW), transaction.atomic():
            order = self.get_object()
            version = if_match_version(request, order)
            order = service(order=order, actor=request.user, version=version, **fields)
        order = self.get_queryset().get(pk=order.pk)
        response = Response(self.get_serializer(order).data)
        response["ETag"] = etag_of(order)
        return response
