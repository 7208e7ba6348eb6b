"""«La de ansatte velge selv»: an employee invited to choose their own appointment of an order
from a personal link in a mail."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .appointments import Booking
from .employees import Employee
from .orders import Order


class BookingInvitation(models.Model):
    """One employee invited to one order: when the mail went, when they were reminded, and the
    booking they chose (empty until they have)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="invitations"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="booking_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_default=Now())
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    booking = models.ForeignKey(
        Booking,
        verbose_name=_("booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("booking invitation")
        verbose_name_plural = _("booking invitations")
        ordering = ["employee__last_name", "employee__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "employee"], name="booking_invitation_one_per_order"
            ),
        ]

    def __str__(self):
        return f"{self.employee} – {self.order}"
