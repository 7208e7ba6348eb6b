from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.models import Notification


@require_POST
def notification_open(request, pk):
    """Mark one of the user's own notifications read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        raise Http404
    return redirect(notification.link or "admin:index")


@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient_id=request.user.pk).unread().update(
        read_at=timezone.now()
    )
    return redirect("admin:index")
