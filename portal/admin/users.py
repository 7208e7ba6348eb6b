from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin, StackedInline
from unfold.decorators import action
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from accounts.lockout import lockout_failures, lockout_lift
from permissions.capabilities import LIFT_LOCKOUTS
from permissions.scoping import is_staff_with
from portal.admin.actions import action_dialog, fetched_once, redirect_back, run_service
from portal.admin.base import (
    HiddenUnlessPermittedMixin,
    PlainMessagesMixin,
    TextGuardAdminMixin,
)
from portal.admin.versions import LockedWhileSavedMixin, VersionedFormMixin, VersionedModelForm
from portal.models import StaffProfile
from portal.validators import format_mobile

admin.site.unregister(User)
admin.site.unregister(Group)


class StaffProfileForm(VersionedModelForm):
    value_formats = {"phone": format_mobile}


class StaffProfileInline(TextGuardAdminMixin, StackedInline):
    """The KA/KAM's phone number, shown to their customers on Info."""

    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    fields = ("phone",)


class UserForm(VersionedFormMixin, UserChangeForm):
    """A user and their profile: a save after someone else's is refused with what changed."""


@admin.register(User)
class UserAdmin(
    PlainMessagesMixin,
    LockedWhileSavedMixin,
    TextGuardAdminMixin,
    HiddenUnlessPermittedMixin,
    BaseUserAdmin,
    ModelAdmin,
):
    form = UserForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [StaffProfileInline]
    actions_detail = ["lift_lockout"]

    def _user(self, request, object_id):
        return fetched_once(request, self.get_object, object_id)

    def has_lift_lockout_permission(self, request, object_id=None):
        """Shown to whoever may lift lock-outs, on the page of a user with failed logins."""
        if not is_staff_with(request.user, LIFT_LOCKOUTS):
            return False
        user = self._user(request, object_id)
        return user is not None and lockout_failures(username=user.get_username()) > 0

    @action(
        description=_("Lift lock-out"),
        url_path="lift-lockout",
        icon="lock_open",
        permissions=["lift_lockout"],
        dialog=action_dialog(
            _("Lift lock-out"),
            _(
                "The failed logins for this user name are forgotten, from every address: "
                "the user may log in at once."
            ),
        ),
    )
    def lift_lockout(self, request, form, object_id):
        user = self._user(request, object_id)
        failures = lockout_failures(username=user.get_username())
        run_service(
            request,
            lockout_lift,
            success=ngettext(
                "The lock-out is lifted (%(count)d failed login forgotten).",
                "The lock-out is lifted (%(count)d failed logins forgotten).",
                failures,
            )
            % {"count": failures},
            user=user,
            actor=request.user,
        )
        return redirect_back(request, reverse("admin:auth_user_change", args=[user.pk]))


@admin.register(Group)
class GroupAdmin(
    PlainMessagesMixin,
    LockedWhileSavedMixin,
    TextGuardAdminMixin,
    HiddenUnlessPermittedMixin,
    BaseGroupAdmin,
    ModelAdmin,
):
    form = VersionedModelForm
