"""The series generator: back to back slots in Norwegian time, the lunch break left out,
and exactly as long as asked on the days the clocks change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from portal.services.appointments import appointment_series_times

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


def t(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def local_times(slots):
    return [(s.strftime("%H:%M"), e.strftime("%H:%M")) for s, e in slots]


def durations(slots):
    """Real durations. (Subtracting two datetimes in the same zone gives the wall-clock
    difference in Python, which is wrong across a clock change.)"""
    return {e.astimezone(UTC) - s.astimezone(UTC) for s, e in slots}


def test_every_20_minutes_from_8_to_15_with_lunch_leaves_out_the_break():
    # given a day 08:00–15:00, every 20 minutes, lunch 11:30–12:00
    slots = appointment_series_times(
        day=datetime.date(2026, 5, 12),
        start=t("08:00"),
        end=t("15:00"),
        every_minutes=20,
        lunch_start=t("11:30"),
        lunch_end=t("12:00"),
    )

    times = local_times(slots)
    # then the morning runs to 11:20, no slot touches the break, and the afternoon starts at 12:00
    assert times[0] == ("08:00", "08:20")
    assert ("11:00", "11:20") in times
    assert ("11:20", "11:40") not in times
    assert ("12:00", "12:20") in times
    assert times[-1] == ("14:40", "15:00")
    assert all(not ("11:30" <= s < "12:00" or "11:30" < e <= "12:00") for s, e in times)
    assert len(slots) == 10 + 9  # 08:00–11:20 and 12:00–15:00
    assert durations(slots) == {datetime.timedelta(minutes=20)}
    # and they are Norwegian summer time (UTC+2) on 12 May
    assert slots[0][0].astimezone(UTC) == datetime.datetime(2026, 5, 12, 6, 0, tzinfo=UTC)


def test_after_a_lunch_break_off_the_grid_the_next_slot_starts_when_lunch_ends():
    slots = appointment_series_times(
        day=datetime.date(2026, 5, 12),
        start=t("08:00"),
        end=t("13:00"),
        every_minutes=30,
        lunch_start=t("11:15"),
        lunch_end=t("11:45"),
    )

    assert local_times(slots) == [
        ("08:00", "08:30"),
        ("08:30", "09:00"),
        ("09:00", "09:30"),
        ("09:30", "10:00"),
        ("10:00", "10:30"),
        ("10:30", "11:00"),
        ("11:45", "12:15"),
        ("12:15", "12:45"),
    ]


def test_without_lunch_the_day_is_back_to_back_and_the_last_slot_ends_by_the_end():
    slots = appointment_series_times(
        day=datetime.date(2026, 5, 12), start=t("08:00"), end=t("09:10"), every_minutes=20
    )

    assert local_times(slots) == [("08:00", "08:20"), ("08:20", "08:40"), ("08:40", "09:00")]


def test_on_29_march_2026_a_working_day_is_summer_time():
    # the clocks go forward at 02:00 on 29.03.2026
    slots = appointment_series_times(
        day=datetime.date(2026, 3, 29),
        start=t("08:00"),
        end=t("15:00"),
        every_minutes=20,
        lunch_start=t("11:30"),
        lunch_end=t("12:00"),
    )

    assert len(slots) == 19
    assert slots[0][0].astimezone(UTC) == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert slots[-1][1].astimezone(UTC) == datetime.datetime(2026, 3, 29, 13, 0, tzinfo=UTC)
    assert durations(slots) == {datetime.timedelta(minutes=20)}


def test_on_29_march_2026_a_night_series_skips_the_hour_that_does_not_exist():
    # given a night shift series 01:00–04:00 across the change (02:00 becomes 03:00)
    slots = appointment_series_times(
        day=datetime.date(2026, 3, 29), start=t("01:00"), end=t("04:00"), every_minutes=30
    )

    # then there are two real hours of slots, none at 02:xx, each exactly 30 minutes
    assert local_times(slots) == [
        ("01:00", "01:30"),
        ("01:30", "03:00"),
        ("03:00", "03:30"),
        ("03:30", "04:00"),
    ]
    assert durations(slots) == {datetime.timedelta(minutes=30)}
    assert [s.utcoffset() for s, _ in slots] == [
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=2),
    ]


def test_on_25_october_2026_a_working_day_is_winter_time():
    # the clocks go back at 03:00 on 25.10.2026
    slots = appointment_series_times(
        day=datetime.date(2026, 10, 25), start=t("08:00"), end=t("15:00"), every_minutes=20
    )

    assert len(slots) == 21
    assert slots[0][0].astimezone(UTC) == datetime.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    assert slots[-1][1].astimezone(UTC) == datetime.datetime(2026, 10, 25, 14, 0, tzinfo=UTC)
    assert durations(slots) == {datetime.timedelta(minutes=20)}


def test_on_25_october_2026_a_night_series_has_the_repeated_hour_twice():
    slots = appointment_series_times(
        day=datetime.date(2026, 10, 25), start=t("01:00"), end=t("04:00"), every_minutes=30
    )

    # four real hours: 02:00 and 02:30 come twice, first in summer time, then in winter time
    assert [s.strftime("%H:%M%z") for s, _ in slots] == [
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
    ]
    assert durations(slots) == {datetime.timedelta(minutes=30)}
    starts = [s.astimezone(UTC) for s, _ in slots]
    assert starts == sorted(set(starts))  # distinct moments, in order


@pytest.mark.parametrize(
    ("day", "field", "start", "end", "code"),
    [
        (datetime.date(2026, 3, 29), "start", "02:30", "05:00", "nonexistent_time"),
        (datetime.date(2026, 10, 25), "start", "02:30", "05:00", "ambiguous_time"),
        (datetime.date(2026, 10, 25), "end", "00:30", "02:15", "ambiguous_time"),
    ],
)
def test_a_time_the_clock_change_skips_or_repeats_is_refused(day, field, start, end, code):
    with pytest.raises(ValidationError) as refused:
        appointment_series_times(day=day, start=t(start), end=t(end), every_minutes=30)

    assert [error.code for error in refused.value.error_dict[field]] == [code]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": "15:00", "end": "08:00"}, "end"),
        ({"every_minutes": 3}, "every_minutes"),
        ({"lunch_start": "11:00"}, "lunch_end"),
        ({"lunch_start": "12:00", "lunch_end": "11:00"}, "lunch_end"),
    ],
)
def test_a_series_that_makes_no_sense_is_refused_on_its_field(kwargs, field):
    values = {"start": "08:00", "end": "15:00", "every_minutes": 20, **kwargs}
    for name in ("start", "end", "lunch_start", "lunch_end"):
        if name in values:
            values[name] = t(values[name])

    with pytest.raises(ValidationError) as refused:
        appointment_series_times(day=datetime.date(2026, 5, 12), **values)

    assert field in refused.value.message_dict
