"""The dependency audit: a known vulnerability fails it, an accepted one does not, an unchecked package is no pass."""

from __future__ import annotations

from typing import Any

from deploy.ops.audit import INCOMPLETE, VULNERABLE, read_report

# pip-audit's JSON report (--format json), as version 2.10 prints it.
CLEAN = {"name": "httpx", "version": "0.28.1", "vulns": []}
VULNERABLE_JINJA = {
    "name": "jinja2",
    "version": "2.10",
    "vulns": [
        {"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"], "aliases": ["CVE-2019-10906"], "description": "..."}
    ],
}
SKIPPED = {
    "name": "aiokafka",
    "skip_reason": "Dependency not found on PyPI and could not be audited: aiokafka (0.14.0)",
}


def report(*dependencies: dict[str, Any]) -> dict[str, Any]:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_known_vulnerability_fails_the_audit_and_is_shown_with_its_fix() -> None:
    audit = read_report(report(CLEAN, VULNERABLE_JINJA), ignored={})
    assert audit.exit_status() == VULNERABLE
    assert "jinja2 2.10: PYSEC-2019-217 (CVE-2019-10906); fixed in 2.10.1" in audit.render()
    assert audit.audited == ["httpx", "jinja2"]


def test_an_accepted_vulnerability_passes_with_its_reason_shown() -> None:
    # Accepted by an alias as well as by pip-audit's own id.
    audit = read_report(report(VULNERABLE_JINJA), ignored={"CVE-2019-10906": "templates are ours, never users'"})
    assert audit.exit_status() == 0
    assert audit.vulnerabilities == []
    assert "templates are ours, never users'" in audit.render()


def test_a_package_nobody_could_look_up_makes_the_audit_incomplete() -> None:
    # pip-audit itself prints "No known vulnerabilities found" here: that is no all-clear.
    audit = read_report(report(CLEAN, SKIPPED), ignored={})
    assert audit.exit_status() == INCOMPLETE
    assert audit.exit_status(allow_unaudited=True) == 0
    assert "aiokafka: Dependency not found on PyPI" in audit.render()


def test_a_vulnerability_fails_even_when_unaudited_packages_are_allowed() -> None:
    audit = read_report(report(VULNERABLE_JINJA, SKIPPED), ignored={})
    assert audit.exit_status(allow_unaudited=True) == VULNERABLE


def test_a_clean_report_passes() -> None:
    assert read_report(report(CLEAN), ignored={}).exit_status() == 0
