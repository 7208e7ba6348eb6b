from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from unfold.admin import ModelAdmin, StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from portal.admin.base import HiddenUnlessPermittedMixin, TextGuardAdminMixin
from portal.models import StaffProfile

admin.site.unregister(User)
admin.site.unregister(Group)


class StaffProfileInline(TextGuardAdminMixin, StackedInline):
    """The KA/KAM's phone number, shown to their customers on Info."""

    model = StaffProfile
    can_delete = False
    fields = ("phone",)


@admin.register(User)
class UserAdmin(TextGuardAdminMixin, HiddenUnlessPermittedMixin, BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [StaffProfileInline]


@admin.register(Group)
class GroupAdmin(TextGuardAdminMixin, HiddenUnlessPermittedMixin, BaseGroupAdmin, ModelAdmin):
    pass
