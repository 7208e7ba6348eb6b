"""django-otp's own admin pages show secrets and are not in the portal's look: they go. In
their place a superuser sees who has two-factor sign-in, and removes it for someone who lost
both phone and recovery codes (they set it up again at their next login)."""

import contextlib

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from unfold.admin import ModelAdmin

from .models import TwoFactorDevice
from .two_factor import two_factor_disable

for model in (TOTPDevice, StaticDevice):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(model)


@admin.register(TwoFactorDevice)
class TwoFactorDeviceAdmin(ModelAdmin):
    list_display = ("username", "full_name", "is_confirmed", "created", "last_used")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    fields = ("username", "full_name", "is_confirmed", "created", "last_used")
    readonly_fields = fields
    actions = ["delete_selected"]

    @admin.display(description=_("user name"), ordering="user__username")
    def username(self, device):
        return device.user.get_username()

    @admin.display(description=_("name"))
    def full_name(self, device):
        return device.user.get_full_name()

    @admin.display(description=_("confirmed"), boolean=True)
    def is_confirmed(self, device):
        return device.confirmed

    @admin.display(description=_("set up"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        two_factor_disable(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            two_factor_disable(user=device.user, actor=request.user)
