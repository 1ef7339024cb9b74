"""How the advice texts write numbers: "4,2" and "21 000" in French, "4.2" and "21,000" in English.

The texts themselves (locales, grammatical gender, plurals, placeholders) are read by the one message
engine, ``shared/messages.py``; its syntax is described in ``docs/MESSAGES.md``.
"""

from __future__ import annotations


def format_number(value: float, locale: str, *, decimals: int = 1) -> str:
    """Return a number written the way the locale writes it (4,2 and 21 000 in French)."""
    whole = value == int(value) and abs(value) >= 10
    text = f"{int(value):,}" if whole else f"{value:,.{decimals}f}"
    if locale.startswith("fr"):
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def format_share(value: float, locale: str) -> str:
    """Return a share between 0 and 1 as a percentage in the locale's typography."""
    percent = round(value * 100)
    return f"{percent}\u202f%" if locale.startswith("fr") else f"{percent}%"
