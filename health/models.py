"""Egenerklæringer: versioned health questionnaires per product group, and an employee's
answers for a booking.

The answers are health information under the health personnel's duty of confidentiality: they
are stored encrypted (`health.crypto`, keys of their own) and read only through
`health.services`, which asks `permissions/` who may and writes an audit event. Nothing here
shows them: not `__str__`, not `repr`, not a form field.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Booking, ProductGroup

YES = "yes"
NO = "no"


class QuestionnaireQuerySet(models.QuerySet):
    def offered(self):
        """The versions given with new bookings: active and not replaced by a newer one."""
        return self.filter(is_active=True, replaced_by__isnull=True)

    def for_product_group(self, product_group: ProductGroup | int):
        return self.filter(product_groups=product_group)


class Questionnaire(models.Model):
    """One version of a questionnaire. Once answers were given on it, it is never changed:
    editing makes the next version (`health.services.questionnaire_save`)."""

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="replaced_by",
    )
    product_groups = models.ManyToManyField(
        ProductGroup,
        verbose_name=_("product groups"),
        blank=True,
        related_name="questionnaires",
        help_text=_("Bookings on orders of these product groups get this questionnaire."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        db_default=True,
        help_text=_("Sent with new bookings."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("health declaration form")
        verbose_name_plural = _("health declaration forms")
        ordering = ["name", "-version"]

    def __str__(self):
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}

    def is_in_use(self) -> bool:
        """Answers were given (or sent) on this version: it may no longer change in place."""
        return self.answer_sets.exists()

    def is_replaced(self) -> bool:
        return Questionnaire.objects.filter(replaces=self).exists()

    def newest_version(self) -> "Questionnaire":
        """The version that replaced this one, and so on: the one in use now."""
        newest = self
        while (newer := Questionnaire.objects.filter(replaces=newest).first()) is not None:
            newest = newer
        return newest


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes/no")
    ONE_OF = "one_of", _("One of several")
    SEVERAL_OF = "several_of", _("Several of several")
    NUMBER = "number", _("Number with unit")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    DATE = "date", _("Date")


CHOICE_KINDS = (QuestionKind.ONE_OF, QuestionKind.SEVERAL_OF)


class Question(models.Model):
    """A question of one questionnaire version; a follow-up (`parent`) is shown only when the
    parent question is answered `shown_on` («Hvis ja: …»)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("health declaration form"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(
        pgettext_lazy("question", "order"), default=0, db_default=0
    )
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(
        _("kind of answer"),
        max_length=20,
        choices=QuestionKind.choices,
        default=QuestionKind.YES_NO,
        db_default=QuestionKind.YES_NO,
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text=_("For a number: e.g. kg, cm, cigarettes a day."),
    )
    required = models.BooleanField(_("required"), default=True, db_default=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        default="",
        db_default="",
        help_text=_("One choice a line, for «one of several» and «several of several»."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    shown_on = models.CharField(
        _("shown on the answer"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "The answer to the parent question that shows this one: «yes», «no» or "
            "one of its choices."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def answers_that_show_follow_ups(self) -> list[str]:
        """The answers a follow-up of this question may be shown on."""
        if self.kind == QuestionKind.YES_NO:
            return [YES, NO]
        if self.kind in CHOICE_KINDS:
            return self.choice_list()
        return []


class AnswerStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    DRAFT = "draft", _("Started")
    SUBMITTED = "submitted", _("Received")


class QuestionnaireAnswer(models.Model):
    """An employee's answers to one questionnaire version for one booking. The status is for
    everyone who may see the booking; the answers (encrypted) for health personnel only."""

    booking = models.OneToOneField(
        Booking,
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        related_name="health_declaration",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("health declaration form"),
        on_delete=models.PROTECT,
        related_name="answer_sets",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AnswerStatus.choices,
        default=AnswerStatus.SENT,
        db_default=AnswerStatus.SENT,
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    transferred_at = models.DateTimeField(
        _("transferred to the health record at"), null=True, blank=True
    )
    #: question id → answer, as JSON encrypted with HEALTH_DATA_KEYS (`health.crypto`).
    answers_encrypted = models.TextField(editable=False, blank=True, default="", db_default="")
    #: When the retention deleted the answers (`health.retention`): the status stays, so the
    #: booking still reads «mottatt».
    answers_deleted_at = models.DateTimeField(_("answers deleted at"), null=True, blank=True)
    #: The one reminder the customer's HR may send (`health.reminders`).
    customer_reminded_at = models.DateTimeField(
        _("reminded by the customer at"), null=True, blank=True
    )
    customer_reminded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reminded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        ordering = ["-sent_at", "-pk"]
        # Declared here, named in `permissions.capabilities` (READ_HEALTH_ANSWERS).
        permissions = [("read_answers", "Can read the answers of health declarations")]

    def __str__(self):
        return _("Health declaration %(number)s") % {"number": self.pk}

    def __repr__(self):
        return f"<QuestionnaireAnswer {self.pk} {self.status}>"

    @property
    def is_received(self) -> bool:
        return self.status == AnswerStatus.SUBMITTED

    @property
    def answers_deleted(self) -> bool:
        return self.answers_deleted_at is not None
