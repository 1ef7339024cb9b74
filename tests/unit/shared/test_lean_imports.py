"""Optional modules the services never run stay out of their processes; everything else still imports."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shared.lean_imports import without
from tests.support.system import ROOT


def test_a_module_reads_absent_only_while_the_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lean_probe.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with without("lean_probe"), pytest.raises(ModuleNotFoundError):
        importlib.import_module("lean_probe")
    assert "lean_probe" not in sys.modules
    assert importlib.import_module("lean_probe").VALUE == 1
    monkeypatch.delitem(sys.modules, "lean_probe")


def test_a_module_already_imported_is_left_alone() -> None:
    with without("json"):
        assert importlib.import_module("json") is json
    assert sys.modules["json"] is json


def test_the_services_import_neither_the_httpx_command_line_nor_cryptography_nor_zxcvbn() -> None:
    # A fresh interpreter: the test process itself may have imported any of them already.
    code = (
        "import json, sys\n"
        "from datetime import UTC, datetime\n"
        "import services.gateway.bootstrap, services.profile.bootstrap, services.gateway.tokens as tokens\n"
        "import jwt\n"
        "names = ('httpx._main', 'rich', 'pygments', 'cryptography', 'zxcvbn')\n"
        "principal = tokens.Principal('u1', 'job-seeker')\n"
        "token = tokens.issue_access_token(principal, secret='s' * 32, now=datetime.now(UTC), minutes=5)\n"
        "print(json.dumps({'loaded': [n for n in names if sys.modules.get(n) is not None],\n"
        "    'algorithms': sorted(jwt.algorithms.get_default_algorithms()),\n"
        "    'read': tokens.read_access_token(token, secret='s' * 32) is not None}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded"] == []
    assert "HS256" in result["algorithms"]
    assert "RS256" not in result["algorithms"]
    assert result["read"] is True
