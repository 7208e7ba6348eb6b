"""«Meldinger» on the order's page: the thread, the form that writes in it (a POST of its own),
and the order list's «1 ny melding»."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from unfold.widgets import UnfoldAdminTextareaWidget

from permissions.policies import ORDERS
from portal import services
from portal.models.messages import MESSAGE_MAX_LENGTH
from portal.selectors.messages import last_read_id, order_thread, unread_count
from portal.services.messages import THREAD_ANCHOR, order_messages_mark_read
from portal.text import TextGuardFormMixin


class OrderMessageForm(TextGuardFormMixin, forms.Form):
    text = forms.CharField(
        label=_("New message"),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("(Do not write sensitive information here)"),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


class OrderMessagesMixin:
    """For the order admin: the thread on the order's page, read by whoever may see the order
    and marked read for them as they open it; `messages/` writes a message through
    `order_message_post`; the list counts each order's unread messages in its own query."""

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/messages/",
                self.admin_site.admin_view(self.message_post_view),  # type: ignore[attr-defined]
                name="portal_order_messages",
            )
        ]
        return [*urls, *super().get_urls()]  # type: ignore[misc]

    # -- the list -----------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        """The list's page of rows counts their unread messages: a subquery per row shown,
        in the page's own query, never one query per row nor a count over the whole list."""
        base = super().get_changelist(request, **kwargs)  # type: ignore[misc]

        class WithUnreadMessages(base):
            def get_results(self, request):
                super().get_results(request)
                self.result_list = self.result_list.annotate(
                    unread_messages=unread_count(request.user)
                )

        return WithUnreadMessages

    @admin.display(description=_("Messages"))
    def new_messages(self, order):
        count = getattr(order, "unread_messages", 0)
        if not count:
            return ""
        return format_html(
            '<a href="{}" class="font-semibold text-primary-600 dark:text-primary-500" '
            'data-testid="new-messages">{}</a>',
            reverse("admin:portal_order_change", args=[order.pk]) + THREAD_ANCHOR,
            unread_messages_text(count),
        )

    # -- the order's page ---------------------------------------------------------------------

    def thread_context(self, request, order, form=None) -> dict:
        """The thread as the page shows it; opening it marks it read for this user (a marker
        of their own, like a mail client's, and their notices of it)."""
        if not ORDERS.may_read_messages(request.user, order):
            return {}
        thread = order_thread(order)
        read_up_to = last_read_id(order=order, user=request.user)
        if thread and thread[-1].pk > read_up_to:
            order_messages_mark_read(order=order, user=request.user, up_to=thread[-1].pk)
        return {
            "order_thread": thread,
            "order_thread_read_up_to": read_up_to,
            "message_form": form
            if form is not None
            else (OrderMessageForm() if ORDERS.may_write_message(request.user, order) else None),
            "message_post_url": reverse("admin:portal_order_messages", args=[order.pk]),
        }

    @method_decorator(require_http_methods(["GET", "POST"]))
    def message_post_view(self, request, object_id):
        """Write a message. An order the user may not see answers as one that does not exist;
        a refused message shows the order's page again with the reason under the field."""
        order = self._order(request, object_id)  # type: ignore[attr-defined]
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
        thread_url = reverse("admin:portal_order_change", args=[order.pk]) + THREAD_ANCHOR
        if request.method != "POST":
            return redirect(thread_url)
        form = OrderMessageForm(request.POST)
        if form.is_valid():
            try:
                services.order_message_post(
                    order=order, actor=request.user, text=form.cleaned_data["text"]
                )
            except PermissionDenied:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)  # type: ignore[attr-defined]
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The message is sent."))
                return redirect(thread_url)
        # The order's page as a GET shows it, with the form and its errors, the field in view.
        form.fields["text"].widget.attrs.update(
            {"autofocus": True, "aria-invalid": "true", "aria-describedby": "id_text_error"}
        )
        page_request = copy.copy(request)
        page_request.method = "GET"
        return self.change_view(  # type: ignore[attr-defined]
            page_request, str(order.pk), extra_context={"message_form": form}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self._order(request, object_id) if request.method == "GET" else None  # type: ignore[attr-defined]
        if order is not None:
            form = (extra_context or {}).get("message_form")
            extra_context = {**(extra_context or {}), **self.thread_context(request, order, form)}
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]


def unread_messages_text(count: int) -> str:
    return ngettext("%(count)s new message", "%(count)s new messages", count) % {"count": count}
