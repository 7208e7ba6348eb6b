from django.contrib import admin
from unfold.admin import ModelAdmin

from .models import Grant


@admin.register(Grant)
class GrantAdmin(ModelAdmin):
    list_display = ("user", "customer", "role", "granted_by", "granted_at")
    list_select_related = ("user", "customer", "granted_by")
    list_filter = ("role",)
    search_fields = ("user__username", "customer__name")
    autocomplete_fields = ("user", "customer")
    filter_horizontal = ("departments",)
