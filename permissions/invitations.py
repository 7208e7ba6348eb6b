"""Inviting a customer contact: a user with a role and a set-password link valid for 7 days."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.tokens import RealTimeTokenGenerator
from background.mail import mail_queue
from portal.links import absolute_url
from portal.models import Customer, Department
from portal.services.notifications import customer_reply_to

from .capabilities import Role
from .models import Grant
from .services import grant_create

INVITATION_VALID_FOR = datetime.timedelta(days=7)


class InvitationTokenGenerator(RealTimeTokenGenerator):
    """Like a password-reset token, with its own salt and a 7-day lifetime."""

    key_salt = "permissions.invitations.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= INVITATION_VALID_FOR.total_seconds()


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    path = reverse("invitation_accept", args=[uid, token])
    return absolute_url(path)


@transaction.atomic
def contact_invite(
    *,
    customer: Customer,
    email: str,
    first_name: str,
    last_name: str,
    role: Role | str,
    departments: list[Department] | None = None,
    actor,
) -> Grant:
    """Create the contact's user (or reuse a customer user with this e-mail), grant the role
    and e-mail a link to set a password (queued with the grant)."""
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(username__iexact=email).first()
    if user is not None and user.is_staff:
        raise ValidationError(
            {"email": _("This e-mail address belongs to a staff user.")}, code="staff"
        )
    if user is not None and user.portal_grants.exclude(customer=customer).exists():
        raise ValidationError(
            {"email": _("This e-mail address already has access to another customer.")},
            code="other_customer",
        )
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    grant = grant_create(
        user=user, customer=customer, role=role, departments=departments, actor=actor
    )
    _send_invitation(user=user, customer=customer)
    return grant


def _send_invitation(*, user, customer) -> None:
    context = {
        "user": user,
        "customer": customer,
        "url": invitation_url(user),
        "days": INVITATION_VALID_FOR.days,
    }
    mail_queue(
        to=[user.email],
        subject=_("You are invited to the customer portal"),
        body=render_to_string("permissions/email/invitation.txt", context),
        reply_to=customer_reply_to(customer),
    )
