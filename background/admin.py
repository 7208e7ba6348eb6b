"""Staff's page of outgoing e-mail: what went out, what is being tried again and why, what
failed for good; a failed one can be sent again."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action

from background.mail import mail_send_again
from background.models import MailStatus, OutgoingMail
from permissions.capabilities import SEND_MAIL_AGAIN, VIEW_OUTGOING_MAIL
from permissions.scoping import is_staff_with
from portal.admin.actions import (
    action_dialog,
    fetched_once,
    redirect_back,
    run_service,
    show_refusal,
)
from portal.admin.base import PortalModelAdmin, WrittenByThePortalMixin
from portal.formatting import format_datetime


@admin.register(OutgoingMail)
class OutgoingMailAdmin(WrittenByThePortalMixin, PortalModelAdmin):
    list_display = ("created", "recipients", "subject", "status", "attempts", "sent", "error")
    list_filter = ("status",)
    search_fields = ("subject", "to")
    date_hierarchy = None
    actions = ["send_again"]
    actions_detail = ["send_again_detail"]
    fields = (
        "created",
        "recipients",
        "reply_to_addresses",
        "subject",
        "status",
        "attempts",
        "next_attempt",
        "sent",
        "last_error",
        "message_id_text",
    )
    readonly_fields = fields

    def has_module_permission(self, request):
        return is_staff_with(request.user, VIEW_OUTGOING_MAIL)

    def has_view_permission(self, request, obj=None):
        return is_staff_with(request.user, VIEW_OUTGOING_MAIL)

    def has_send_again_permission(self, request):
        return is_staff_with(request.user, SEND_MAIL_AGAIN)

    def has_send_again_detail_permission(self, request, object_id=None):
        mail = fetched_once(request, self.get_object, object_id)
        return (
            mail is not None
            and mail.status == MailStatus.FAILED
            and is_staff_with(request.user, SEND_MAIL_AGAIN)
        )

    @admin.display(description=_("Queued"), ordering="created_at")
    def created(self, mail):
        return format_datetime(mail.created_at)

    @admin.display(description=_("Sent"), ordering="sent_at")
    def sent(self, mail):
        return format_datetime(mail.sent_at) if mail.sent_at else "–"

    @admin.display(description=_("Next attempt"))
    def next_attempt(self, mail):
        return format_datetime(mail.next_attempt_at) if mail.next_attempt_at else "–"

    @admin.display(description=_("To"))
    def recipients(self, mail):
        return mail.recipients

    @admin.display(description=_("Reply-To"))
    def reply_to_addresses(self, mail):
        return ", ".join(mail.reply_to) or "–"

    @admin.display(description=_("Message-ID"))
    def message_id_text(self, mail):
        return format_html('<span class="portal-wrap-anywhere">{}</span>', mail.message_id)

    @admin.display(description=_("Last error"))
    def error(self, mail):
        return mail.last_error[:120] or "–"

    @action(
        description=_("Send again"),
        url_path="send-again",
        icon="forward_to_inbox",
        permissions=["send_again_detail"],
        dialog=action_dialog(
            _("Send the e-mail again"),
            _("The e-mail is queued again and tried as many times as a new one."),
            submit=_("Send again"),
        ),
    )
    def send_again_detail(self, request, form, object_id):
        mail = fetched_once(request, self.get_object, object_id)
        run_service(
            request,
            mail_send_again,
            success=_("The e-mail is queued again."),
            mail=mail,
            actor=request.user,
        )
        return redirect_back(
            request, reverse("admin:background_outgoingmail_change", args=[mail.pk])
        )

    @admin.action(description=_("Send again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        again = 0
        for mail in queryset.filter(status=MailStatus.FAILED):
            try:
                mail_send_again(mail=mail, actor=request.user)
            except ValidationError as error:
                show_refusal(request, error)
            else:
                again += 1
        skipped = queryset.exclude(status=MailStatus.FAILED).count()
        if again:
            messages.success(
                request,
                ngettext("%(count)s e-mail queued again.", "%(count)s e-mails queued again.", again)
                % {"count": again},
            )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)s of the chosen e-mails had not failed and was left as it is.",
                    "%(count)s of the chosen e-mails had not failed and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
            )
