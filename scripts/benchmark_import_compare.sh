#!/usr/bin/env bash
# The employee import benchmark of an earlier revision and of this checkout, one after the
# other on this machine, on the same kind of file:
#
#     scripts/benchmark_import_compare.sh 1935a62 [--rows 10000] [--writer excel|openpyxl]
#
# Each side runs its own `benchmark_import --skip-default --skip-memory` on a fresh SQLite
# database. An older `benchmark_import` without --writer is given this checkout's
# devtools/excel_files.py: its openpyxl file is opened and saved again as Excel saves it.
# The earlier revision is checked out in a temporary worktree that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
before=${1:?"which revision to compare with, e.g. 1935a62"}
shift
rows=10000
writer=excel
while [[ $# -gt 0 ]]; do
    case $1 in
        --rows) rows=$2; shift 2 ;;
        --writer) writer=$2; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach --quiet "$work/before" "$before"

run() {  # run <tree> <label>
    local tree=$1 label=$2
    export DATABASE_URL="sqlite:///$work/$label.sqlite3" DJANGO_SETTINGS_MODULE=config.settings.dev
    (cd "$tree" && "$here/.venv/bin/python" manage.py migrate --no-input --skip-checks -v 0)
    echo "== $label: $(git -C "$tree" log -1 --format='%h %s')"
    (cd "$tree" && "$here/.venv/bin/python" manage.py shell --no-imports -c "
import importlib.util, io
from django.core.management import call_command, get_commands, load_command_class
from openpyxl import load_workbook

command = load_command_class(get_commands()['benchmark_import'], 'benchmark_import')
options = {'rows': $rows, 'skip_default': True, 'skip_memory': True}
parser = command.create_parser('manage.py', 'benchmark_import')
if '--writer' in parser.format_help():
    options['writer'] = '$writer'
elif '$writer' == 'excel':
    spec = importlib.util.spec_from_file_location('excel_files', '$here/devtools/excel_files.py')
    excel_files = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(excel_files)
    openpyxl_file = type(command).file

    def file(self, records):
        content = openpyxl_file(self, records)
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return excel_files.excel_workbook(list(sheet.values))

    type(command).file = file
    print('(its openpyxl file saved again as Excel saves it)')
call_command(command, **options)
" 2>&1 | grep -v -e '^System check' -e 'W040' -e 'HINT' -e '^WARNINGS' -e '^$' -e 'silenced)')
}

run "$work/before" before
run "$here" after
