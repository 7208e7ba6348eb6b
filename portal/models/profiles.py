from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validators import format_mobile, normalize_mobile


class StaffProfile(models.Model):
    """What a customer is told about a member of the provider's staff besides name and e-mail:
    the KA/KAM's phone number, shown on the customer's Info page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        help_text=_("Shown to the customers this person is account manager (KA/KAM) of."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)

    def clean(self):
        try:
            self.phone = normalize_mobile(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error

    @property
    def phone_display(self) -> str:
        """234 56 789 for a Norwegian number (as the employee register shows them)."""
        return format_mobile(self.phone)

    @property
    def phone_uri(self) -> str:
        """tel:+4723456789 — what a phone dials from the link."""
        if not self.phone:
            return ""
        return f"tel:{self.phone if self.phone.startswith('+') else '+47' + self.phone}"
