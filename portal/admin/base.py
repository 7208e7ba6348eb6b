from unfold.admin import ModelAdmin, TabularInline


class HiddenUnlessPermittedMixin:
    """A user who may not view a model at all finds none of its rows: every object URL then
    answers as for an id that does not exist, so nothing is learnt from a status code."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.has_view_or_change_permission(request):
            return queryset.none()
        return queryset


class PortalModelAdmin(HiddenUnlessPermittedMixin, ModelAdmin):
    """Defaults for every list of the portal."""

    #: Lists with a search panel (`list_before_template`) keep `search_fields` for
    #: autocomplete only, so the page has one search, not two.
    search_in_panel = False

    def get_search_fields(self, request):
        match = getattr(request, "resolver_match", None)
        if self.search_in_panel and not (match and match.url_name == "autocomplete"):
            return ()
        return super().get_search_fields(request)

    list_per_page = 50
    show_full_result_count = True
    compressed_fields = True
    warn_unsaved_form = True


class ReadOnlyInline(TabularInline):
    """Rows shown on a parent's page for whoever may see the parent; never edited there."""

    extra = 0
    can_delete = False
    hide_title = True

    def has_view_permission(self, request, obj=None):
        return True  # the parent's page is reached only through its scoped admin

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
