"""The CI step for known vulnerabilities: fails on a finding, says SKIPPED (and passes) when
the advisory database cannot be reached, and fails on a broken requirements file."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_requirements.py"
spec = importlib.util.spec_from_file_location("audit_requirements", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _result(stdout="", stderr="", returncode=0):
    return subprocess.CompletedProcess([], returncode, stdout=stdout, stderr=stderr)


def _report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [
        {"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-1"]},
    ],
}
NOT_ON_PYPI = {
    "name": "django",
    "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)",
}
OSV_DOWN = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): "
    "Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))"
)


@pytest.fixture
def answers(monkeypatch):
    """`answers({"pypi": result, "osv": result})`: what pip-audit says per service."""

    def _set(by_service):
        monkeypatch.setattr(audit, "pip_audit", lambda files, service: by_service[service])

    return _set


def test_a_known_vulnerability_fails(answers, capsys):
    answers({"pypi": _result(_report(VULNERABLE, CLEAN), returncode=1)})

    assert audit.main(["requirements.txt"]) == audit.VULNERABLE
    out = capsys.readouterr().out
    assert "FAILED" in out and "PYSEC-2025-1" in out and "5.2.2" in out


def test_clean_requirements_pass(answers, capsys):
    answers({"pypi": _result(_report(CLEAN))})

    assert audit.main(["requirements.txt"]) == audit.OK
    assert capsys.readouterr().out.startswith("OK")


def test_an_unreachable_database_is_reported_as_skipped_not_as_clean(answers, capsys):
    answers(
        {
            "pypi": _result(_report(NOT_ON_PYPI)),
            "osv": _result("", OSV_DOWN, returncode=1),
        }
    )

    assert audit.main(["requirements.txt"]) == audit.OK
    out = capsys.readouterr().out
    assert out.startswith("SKIPPED: cannot reach the advisory database")
    assert "NOT checked" in out


def test_the_second_service_is_asked_when_the_first_cannot_answer(answers, capsys):
    answers(
        {
            "pypi": _result(_report(NOT_ON_PYPI)),
            "osv": _result(_report(VULNERABLE), returncode=1),
        }
    )

    assert audit.main(["requirements.txt"]) == audit.VULNERABLE


def test_an_unreachable_database_can_be_made_to_fail(answers, monkeypatch):
    monkeypatch.setenv("AUDIT_REQUIRE_DATABASE", "true")
    answers({"pypi": _result("", OSV_DOWN, 1), "osv": _result("", OSV_DOWN, 1)})

    assert audit.main(["requirements.txt"]) == audit.FAILED


def test_a_broken_requirements_file_fails(answers, capsys):
    answers({"pypi": _result("", "ERROR: requirement django is not pinned", returncode=1)})

    assert audit.main(["requirements.txt"]) == audit.FAILED
    assert "could not audit" in capsys.readouterr().out


def test_ci_runs_the_step():
    ci = (SCRIPT.parents[1] / ".ci" / "run").read_text()
    assert "scripts/audit_requirements.py requirements.txt requirements-dev.txt" in ci
    assert "check --deploy" in ci


def test_the_new_libraries_are_pinned():
    root = SCRIPT.parents[1]
    runtime = (root / "requirements.txt").read_text().splitlines()
    dev = (root / "requirements-dev.txt").read_text().splitlines()
    for name in ("django-axes", "django-otp", "qrcode", "django-csp"):
        assert any(line.startswith(f"{name}==") for line in runtime), name
    assert any(line.startswith("pip-audit==") for line in dev)
