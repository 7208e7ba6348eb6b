"""Issuing, changing and revoking API tokens: staff only, each audited."""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from permissions.capabilities import MANAGE_API_TOKENS, Role
from permissions.scoping import is_staff_with
from permissions.services import grant_create
from portal.models import Customer

from .models import ApiToken
from .scopes import SCOPE_PERMISSIONS, STAFF_ONLY_SCOPES, Scope

SECRET_PREFIX = "kp_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its digest is kept


def token_digest(secret: str) -> str:
    """SHA-256 is enough: the secret has 256 random bits, nothing to guess or to stretch."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _require_manager(actor) -> None:
    if not is_staff_with(actor, MANAGE_API_TOKENS):
        raise PermissionDenied(_("You may not issue or revoke API tokens."))


def api_token_scopes_clean(scopes, *, customer: Customer | None) -> list[str]:
    """The scopes a token for `customer` (None: every customer) may hold, sorted; refused
    (naming `scopes`) when one is unknown or is staff's only (the audit trail)."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scope)s.") % {"scope": unknown[0]}})
    staff_only = sorted(set(scopes) & STAFF_ONLY_SCOPES)
    if customer is not None and staff_only:
        raise ValidationError(
            {
                "scopes": _("A token for one customer cannot have the scope %(scope)s.")
                % {"scope": staff_only[0]}
            }
        )
    return sorted(set(scopes))


def api_tokens_permissions_sync() -> int:
    """Give every usable token without a customer the staff permissions its scopes carry now
    (run after each `migrate`: a release that widens a scope reaches the tokens already issued);
    returns how many tokens there are."""
    tokens = ApiToken.objects.usable().filter(customer__isnull=True).select_related("user")
    for token in tokens:
        _permissions_sync(token)
    return len(tokens)


def _permissions_sync(token: ApiToken) -> None:
    """A token without a customer holds the staff permissions of its scopes, and only them."""
    user = token.user
    if token.customer_id is not None:
        user.user_permissions.clear()
        return
    names = {name for scope in token.scopes for name in SCOPE_PERMISSIONS[Scope(scope)]}
    codenames = [name.split(".", 1) for name in names]
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codenames
    ]
    user.user_permissions.set(permissions)


@transaction.atomic
def api_token_issue(
    *, actor, name: str, scopes, customer: Customer | None = None, expires_at=None
) -> IssuedToken:
    """A new token and its service user; the secret is returned here and never again."""
    _require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the system the token is for.")})
    if ApiToken.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Another token has this name.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    scopes = api_token_scopes_clean(scopes, customer=customer)
    prefix = secrets.token_hex(4)
    secret = f"{SECRET_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create(
        username=f"api-{prefix}",
        first_name="API:",
        last_name=name[:150],
        is_staff=customer is None,
        is_active=True,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        digest=token_digest(secret),
        scopes=scopes,
        customer=customer,
        user=user,
        expires_at=expires_at,
        created_by=actor,
    )
    if customer is not None:
        grant_create(user=user, customer=customer, role=Role.ADMIN, actor=actor)
    _permissions_sync(token)
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=token,
        changes={
            "scopes": [None, scopes],
            "customer": [None, customer.name if customer else None],
            "expires_at": [None, expires_at.isoformat() if expires_at else None],
        },
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_update(*, token: ApiToken, actor, scopes=None, expires_at=None) -> ApiToken:
    """Change a token's scopes or expiry; its secret and customer stay."""
    _require_manager(actor)
    before = {"scopes": token.scopes, "expires_at": token.expires_at}
    if scopes is not None:
        token.scopes = api_token_scopes_clean(scopes, customer=token.customer)
    token.expires_at = expires_at
    token.save(update_fields=["scopes", "expires_at"])
    _permissions_sync(token)
    changes = {
        name: [_plain(before[name]), _plain(getattr(token, name))]
        for name in before
        if before[name] != getattr(token, name)
    }
    if changes:
        audit_record(actor=actor, action=AuditAction.CHANGED, obj=token, changes=changes)
    return token


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke at once: the next request with it is refused (401). Its service user is
    deactivated, so no permission check passes for it either."""
    _require_manager(actor)
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("The token is already revoked."), code="revoked")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    user = locked.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditAction.REVOKED, obj=locked)
    token.refresh_from_db()
    return locked


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None; notes when it was last used (at most once
    a minute, so a busy system does not write a row per request)."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "customer")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
