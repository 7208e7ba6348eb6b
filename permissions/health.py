"""Who may read health answers and define health questionnaires.

The answers of an egenerklæring fall under the health personnel's duty of confidentiality
(helsepersonelloven § 21): only staff who hold READ_HEALTH_ANSWERS themselves (the group
«Helsepersonell») read them. Django's `has_perm` says yes to every superuser, so it is not asked
here: a superuser without the role reads no answers.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

from .capabilities import DEFINE_QUESTIONNAIRES, READ_HEALTH_ANSWERS, Capability
from .policies import EMPLOYEES
from .scoping import is_staff_with, is_unscoped

_CACHE_ATTR = "_portal_reads_health_answers"


def may_read_health_answers(user) -> bool:
    """Health personnel: an active staff user granted READ_HEALTH_ANSWERS directly or through a
    group. Worked out once per request (cached on the user object)."""
    if not (user is not None and user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    app_label, codename = READ_HEALTH_ANSWERS.split(".")
    held = (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
    setattr(user, _CACHE_ATTR, held)
    return held


def may_define_questionnaires(user) -> bool:
    """Staff who set up the questionnaires (health personnel and the account managers); the
    questions hold no one's answers, so a superuser may too."""
    return is_staff_with(user, DEFINE_QUESTIONNAIRES)


def may_remind_of_declaration(user, booking) -> bool:
    """Whoever may book the employee (the customer's HR, or staff) may remind them of the
    health declaration: the reminder carries the form's link and nothing of the answers."""
    if is_unscoped(user, Capability.BOOK_EMPLOYEES):
        return True
    return EMPLOYEES.allows(user, booking.employee, Capability.BOOK_EMPLOYEES)
