"""Appointments and their bookings, on the days the orders planned for them."""

import datetime
import time

from portal.models import Appointment, Booking
from portal.models.appointments import Attendance

from .base import WorldBase
from .names import APPOINTMENT_INSTRUCTIONS
from .orders import SLOT_MINUTES, SLOTS_PER_DAY
from .plan import DepartmentPlan, weighted, weighted_mean
from .writer import CHUNK


class AppointmentTables(WorldBase):
    """Appointments in the order's rooms and slots, and bookings of the department's active
    employees."""

    def _appointments(self) -> None:
        rng, s = self.rng, self.sizes
        appointment_id = self.writer.first_id(Appointment)
        booking_id = self.writer.first_id(Booking)
        appointment_columns = ("id", "order_id", "department_id", "starts_at", "ends_at",
                               "location", "capacity", "booking_deadline", "instructions",
                               "is_cancelled")  # fmt: skip
        booking_columns = ("id", "appointment_id", "employee_id", "booked_by_id", "booked_at",
                           "attendance", "cancelled_by_id", "cancelled_at", "calendar_sequence",
                           "mail_failed_at")  # fmt: skip
        capacities = ((0.35, 1), (0.55, 2), (0.7, 3), (0.85, 4), (0.95, 6), (1, 10))
        fill = min(1.0, s.bookings / max(1, s.appointments * weighted_mean(capacities)))
        pointer = [0] * len(self.departments)  # where each department's next booking starts
        appointments, bookings = [], []
        started = time.perf_counter()
        for position, (i, (_first, count, rooms)) in enumerate(sorted(self.schedule.items())):
            d = self.o_department[i]
            department = self.departments[d]
            customer = self.customers[department.customer]
            order_day = datetime.date.fromordinal(self.o_day[i])
            opened = min(self._office_time(order_day + datetime.timedelta(days=8)), self.now)
            days = self._days_of(i)
            free = department.active  # distinct employees this order may still book
            instructions = rng.choice(APPOINTMENT_INSTRUCTIONS)
            for j in range(count):
                day_index, rest = divmod(j, SLOTS_PER_DAY * rooms)
                slot, room = divmod(rest, rooms)
                day = datetime.date.fromordinal(days[day_index])
                starts_at = self._at(day, 8 * 60 + slot * SLOT_MINUTES)
                ends_at = starts_at + datetime.timedelta(minutes=SLOT_MINUTES - 5)
                deadline = starts_at - datetime.timedelta(days=1)
                capacity = weighted(rng, capacities)
                cancelled = rng.random() < 0.02
                location = department.city + (f", rom {room + 1}" if rooms > 1 else "")
                appointments.append((
                    appointment_id, self.first_order_id + i, department.id, starts_at, ends_at,
                    location, capacity, deadline, instructions, cancelled,
                ))  # fmt: skip
                past = ends_at <= self.now
                wanted = min(capacity, round(capacity * fill * rng.uniform(0.6, 1.4)), free)
                cancelled_at = None
                if cancelled:
                    cancelled_at = self._later(opened, 24, 24 * 20)
                    if cancelled_at >= starts_at:
                        cancelled_at = starts_at - datetime.timedelta(hours=rng.randint(2, 48))
                for _seat in range(wanted):
                    index = self._next_active(department, pointer, d)
                    free -= 1
                    booked_by = (
                        rng.choice(customer.bookers)
                        if rng.random() < 0.8
                        else customer.account_manager
                    )
                    high = min(deadline, self.now, cancelled_at or self.now)
                    booked_at = opened + (high - opened) * rng.random() if high > opened else high
                    attendance, by, at, sequence = Attendance.BOOKED, None, None, 0
                    if cancelled:
                        attendance, by, at, sequence = (
                            Attendance.CANCELLED, customer.account_manager, cancelled_at, 1
                        )  # fmt: skip
                    elif rng.random() < 0.05:
                        attendance, by = Attendance.CANCELLED, booked_by
                        at, sequence = self._later(booked_at, 1, 24 * 14), 1
                        at = min(at, starts_at - datetime.timedelta(minutes=30))
                    elif past:
                        attendance = weighted(rng, ((0.93, Attendance.ATTENDED),
                                                     (1, Attendance.NO_SHOW)))  # fmt: skip
                    bookings.append((
                        booking_id, appointment_id, self.first_employee_id + index, booked_by,
                        booked_at, attendance.value, by, at, sequence, None,
                    ))  # fmt: skip
                    booking_id += 1
                appointment_id += 1
            if len(appointments) >= CHUNK or position == len(self.schedule) - 1:
                started = self._write_chunk(
                    started,
                    ("appointments", Appointment, appointment_columns, appointments),
                    ("bookings", Booking, booking_columns, bookings),
                )
        self._done("appointments", "bookings")

    def _next_active(self, department: DepartmentPlan, pointer: list[int], d: int) -> int:
        """The department's next active employee, round the department: every employee is
        booked once before anyone twice."""
        while True:
            index = department.first_employee + pointer[d]
            pointer[d] = (pointer[d] + 1) % department.employees
            if self.active[index]:
                return index
