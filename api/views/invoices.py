"""Invoices (fakturaer) for the accounting system: it reads them, creates and changes them with
their lines, and registers the bank's payments. A customer's token reads its own customer's
invoices, as the customer's finance users do; only a token without a customer writes."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from permissions.capabilities import ADD_INVOICES, CHANGE_INVOICES, Capability
from permissions.policies import INVOICES
from permissions.scoping import is_staff_with
from portal.models import Invoice
from portal.services.invoices import invoice_payment_register, invoice_write

from ..invoices import (
    NUMBER_STAYS,
    InvoiceFilterSet,
    InvoiceSerializer,
    InvoiceWriteSerializer,
    PaymentSerializer,
)
from ..problems import KINDS, PROBLEM_CONTENT_TYPE
from ..schema import ProblemSerializer
from ..scopes import Scope
from ..versions import etag_of, if_match_version
from .base import ReadOnlyViewSet
from .resources import IF_MATCH

PAYMENT_IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The invoice's ETag: a payment sent again after the first was saved is "
    "refused (412) instead of paid twice.",
)


class InvoiceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Invoices with their lines, what is still owed and their status (paid, overdue, unpaid,
    credited) as the portal's invoice list shows it."""

    queryset = Invoice.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet
    read_scope = Scope.INVOICES_READ
    write_scope = Scope.INVOICES_WRITE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def rows(self, user):
        return (
            INVOICES.instances_for(user, Capability.VIEW_INVOICES)
            .with_status()
            .select_related("payer")
            .prefetch_related("lines")
        )

    def _require_staff(self, permission: str) -> None:
        """A customer's token reads; writing invoices is the provider's (403 before the body
        is looked at, so a customer's token learns nothing from it)."""
        if not is_staff_with(self.request.user, permission):
            raise PermissionDenied(_("Only the provider's staff may edit invoices."))

    @extend_schema(request=InvoiceWriteSerializer, responses={201: InvoiceSerializer})
    def create(self, request, *args, **kwargs):
        """Create an invoice with its lines: they add up to the total (with their VAT)."""
        self._require_staff(ADD_INVOICES)
        form = InvoiceWriteSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        invoice = invoice_write(data=form.to_data(), actor=request.user)
        return self._row(invoice, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=InvoiceWriteSerializer(partial=True),
        responses={200: InvoiceSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the given fields, on the version named in If-Match (412 when it is stale,
        428 without it); `lines`, when given, replace the invoice's lines."""
        self._require_staff(CHANGE_INVOICES)
        with transaction.atomic():
            invoice = self.get_object()
            version = if_match_version(request, invoice)
            form = InvoiceWriteSerializer(
                data=request.data, partial=True, context={"request": request}
            )
            form.is_valid(raise_exception=True)
            if form.validated_data.get("number", invoice.number) != invoice.number:
                raise ValidationError({"number": [NUMBER_STAYS]})
            invoice = invoice_write(
                data=form.to_data(number=invoice.number),
                invoice=invoice,
                actor=request.user,
                version=version,
            )
        return self._row(invoice)

    @extend_schema(
        request=PaymentSerializer,
        responses={
            200: InvoiceSerializer,
            (412, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description=KINDS[412][1]
            ),
        },
        parameters=[PAYMENT_IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Register a payment: what is owed is lowered by its amount (paid when nothing is
        left). More than is owed, or a payment on a credit note, is refused. With the
        invoice's ETag in If-Match, a payment sent again is refused (412), not paid twice."""
        self._require_staff(CHANGE_INVOICES)
        invoice = self.get_object()
        sent_etag = request.headers.get("If-Match", "").strip()
        version = if_match_version(request, invoice) if sent_etag else None
        form = PaymentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        invoice = invoice_payment_register(
            invoice=invoice, actor=request.user, version=version, **form.validated_data
        )
        return self._row(invoice)

    def _row(self, invoice, code=status.HTTP_200_OK):
        invoice = self.rows(self.request.user).get(pk=invoice.pk)
        response = Response(self.get_serializer(invoice).data, status=code)
        response["ETag"] = etag_of(invoice)
        return response
