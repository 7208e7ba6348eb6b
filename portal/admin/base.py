from unfold.admin import ModelAdmin


class PortalModelAdmin(ModelAdmin):
    """Defaults for every list of the portal."""

    list_per_page = 50
    show_full_result_count = False
    compressed_fields = True
    warn_unsaved_form = True
