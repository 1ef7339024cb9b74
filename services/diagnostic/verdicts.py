"""Three-valued conclusions: true, false or "not enough data" with the fields to ask.

A challenge's filter is written as ``all_of`` / ``any_of`` over facts (Kleene
logic): a conjunction is false as soon as one known part is false, whatever
is unknown, so the diagnosis only asks for a field when its answer could
change the conclusion. A known conclusion keeps the reasons of the facts that
decided it; an unknown one keeps the fields that would decide it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.diagnostic.models import Params, Reason, Source

_NO_PARAMS: Params = {}  # shared by reasons without parameters; never mutated


@dataclass(slots=True)
class Verdict:
    value: bool | None
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def fact(
    value: bool | None,
    *,
    yes: str | None = None,
    no: str | None = None,
    params: Params | None = None,
    missing: tuple[str, ...] = (),
    sources: tuple[Source, ...] = (),
) -> Verdict:
    """Return a verdict on one fact: the reason code for true or for false, or the fields it needs.

    Reasons are built only for the branch taken: a diagnosis checks dozens of facts.
    """
    if value is None:
        return Verdict(None, missing=missing)
    code = yes if value else no
    return Verdict(value, (Reason(code, _NO_PARAMS if params is None else params),) if code else (), (), sources)


def all_of(*verdicts: Verdict) -> Verdict:
    """Return the conjunction: false if any is false, unknown if any is unknown, else true."""
    for verdict in verdicts:
        if verdict.value is False:
            return verdict
    unknown = [v for v in verdicts if v.value is None]
    if unknown:
        return Verdict(None, missing=_unique(f for v in unknown for f in v.missing))
    if len(verdicts) == 1:
        return verdicts[0]
    return Verdict(
        True,
        tuple(r for v in verdicts for r in v.reasons),
        (),
        tuple(dict.fromkeys(s for v in verdicts for s in v.sources)),
    )


def any_of(*verdicts: Verdict) -> Verdict:
    """Return the disjunction: true if any is true, unknown if any is unknown, else false."""
    for verdict in verdicts:
        if verdict.value is True:
            return verdict
    unknown = [v for v in verdicts if v.value is None]
    if unknown:
        return Verdict(None, missing=_unique(f for v in unknown for f in v.missing))
    return Verdict(
        False,
        tuple(r for v in verdicts for r in v.reasons),
        (),
        tuple(dict.fromkeys(s for v in verdicts for s in v.sources)),
    )


def negate(verdict: Verdict) -> Verdict:
    """Return the negation, with the same reasons (they explain both ways)."""
    if verdict.value is None:
        return verdict
    return Verdict(not verdict.value, verdict.reasons, (), verdict.sources)
