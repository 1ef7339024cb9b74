"""No secret in the repository: every file git tracks (or would add) is scanned for credentials.

A small set of patterns, each for one kind of leak: private keys, cloud and
forge access keys, signed tokens (JWTs), passwords inside URLs, and long random
values given to a name that says secret, token, password or key. The values the
repository holds on purpose are listed in ``ALLOWED`` with the reason; anything
else that matches fails the test, naming the file and the line but not the value.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The sample secrets in this file are assembled at run time so that the scan of the repository
# does not find them here: "-----BEGIN " + "RSA PRIVATE KEY-----" is never written whole.
BEGIN = "-----BEGIN "

PATTERNS: dict[str, re.Pattern[str]] = {
    "private key": re.compile(BEGIN + r"(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"(?i)aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+=]{40}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Stripe live key": re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b"),
    # header.payload.signature, base64url; an unsigned token (alg none) has an empty signature.
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"),
    "password in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@\"'`]+:(?P<value>[^/\s@\"'`]{3,})@[^\s/\"'`]+"),
}

# A name that says it holds a secret, given a value: quoted (Python, YAML, JSON) or bare (.env, shell, YAML).
SECRET_NAME = (
    r"(?P<name>[\w.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key|"
    r"credential|(?:partner|signing|encryption|master|app)[_-]?keys?\b)[\w.-]*)"
)
ASSIGNED = re.compile(
    r"(?i)" + SECRET_NAME + r"[\"']?\s*(?::|=|:=)\s*"
    r"(?:[\"'](?P<quoted>[^\"'\s]{16,})[\"']|(?P<bare>[A-Za-z0-9+/=_-]{20,})(?:\s|$))"
)
# Random values have many different characters evenly used; words and placeholders have few.
MIN_ENTROPY_BITS = 3.5

# Values the repository holds on purpose: public knowledge, never accepted where a real secret is needed.
ALLOWED = {
    # shared/settings.py: the development defaults, refused by every environment but development.
    "development-only-secret-do-not-use-in-production",
    "development-only-internal-token",
    # tests/unit/gateway/test_tokens.py: keys that sign tokens inside its unit tests, nowhere else.
    "a-test-secret-that-is-long-enough-32b",
    "another-secret-of-32-characters!!",
    # tests/integration/test_traces.py: a made-up name the span scan searches for; no credential.
    "Théodule-Marcassin-7731",
}
# Paths whose content is not ours to judge (hashes of packages, by design high-entropy).
SKIPPED = {"uv.lock"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    hint: str  # the first characters only: the report must not spread the secret further

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} ({self.hint}…)"


def entropy(value: str) -> float:
    """Return the Shannon entropy of a string, in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_random(value: str) -> bool:
    """Return True for a value that looks like a generated secret rather than a word, a path or a placeholder."""
    if value in ALLOWED or value.startswith(("${", "{{", "<", "$(")) or "/" in value.strip("/"):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    return len(value) >= 20 and classes >= 2 and entropy(value) >= MIN_ENTROPY_BITS


def findings(text: str, path: str = "<text>") -> Iterator[Finding]:
    """Yield every credential-looking value of a text (allowed values left out)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in PATTERNS.items():
            for match in pattern.finditer(line):
                value = match.groupdict().get("value") or match.group(0)
                if value not in ALLOWED:
                    yield Finding(path, number, kind, match.group(0)[:12])
        for match in ASSIGNED.finditer(line):
            value = match.group("quoted") or match.group("bare")
            # A bare value is taken for a secret only when it mixes cases and digits, as generated ones do.
            mixed = all(re.search(p, value) for p in ("[a-z]", "[A-Z]", "[0-9]"))
            if looks_random(value) and (match.group("quoted") or mixed):
                yield Finding(path, number, f"random value given to {match.group('name')!r}", value[:4])


def repository_files(root: Path) -> list[Path]:
    """Return the files git tracks, and those it would add (untracked, not ignored)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail(f"cannot list the repository's files with git: {error}")
    names = sorted({name for name in listed.decode().split("\0") if name})
    return [root / name for name in names if name not in SKIPPED and (root / name).is_file()]


def text_of(path: Path) -> str | None:
    """Return a file's text, or None for a binary file (a NUL in its first 8 KiB)."""
    data = path.read_bytes()
    return None if b"\0" in data[:8192] else data.decode(errors="replace")


