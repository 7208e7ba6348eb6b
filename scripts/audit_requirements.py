"""CI: known vulnerabilities in the pinned requirements (pip-audit), without making CI red
because the advisory database cannot be reached.

    python scripts/audit_requirements.py requirements.txt requirements-dev.txt

Exit 0: audited and clean, or SKIPPED because no advisory service answered (said plainly).
Exit 1: a pinned requirement has a known vulnerability (each is listed with its fix).
Exit 2: pip-audit itself failed for another reason (e.g. an unpinned or unreadable file).
Set AUDIT_REQUIRE_DATABASE=true to fail instead of skipping when no service answers.

pip-audit asks PyPI's JSON API (per release) first, then OSV. Where only a mirror of the
registry is reachable, PyPI answers "not found" for every package and OSV not at all: that is
"cannot reach the advisory database", not "no vulnerabilities".
"""

import json
import os
import subprocess
import sys

SERVICES = ("pypi", "osv")
TIMEOUT_SECONDS = 300
NETWORK_ERRORS = (
    "ConnectionError",
    "NameResolutionError",
    "Name or service not known",
    "Temporary failure in name resolution",
    "Max retries exceeded",
    "timed out",
    "Connection refused",
    "Network is unreachable",
    "SSLError",
)

OK, VULNERABLE, FAILED = 0, 1, 2


def pip_audit(requirement_files: list[str], service: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip"]
    for path in requirement_files:
        command += ["-r", path]
    command += ["--format", "json", "--progress-spinner", "off", "--vulnerability-service"]
    command += [service, "--timeout", "30"]
    return subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
        command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )


def classify(returncode: int, stdout: str, stderr: str) -> tuple[str, list, list, list]:
    """("vulnerable" | "audited" | "unreachable" | "error", vulnerable, audited, skipped)."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(marker in stderr for marker in NETWORK_ERRORS):
            return "unreachable", [], [], []
        return "error", [], [], []
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    if vulnerable:
        return "vulnerable", vulnerable, audited, skipped
    if dependencies and not audited:
        return "unreachable", [], [], skipped
    return "audited", [], audited, skipped


def describe(dependency: dict) -> list[str]:
    lines = [f"  {dependency['name']}=={dependency.get('version', '?')}"]
    for vuln in dependency.get("vulns", []):
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
        aliases = ", ".join(vuln.get("aliases") or [])
        lines.append(f"    {vuln['id']}{f' ({aliases})' if aliases else ''}: fixed in {fixes}")
    return lines


def main(requirement_files: list[str]) -> int:
    require_database = os.environ.get("AUDIT_REQUIRE_DATABASE", "").lower() == "true"
    tried = []
    for service in SERVICES:
        result = pip_audit(requirement_files, service)
        verdict, vulnerable, audited, skipped = classify(
            result.returncode, result.stdout, result.stderr
        )
        if verdict == "vulnerable":
            print(f"FAILED: known vulnerabilities in the pinned requirements ({service}):")
            for dependency in vulnerable:
                print("\n".join(describe(dependency)))
            return VULNERABLE
        if verdict == "audited":
            print(f"OK: {len(audited)} pinned requirements audited against {service}: none known.")
            for dependency in skipped:
                print(f"  not audited: {dependency['name']}: {dependency['skip_reason']}")
            return OK
        if verdict == "error":
            print(f"FAILED: pip-audit could not audit {', '.join(requirement_files)}:")
            print(result.stderr.strip()[-2000:])
            return FAILED
        tried.append(service)
    print(
        "SKIPPED: cannot reach the advisory database "
        f"(tried {', '.join(tried)}: none answered for any package). "
        "The pinned requirements were NOT checked for known vulnerabilities."
    )
    return FAILED if require_database else OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt"]))
