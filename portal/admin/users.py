from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from portal.admin.base import HiddenUnlessPermittedMixin
from portal.admin.versions import LockedWhileSavedMixin, VersionedFormMixin, VersionedModelForm
from portal.models import StaffProfile
from portal.validators import format_mobile

admin.site.unregister(User)
admin.site.unregister(Group)


class StaffProfileForm(VersionedModelForm):
    value_formats = {"phone": format_mobile}


class StaffProfileInline(StackedInline):
    """The KA/KAM's phone number, shown to their customers on Info."""

    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    fields = ("phone",)


class UserForm(VersionedFormMixin, UserChangeForm):
    """A user and their profile: a save after someone else's is refused with what changed."""


@admin.register(User)
class UserAdmin(LockedWhileSavedMixin, HiddenUnlessPermittedMixin, BaseUserAdmin, ModelAdmin):
    form = UserForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [StaffProfileInline]


@admin.register(Group)
class GroupAdmin(LockedWhileSavedMixin, HiddenUnlessPermittedMixin, BaseGroupAdmin, ModelAdmin):
    form = VersionedModelForm