def scan(root: Path) -> list[Finding]:
    """Return the findings in every text file of the repository at ``root``."""
    return [
        finding
        for path in repository_files(root)
        if (text := text_of(path)) is not None
        for finding in findings(text, str(path.relative_to(root)))
    ]


def test_no_file_of_the_repository_holds_a_secret() -> None:
    assert len(repository_files(ROOT)) > 100, "git listed almost nothing: is this the repository?"
    found = scan(ROOT)
    assert found == [], "secrets in the repository (move them to the environment):\n" + "\n".join(map(str, found))


# The scanner itself: each kind of leak is found, and what the repository holds on purpose is not.
LEAKS = {
    "private key": BEGIN + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7",
    "openssh key": BEGIN + "OPENSSH PRIVATE KEY-----",
    "AWS key id": "aws_access_key_id = " + "AKIA" + "Q3EGRIEX7XZ4PLMA",
    "AWS secret": "aws_secret_access_key: " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz8Xq2Lk9Ar",
    "GitHub token": "token: " + "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "JWT": "Authorization: Bearer "
    + "eyJhbGciOiJIUzI1NiJ9"
    + ".eyJzdWIiOiJ1XzAxMjM0NTY3ODkifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
    "unsigned JWT": "eyJhbGciOiJub25lIn0" + ".eyJzdWIiOiJ1XzAxMjM0NTY3ODkifQ.",
    "password in a URL": "MONGODB_URL=mongodb://coach:" + "S3cr3t-Pa55w0rd@db.internal:27017/coach",
    "random secret in Python": 'SECRET_KEY = "' + "q8Zr2LpXv0TnB4wKc7YsMd1Hf9Ga6Je3" + '"',
    "random token in YAML": "internal_token: '" + "Zx81_kQpL0vR9s-TmW2yN4bC7dHf6JaE" + "'",
    "random password in JSON": '{"db_password": "' + "h7R!pQ2w#Lx9zK4m@Vb6" + '"}',
    "a secret pasted in an env file": "SECRET_KEY=" + "q8Zr2LpXv0TnB4wKc7YsMd1Hf9Ga6Je3",
    "a key pasted in YAML": "partner_key: " + "Zx81_kQpL0vR9s-TmW2yN4bC7dHf6JaE",
}
HARMLESS = {
    "a development default": 'DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"',
    "an environment reference": 'password: "${POSTGRES_PASSWORD}"',
    "a template": "secret_key: '{{ .Values.secretKey }}'",
    "a word": 'token_type = "bearer-access-token-type"',
    "a path": 'private_key_file = "/etc/coach/keys/partner.pem"',
    "a URL without a password": "KAFKA=kafka://broker.internal:9092/coach",
    "a URL with a user only": "https://someone@example.org/path",
    "a public key": BEGIN + "PUBLIC KEY-----",
    "a field name": "refresh_token: str = Field(max_length=200)",
    "an empty variable": "SECRET_KEY=",
    "a constant": "TOKEN_KIND=REFRESH_TOKEN_FAMILY_REVOKED",
    "a code expression": "secret_key=settings.secret_key.get_secret_value(),",
}


@pytest.mark.parametrize("text", LEAKS.values(), ids=LEAKS.keys())
def test_each_kind_of_leak_is_found(text: str) -> None:
    found = list(findings(text, "sample.txt"))
    assert found, f"the scan misses: {text[:30]}"
    assert all(text[20:] not in str(f) for f in found if len(text) > 40)  # the report shows a hint, not the value


@pytest.mark.parametrize("text", HARMLESS.values(), ids=HARMLESS.keys())
def test_what_is_no_secret_is_not_reported(text: str) -> None:
    assert list(findings(text)) == []


def test_a_private_key_about_to_be_committed_fails_the_scan(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("secrets.env\n")
    (tmp_path / "deploy.key").write_text(BEGIN + "RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lg\n")
    # Ignored by git, so never committed: not reported.
    (tmp_path / "secrets.env").write_text("SECRET_KEY=" + "q8Zr2LpXv0TnB4wKc7YsMd1Hf9Ga6Je3\n")
    (tmp_path / "settings.py").write_text('DEVELOPMENT_INTERNAL_TOKEN = "development-only-internal-token"\n')
    assert [(f.path, f.line, f.kind) for f in scan(tmp_path)] == [("deploy.key", 1, "private key")]
