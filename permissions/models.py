from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from audit.models import AuditEvent
from portal.models import Customer, Department

from .capabilities import Role


class DepartmentUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table for users: no generic object_pk joins."""

    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission"], name="deptuserperm_user_idx")]


class DepartmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Department, on_delete=models.CASCADE)


class Grant(models.Model):
    """A role for a user on a whole customer (every department, also later ones) or on some."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="portal_grants",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("companies/departments"),
        blank=True,
        related_name="grants",
        help_text=_("Leave empty for every department of the customer, also future ones."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("portal access")
        # The same word in English; Norwegian counts them: «2 portaltilganger».
        verbose_name_plural = pgettext_lazy("plural", "portal access")
        ordering = ["customer", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "customer", "role"], name="grant_unique_role_per_customer"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.customer} – {self.get_role_display()}"


def _grant_department_str(self) -> str:
    return f"{self.grant} – {self.department}"


# The grant's departments are an automatic many-to-many table, which Django names
# "Grant-department relationship" and shows as "Grant_departments object (1)" (deleting a grant
# or a department lists its rows). Named here as a person would; the table stays as it is.
GrantDepartments = Grant.departments.through
GrantDepartments._meta.verbose_name = _("company/department of a portal access")
GrantDepartments._meta.verbose_name_plural = _("companies/departments of portal access")
GrantDepartments.__str__ = _grant_department_str  # type: ignore[method-assign,assignment]


class GrantAuditEvent(models.Model):
    """Which customer (and departments) an audit event of a grant belongs to. A revoked grant
    is deleted, yet the customer's administrators still read its events («Endringslogg for
    tilganger»), each administrator those of the grants that reach their departments."""

    event = models.OneToOneField(
        AuditEvent, primary_key=True, on_delete=models.CASCADE, related_name="grant_customer"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    #: The departments the grant covered before or after the change; none: the whole customer.
    departments = models.ManyToManyField(Department, blank=True, related_name="+")

    class Meta:
        verbose_name = _("change of portal access")
        verbose_name_plural = _("changes of portal access")

    def __str__(self):
        return f"{self.customer_id}: {self.event_id}"
