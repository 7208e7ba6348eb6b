from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

INVALID_CURSOR = _("The cursor is not one this API gave out: start again without it.")


class UpdatedCursorPagination(CursorPagination):
    """Pages in the order rows changed (oldest first): a system that synchronises follows
    `next` until it is null and keeps the last `updated_at` for its next `updated_since`.
    A cursor, not a page number, so rows changing meanwhile neither repeat nor go missing."""

    ordering: tuple[str, ...] = ("updated_at", "pk")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    # The cursor keeps the time of change of the page's last row and how many rows of that
    # instant came before it. An import writes thousands of rows in one instant, a migration
    # gives every row the same time: DRF's default cap of 1,000 on that count sent a page past
    # it back again and again, and a synchronisation never ended.
    offset_cutoff = 2**62

    def paginate_queryset(self, queryset, request, view=None):
        """A cursor that was not ours is the request's fault (400, naming `cursor`), not a
        missing page (DRF's 404) nor a server error (a position that is no time)."""
        try:
            return super().paginate_queryset(queryset, request, view)
        except (NotFound, DjangoValidationError, ValueError, OverflowError):
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None


class IdCursorPagination(UpdatedCursorPagination):
    """For rows without a time of change: in the order they were made."""

    ordering = ("pk",)
