from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.models import Notification
from portal.services.notifications import notifications_mark_read


@require_POST
def notification_open(request, pk):
    """Mark one of the user's own notifications read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notifications_mark_read(Notification.objects.filter(pk=notification.pk))
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        raise Http404
    return redirect(notification.link or "admin:index")


@require_POST
def notification_read_all(request):
    notifications_mark_read(Notification.objects.filter(recipient_id=request.user.pk))
    return redirect("admin:index")
