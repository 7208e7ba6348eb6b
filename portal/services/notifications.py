"""Telling people: an in-app notification now, an e-mail queued with it for a worker to send.

A failing mail server never undoes the work that caused the mail: the worker tries again.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.utils import timezone

from background.mail import mail_queue
from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
from portal.models import Customer, Notification
from portal.models.notifications import NotificationQuerySet


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def account_managers_of(customer: Customer) -> list:
    """The customer's KA/KAM; customer service when the customer has none."""
    if customer.account_manager is not None and customer.account_manager.is_active:
        return [customer.account_manager]
    group = Group.objects.filter(name=STAFF_GROUP_CUSTOMER_SERVICE).first()
    return list(group.user_set.filter(is_active=True)) if group else []


def notification_send(
    *,
    recipients: Iterable,
    text: str,
    link: str,
    mail_template: str,
    context: dict,
) -> list[Notification]:
    """Notify each recipient once, in the portal and by e-mail, both with the caller's change;
    the e-mail's subject is the notification's text."""
    recipients = list({user.pk: user for user in recipients}.values())
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, text=text[:300], link=link) for user in recipients]
    )
    mail_context = {**context, "url": absolute_url(link)}
    for user in recipients:
        if user.email:
            mail_queue(
                to=[user.email],
                subject=text,
                body=render_to_string(mail_template, {**mail_context, "recipient": user}),
            )
    return notifications


def notifications_mark_read(notifications: "NotificationQuerySet") -> int:
    """Mark those of `notifications` still unread as read now; a read one keeps its time."""
    return notifications.unread().update(read_at=timezone.now())
