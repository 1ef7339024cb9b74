"""The browser tests' accessibility scan asks the bundled axe-core for WCAG 2.2 AA: tag names it
knows, and target size, a rule axe leaves off unless its tag is named."""

from __future__ import annotations

import re

from axe_playwright_python.base import AXE_SCRIPT

from tests.e2e.browser import AXE_OPTIONS, AXE_TAGS, CLIENT_ROUTES, client_route

# Each rule of the minified axe: its id, whether it runs by default, and its tags.
RULE = re.compile(r'\{id:"([a-z0-9-]+)",(?:(?!id:")[^{}])*?tags:\[([^\]]*)\]')


def bundled_rules() -> dict[str, tuple[bool, set[str]]]:
    rules = {}
    for match in RULE.finditer(AXE_SCRIPT):
        body = match.group(0)
        rules[match.group(1)] = ("enabled:!1" not in body, set(re.findall(r'"([^"]+)"', match.group(2))))
    return rules


def test_the_scan_names_tags_the_bundled_axe_knows_and_runs_target_size() -> None:
    rules = bundled_rules()
    assert len(rules) > 80, "the bundled axe's rules were read"
    known = set().union(*(tags for _, tags in rules.values()))
    assert set(AXE_TAGS) <= known, f"unknown to this axe: {set(AXE_TAGS) - known}"
    assert AXE_OPTIONS["runOnly"] == {"type": "tag", "values": list(AXE_TAGS)}
    enabled, tags = rules["target-size"]
    assert not enabled, "target-size is off by default: only naming its tag runs it"
    assert "wcag22aa" in tags and "wcag22aa" in AXE_TAGS


def test_a_scanned_address_is_named_by_its_client_route() -> None:
    assert "/market/:rome/:departement" in CLIENT_ROUTES and "/help-requests" not in CLIENT_ROUTES  # a redirect
    assert client_route("http://127.0.0.1:8000/") == "/"
    assert client_route("http://127.0.0.1:8000/market") == "/market"
    assert client_route("http://127.0.0.1:8000/market/D1202/69?x=1#y") == "/market/:rome/:departement"
    assert client_route("http://127.0.0.1:8000/onboarding/job/") == "/onboarding/:step"
    assert client_route("http://127.0.0.1:8000/plan/unknown/deep") == "(not found)"
