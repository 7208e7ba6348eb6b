#!/usr/bin/env bash
# The date-sensitive tests (appointments and bookings, invoices' status, Info, reports,
# sessions, lock-out, reset and invitation links, two-factor) as if now were a Saturday, a
# Sunday, the night the clocks go forward and New Year's Eve late, each with PORTAL_TEST_NOW
# (tests/conftest.py); the audit trail and the mail queue's retries too. All four run; the
# script fails if any of them failed.
#
#   scripts/test_dates.sh                  # with .venv/bin/pytest, as `make test` made it
#   PYTEST=/path/to/pytest scripts/test_dates.sh -x
set -uo pipefail
cd "$(dirname "$0")/.."

PYTEST="${PYTEST:-.venv/bin/pytest}"
DATES=(
    2026-12-05T10:00 # a Saturday
    2026-12-06T12:00 # a Sunday
    2026-03-29T01:30 # the night the clocks go forward
    2026-12-31T23:30 # New Year's Eve, half an hour before the year turns
)
DATE_SENSITIVE=(
    tests/portal/appointments
    tests/portal/invoices
    tests/portal/info
    tests/portal/reports
    tests/portal/services
    tests/portal/test_numbering.py
    tests/portal/filters/test_invoice_search.py
    tests/security
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
