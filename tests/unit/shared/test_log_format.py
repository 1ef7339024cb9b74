"""Logs: one short human line per event at a terminal, JSON lines anywhere else or when asked."""

from __future__ import annotations

import io
import logging

from shared.telemetry import HumanLogFormatter, JsonLogFormatter, log_format


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    entry = logging.LogRecord("shared.service", level, __file__, 1, message, None, None)
    entry.service = "diagnostic"
    return entry


def test_a_terminal_gets_human_lines_and_anything_else_json() -> None:
    assert log_format({}, Terminal()) == "human"
    assert log_format({}, io.StringIO()) == "json"
    assert log_format({"LOG_FORMAT": "json"}, Terminal()) == "json"
    assert log_format({"LOG_FORMAT": "human"}, io.StringIO()) == "human"


def test_a_human_line_says_time_service_level_and_message() -> None:
    line = HumanLogFormatter().format(record("diagnostic started"))
    time, rest = line.split(" ", 1)
    assert len(time) == 8 and time.count(":") == 2
    assert rest == "diagnostic | info    diagnostic started"
    # Under make run, honcho already prints the time and the process name.
    assert HumanLogFormatter(prefixed=True).format(record("late", logging.WARNING)) == "warning late"


def test_json_lines_stay_for_machines() -> None:
    line = JsonLogFormatter().format(record("diagnostic started"))
    assert '"service":"diagnostic"' in line and '"level":"INFO"' in line
