from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A named counter for document numbers: increasing, never reused, on any database."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    last_value = models.BigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self):
        return f"{self.name}: {self.last_value}"


def sequence_next(*, name: str, at_least: int = 0) -> int:
    """Take the next number; `at_least` keeps it above numbers that came from elsewhere."""
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        sequence.last_value = max(sequence.last_value, at_least) + 1
        sequence.save(update_fields=["last_value"])
        return sequence.last_value


def sequence_advance_to(*, name: str, value: int) -> None:
    """Make sure the next number taken is above `value` (after loading numbered rows)."""
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        if sequence.last_value < value:
            sequence.last_value = value
            sequence.save(update_fields=["last_value"])
