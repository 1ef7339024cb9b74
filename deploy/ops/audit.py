"""Audit the locked dependencies for known vulnerabilities: ``uv export`` of uv.lock, then pip-audit.

    python -m deploy.ops.audit                    every dependency group (what CI and developers install)
    python -m deploy.ops.audit --no-dev           only what the services run in production
    python -m deploy.ops.audit --allow-unaudited  a package the vulnerability service cannot look up is a warning

Exit status: 0 when no known vulnerability affects a locked version; 1 when one
does (and is not in ``IGNORED``); 2 when the audit is incomplete: pip-audit says
"No known vulnerabilities found" even when it could look up none of the packages,
so packages it skipped fail the audit unless ``--allow-unaudited``; 3 when uv or
pip-audit could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Known vulnerabilities accepted on purpose: id (as pip-audit prints it) -> why it does not apply, and until when.
# An entry needs a reason someone can check; remove it once the fixed version is locked.
IGNORED: dict[str, str] = {}

VULNERABLE, INCOMPLETE, BROKEN = 1, 2, 3


@dataclass(frozen=True)
class Vulnerability:
    package: str
    version: str
    id: str
    fix_versions: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        fixed = ", ".join(self.fix_versions) or "no fixed version yet"
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.package} {self.version}: {self.id}{also}; fixed in {fixed}"


@dataclass
class Audit:
    """What pip-audit found, with the accepted vulnerabilities set apart."""

    audited: list[str] = field(default_factory=list)
    unaudited: dict[str, str] = field(default_factory=dict)  # package -> why it could not be looked up
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    ignored: list[tuple[Vulnerability, str]] = field(default_factory=list)

    def exit_status(self, *, allow_unaudited: bool = False) -> int:
        """Return 1 for a known vulnerability, 2 for an incomplete audit (unless allowed), else 0."""
        if self.vulnerabilities:
            return VULNERABLE
        if self.unaudited and not allow_unaudited:
            return INCOMPLETE
        return 0

    def render(self) -> str:
        """Return the findings as text, vulnerabilities first."""
        lines = [f"{len(self.audited)} packages audited, {len(self.unaudited)} could not be looked up."]
        if self.vulnerabilities:
            lines.append(f"{len(self.vulnerabilities)} known vulnerabilities:")
            lines += [f"  {v}" for v in self.vulnerabilities]
        else:
            lines.append("No known vulnerability in the audited packages.")
        if self.ignored:
            lines.append("Accepted (see IGNORED in deploy/ops/audit.py):")
            lines += [f"  {v} — {reason}" for v, reason in self.ignored]
        if self.unaudited:
            lines.append("Not audited:")
            lines += [f"  {name}: {reason}" for name, reason in sorted(self.unaudited.items())]
        return "\n".join(lines)


def read_report(report: Mapping[str, Any], ignored: Mapping[str, str] = IGNORED) -> Audit:
    """Return the audit described by pip-audit's JSON report (``--format json``)."""
    audit = Audit()
    for dependency in report.get("dependencies", []):
        name = str(dependency["name"])
        if "skip_reason" in dependency:
            audit.unaudited[name] = str(dependency["skip_reason"])
            continue
        audit.audited.append(name)
        for found in dependency.get("vulns", []):
            vulnerability = Vulnerability(
                package=name,
                version=str(dependency.get("version", "?")),
                id=str(found["id"]),
                fix_versions=tuple(found.get("fix_versions", [])),
                aliases=tuple(found.get("aliases", [])),
            )
            reason = next((ignored[i] for i in (vulnerability.id, *vulnerability.aliases) if i in ignored), None)
            if reason is None:
                audit.vulnerabilities.append(vulnerability)
            else:
                audit.ignored.append((vulnerability, reason))
    return audit


def uv_executable() -> str:
    """Return the uv command: $UV, on the PATH, or where the Makefile installs it."""
    return os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")


def locked_requirements(*, dev: bool) -> str:
    """Return the pinned requirements of uv.lock (the project itself left out)."""
    groups = ["--all-groups"] if dev else ["--no-dev"]
    command = [uv_executable(), "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-header", *groups]
    exported = subprocess.run(  # noqa: S603 - uv with our own arguments
        command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    return exported.stdout


def pip_audit(requirements: Path, *, timeout_s: float) -> dict[str, Any]:
    """Return pip-audit's JSON report on a pinned requirements file."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(requirements),
        "--no-deps",  # every dependency is pinned by uv.lock already
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    # pip-audit exits 1 when it finds a vulnerability: the report, not the status, says what happened.
    done = subprocess.run(  # noqa: S603 - this interpreter's pip-audit with our own arguments
        command, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    if not done.stdout.strip():
        raise RuntimeError(f"pip-audit printed no report (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-dev", action="store_true", help="audit only the production dependencies")
    parser.add_argument("--allow-unaudited", action="store_true", help="packages not looked up are a warning only")
    parser.add_argument("--timeout", type=float, default=600, help="seconds pip-audit may take")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            requirements = Path(scratch) / "requirements.txt"
            requirements.write_text(locked_requirements(dev=not args.no_dev))
            report = pip_audit(requirements, timeout_s=args.timeout)
    except (OSError, subprocess.SubprocessError, RuntimeError, json.JSONDecodeError) as error:
        print(f"audit could not run: {type(error).__name__}: {error}", file=sys.stderr)
        return BROKEN
    audit = read_report(report)
    print(audit.render())
    status = audit.exit_status(allow_unaudited=args.allow_unaudited)
    if status == INCOMPLETE:
        print(
            "The audit is incomplete: the vulnerability service could not be asked about some packages "
            "(pass --allow-unaudited to accept that).",
            file=sys.stderr,
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
