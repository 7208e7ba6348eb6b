#!/usr/bin/env bash
# Schemathesis's property-based tests against a live server: every operation of the API's
# OpenAPI document, with a staff token (every customer) and with a token restricted to
# Testbedriften AS. Fails on any 500 or any answer that does not match the document (status,
# content type, headers, body); prints the operations and test cases run for each token.
#
#   scripts/api_fuzz.sh                       # 25 examples an operation
#   API_FUZZ_EXAMPLES=100 scripts/api_fuzz.sh
#
# It runs on a database of its own (a temporary SQLite file with the demo), so it touches
# nothing of yours.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${API_FUZZ_PORT:-8139}"
EXAMPLES="${API_FUZZ_EXAMPLES:-25}"
WORK="$(mktemp -d)"
export DJANGO_SETTINGS_MODULE=config.settings.dev
export DATABASE_URL="sqlite:///$WORK/api_fuzz.sqlite3"
# The fuzzer sends thousands of requests a minute: the per-token limit is not under test here.
export API_RATE_PER_TOKEN="1000000/min"
export EMAIL_FILE_PATH="$WORK/mail" SMS_FILE_PATH="$WORK/sms"

$PY manage.py migrate -v0
$PY manage.py load_demo >/dev/null
scopes=(--scope customers:read --scope orders:read --scope orders:write
        --scope appointments:read --scope appointments:write
        --scope employees:read --scope employees:write
        --scope invoices:read --scope invoices:write)
staff_token="$($PY manage.py issue_api_token "Schemathesis (staff)" --by admin "${scopes[@]}" \
    --scope audit:read)"
customer_token="$($PY manage.py issue_api_token "Schemathesis (Testbedriften)" --by admin \
    --customer "Testbedriften AS" "${scopes[@]}")"

$PY manage.py runserver --noreload "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$WORK"' EXIT

status=0
for who in staff customer; do
    token_var="${who}_token"
    echo "== Schemathesis with the $who token"
    .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/schema/" \
        --wait-for-schema 60 \
        --header "Authorization: Bearer ${!token_var}" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
        --max-examples "$EXAMPLES" \
        --workers 1 \
        --seed 27 \
        --generation-database none \
        --no-color \
        --report ndjson --report-dir "$WORK/report-$who" \
        | tee "$WORK/$who.txt" || status=1
    echo "== $who token, operations and test cases run:"
    sed -n '/ SUMMARY /,$p' "$WORK/$who.txt" | grep -A4 -E '^(API Operations|Test cases):'
done
if grep -q "Traceback" "$WORK/server.log"; then
    echo "== the server logged a traceback:"
    grep -A30 "Traceback" "$WORK/server.log" | head -80
    status=1
fi
exit "$status"
