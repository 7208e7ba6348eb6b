"""Telling people: an in-app notification now, an e-mail queued with it for a worker to send.

A failing mail server never undoes the work that caused the mail: the worker tries again.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from background.mail import mail_queue
from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE
from portal.links import absolute_url
from portal.models import Customer, Notification
from portal.models.notifications import NotificationQuerySet


def _customer_service() -> list:
    group = Group.objects.filter(name=STAFF_GROUP_CUSTOMER_SERVICE).first()
    return list(group.user_set.filter(is_active=True)) if group else []


def _active_account_manager(customer: Customer):
    manager = customer.account_manager
    return manager if manager is not None and manager.is_active else None


def account_managers_of(customer: Customer) -> list:
    """The customer's KA/KAM; customer service when the customer has none."""
    manager = _active_account_manager(customer)
    return [manager] if manager is not None else _customer_service()


def customer_reply_to(customer: Customer) -> list[str]:
    """Where a customer's answer to any mail of ours goes: to their KA/KAM, or to customer
    service (PORTAL_CUSTOMER_SERVICE_EMAIL, else the group's members) when they have none."""
    manager = _active_account_manager(customer)
    if manager is not None and manager.email:
        return [manager.email]
    if settings.PORTAL_CUSTOMER_SERVICE_EMAIL:
        return [settings.PORTAL_CUSTOMER_SERVICE_EMAIL]
    return [user.email for user in _customer_service() if user.email]


def customer_contact(customer: Customer) -> str:
    """Who answers the customer's replies, as a mail names them ("your KA/KAM Kari
    Kundeansvarlig", or customer service): the one `customer_reply_to` gives."""
    manager = _active_account_manager(customer)
    if manager is not None and manager.email:
        name = manager.get_full_name() or manager.get_username()
        return _("your account manager (KA/KAM) %(name)s") % {"name": name}
    return _("our customer service")


def mail_to_user(
    *,
    user,
    subject: str,
    template: str,
    context: dict,
    link: str = "",
    reply_to: Iterable[str] = (),
) -> None:
    """Queue one mail to a user, with `url` (the absolute `link`) and `recipient` in its
    template's context; a user without an address gets none."""
    if not user.email:
        return
    if link:
        context = {**context, "url": absolute_url(link)}
    mail_queue(
        to=[user.email],
        subject=subject,
        body=render_to_string(template, {**context, "recipient": user}),
        reply_to=reply_to,
    )


def notification_send(
    *,
    recipients: Iterable,
    text: str,
    link: str,
    mail_template: str,
    context: dict,
    reply_to: Iterable[str] = (),
) -> list[Notification]:
    """Notify each recipient once, in the portal and by e-mail, both with the caller's change;
    the e-mail's subject is the notification's text."""
    recipients = list({user.pk: user for user in recipients}.values())
    notifications = notification_post(recipients=recipients, text=text, link=link)
    for user in recipients:
        mail_to_user(
            user=user,
            subject=text,
            template=mail_template,
            context=context,
            link=link,
            reply_to=reply_to,
        )
    return notifications


def notification_post(*, recipients: Iterable, text: str, link: str) -> list[Notification]:
    """Notify each recipient once, in the portal only (with the badge), no e-mail."""
    recipients = list({user.pk: user for user in recipients}.values())
    return Notification.objects.bulk_create(
        [Notification(recipient=user, text=text[:300], link=link) for user in recipients]
    )


def notifications_mark_read(notifications: "NotificationQuerySet") -> int:
    """Mark those of `notifications` still unread as read now; a read one keeps its time."""
    return notifications.unread().update(read_at=timezone.now())
