#!/usr/bin/env bash
# The date-sensitive tests (appointments and bookings, invoices' status, Info, reports,
# sessions, lock-out, reset and invitation links, two-factor, the employee's own pages) as if
# now were a Saturday, a Sunday just after midnight, the night the clocks go forward and New
# Year's Eve late, each with PORTAL_TEST_NOW (tests/conftest.py); the audit trail and the mail
# queue's retries too. All four run; the script fails if any of them failed.
#
# The Sunday is at 00:30 in Oslo, which is still Saturday in UTC: a date worked out in the
# machine's zone (UTC on servers and in CI) rather than Norway's is a day off then.
#
#   scripts/test_dates.sh                  # with .venv/bin/pytest, as `make test` made it
#   PYTEST=/path/to/pytest scripts/test_dates.sh -x
#   TEST_DATES="2026-12-05T10:00 2026-12-31T23:30" scripts/test_dates.sh   # some of them
set -uo pipefail
cd "$(dirname "$0")/.."

PYTEST="${PYTEST:-.venv/bin/pytest}"
DATES=(
    2026-12-05T10:00 # a Saturday
    2026-12-06T00:30 # a Sunday just after midnight (Saturday 23:30 in UTC)
    2026-03-29T01:30 # the night the clocks go forward
    2026-12-31T23:30 # New Year's Eve, half an hour before the year turns
)
if [[ -n "${TEST_DATES:-}" ]]; then
    read -r -a DATES <<<"$TEST_DATES"
fi
DATE_SENSITIVE=(
    # Appointments and bookings, invoices: their pages, services and rules.
    tests/portal/admin/test_appointment_pages.py
    tests/portal/admin/test_appointment_full.py
    tests/portal/admin/test_book_employee_dialog.py
    tests/portal/admin/test_book_on_appointments.py
    tests/portal/admin/test_booking_page.py
    tests/portal/admin/test_invoice_pages.py
    tests/portal/admin/test_invoice_staff_form.py
    tests/portal/admin/test_invoice_export.py
    tests/portal/admin/test_invoice_import.py
    tests/portal/services
    --ignore=tests/portal/services/test_employees.py
    tests/portal/selectors
    tests/portal/models/test_invoice_status.py
    tests/portal/models/test_numbering.py
    tests/portal/models/test_staff_profile.py
    tests/portal/test_calendar.py
    tests/portal/test_kid.py
    tests/portal/test_invoices_pdf.py
    tests/portal/filters/test_invoice_search.py
    # The employee's own pages: bookings, the health questionnaire and its receipt.
    tests/portal/test_employee_page.py
    tests/health/test_employee_form.py
    # The demo's part dated from today.
    tests/portal/test_demo_enrich.py
    tests/portal/management/test_load_demo.py
    # Info, reports.
    tests/portal/dashboard
    tests/portal/reports
    # Sign-in, sessions, lock-out, reset links, two-factor; the headers on every answer.
    tests/accounts
    tests/config/test_headers.py
    tests/config/test_headers_everywhere.py
    tests/audit
    tests/background
    tests/permissions
    # Every page for every user: access, not dates, and a quarter of the time.
    --ignore=tests/permissions/test_crawl.py
    --ignore=tests/permissions/test_matrix.py
)

failed=()
for now in "${DATES[@]}"; do
    echo "== tests as if now were $now"
    if ! PORTAL_TEST_NOW="$now" "$PYTEST" -q "${DATE_SENSITIVE[@]}" "$@"; then
        failed+=("$now")
    fi
done

if ((${#failed[@]})); then
    echo "== the date-sensitive tests failed as if now were: ${failed[*]}"
    exit 1
fi
echo "== the date-sensitive tests passed on every date"
