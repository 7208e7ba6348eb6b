"""Attendance from the health record system (EPJ): whether the employee came, recorded
through the service the admin's attendance buttons call, with its webhook
(`booking.attendance_set`) and audit event."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.models.appointments import Attendance
from portal.services import booking_attendance_set
from portal.services.bookings import booking_may_have_attendance_set_by

from .. import serializers
from ..problems import state_refusals_as_conflict
from ..scopes import Scope
from . import resources

#: `booking_attendance_set`'s codes for a booking whose state does not allow it now.
NOT_NOW = ("cancelled", "not_started")


class AttendanceSerializer(drf_serializers.Serializer):
    """A cancellation is not an attendance: cancelling is a booking's own step."""

    attendance = drf_serializers.ChoiceField(
        choices=[
            (value, label) for value, label in Attendance.choices if value != Attendance.CANCELLED
        ],
        help_text="attended, no_show, or booked to undo a recorded attendance.",
    )


class BookingViewSet(resources.BookingViewSet):
    """A customer's token sees the bookings of its own employees only; a token without a
    customer records attendance."""

    write_scope = Scope.APPOINTMENTS_WRITE
    action_problems = {"attendance": (409,)}

    @extend_schema(
        summary="Record attendance (staff)",
        request=AttendanceSerializer,
        responses={200: serializers.BookingSerializer},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Whether the employee came (attended / no_show), recorded after the appointment has
        started; booked undoes it. 409 for a cancelled booking or one not yet started."""
        booking = self.get_object()
        if not booking_may_have_attendance_set_by(request.user):
            raise PermissionDenied(_("Only the provider's staff may record attendance."))
        form = AttendanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with state_refusals_as_conflict(*NOT_NOW):
            booking_attendance_set(
                booking=booking,
                actor=request.user,
                attendance=form.validated_data["attendance"],
            )
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(self.get_serializer(booking).data)
