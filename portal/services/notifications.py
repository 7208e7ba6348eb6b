"""Telling people: an in-app notification now, an e-mail once the transaction has committed.

A failing mail server never undoes the work that caused the mail; the failure is logged.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
from portal.models import Customer, Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def account_managers_of(customer: Customer) -> list:
    """The customer's KA/KAM; customer service when the customer has none."""
    if customer.account_manager_id and customer.account_manager.is_active:
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
    """Notify each recipient once, in the portal at once and by e-mail after commit; the
    e-mail's subject is the notification's text."""
    recipients = list({user.pk: user for user in recipients}.values())
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, text=text[:300], link=link) for user in recipients]
    )
    mail_context = {**context, "url": absolute_url(link)}
    for user in recipients:
        if user.email:
            transaction.on_commit(
                lambda user=user: _mail(
                    user=user, subject=text, template=mail_template, context=mail_context
                )
            )
    return notifications


def notifications_mark_read(notifications: QuerySet) -> int:
    """Mark those of `notifications` still unread as read now; a read one keeps its time."""
    return notifications.unread().update(read_at=timezone.now())


def _mail(*, user, subject: str, template: str, context: dict) -> None:
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, {**context, "recipient": user}),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        logger.exception("E-mail %r to user %s could not be sent", subject, user.pk)
