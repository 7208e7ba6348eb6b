from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .orders import Order

#: The longest message: a question about an order, not a document.
MESSAGE_MAX_LENGTH = 2000


class OrderMessage(models.Model):
    """A message on an order between the customer's users and the provider's staff («Meldinger»).

    Text only, and never edited or deleted: a correction is another message. `from_staff`
    records which side wrote it, as the author was then (a user may change sides later)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_staff = models.BooleanField(_("from the provider"), default=False, db_default=False)
    text = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["order", "created_at"], name="ordermessage_order_idx"),
            # Staff's Info: the customers' messages no one has answered yet.
            models.Index(fields=["from_staff", "order"], name="ordermessage_side_idx"),
        ]

    def __str__(self):
        return _("Message on order %(number)s") % {"number": self.order.number}


class OrderMessageRead(models.Model):
    """How far a user has read an order's messages: every message up to `last_read_id`.

    One row per user and order, moved forward only; an id rather than a time, because two
    messages may share a time but never an id."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "order"], name="ordermessageread_unique")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.order_id}: {self.last_read_id}"
