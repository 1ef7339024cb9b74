"""Conclusions on facts, where an unanswered fact takes its neutral value and says so.

A challenge's filter is written as ``all_of`` / ``any_of`` over facts. Like the
reference product, a fact the person has not given yet is read at its neutral
value (0 interviews, not passionate, seniority unknown, age unknown...), so a
conclusion is always reached; the verdict then names the fields whose answer
could change it (``missing``), to be asked beside the diagnosis.

A field is named only when its answer could change the conclusion: a
conjunction that a known fact already makes false does not ask for the others.
A conclusion keeps the reasons of the facts that decided it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.diagnostic.models import Params, Reason, Source

_NO_PARAMS: Params = {}  # shared by reasons without parameters; never mutated
UNANSWERED = "unanswered."  # prefix of the reason given for a fact read at its neutral value


@dataclass(slots=True)
class Verdict:
    value: bool
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()  # unanswered fields whose answer could change the value
    sources: tuple[Source, ...] = ()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _sources(verdicts: Iterable[Verdict]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(s for v in verdicts for s in v.sources))


def _reasons(verdicts: Iterable[Verdict]) -> tuple[Reason, ...]:
    # The same unanswered fact may stand behind several parts: say it once.
    seen: set[str] = set()
    kept = []
    for verdict in verdicts:
        for reason in verdict.reasons:
            if not (reason.code.startswith(UNANSWERED) and reason.code in seen):
                seen.add(reason.code)
                kept.append(reason)
    return tuple(kept)


def fact(
    value: bool | None,
    *,
    yes: str | None = None,
    no: str | None = None,
    params: Params | None = None,
    missing: tuple[str, ...] = (),
    neutral: bool = False,
    sources: tuple[Source, ...] = (),
) -> Verdict:
    """Return a verdict on one fact: its reason for true or for false.

    ``value`` None means the person has not answered: the fact takes its
    ``neutral`` value, its reason says the answer is missing, and ``missing``
    names the fields to ask. Reasons are built only for the branch taken.
    """
    if value is None:
        reason = (Reason(UNANSWERED + missing[0]),) if missing else ()
        return Verdict(neutral, reason, missing, sources)
    code = yes if value else no
    return Verdict(value, (Reason(code, _NO_PARAMS if params is None else params),) if code else (), (), sources)


def _decided(verdicts: Iterable[Verdict], value: bool) -> Verdict:
    """Return the verdict when some parts have ``value``: a part that needs no answer decides alone."""
    deciding = [v for v in verdicts if v.value is value]
    sure = next((v for v in deciding if not v.missing), None)
    if sure is not None:
        return sure
    if len(deciding) == 1:
        return deciding[0]
    # Several parts decide only through unanswered facts: any of their answers could change it.
    return Verdict(value, _reasons(deciding), _unique(f for v in deciding for f in v.missing), _sources(deciding))


def _all_agree(verdicts: tuple[Verdict, ...], value: bool) -> Verdict:
    if len(verdicts) == 1:
        return verdicts[0]
    return Verdict(value, _reasons(verdicts), _unique(f for v in verdicts for f in v.missing), _sources(verdicts))


def all_of(*verdicts: Verdict) -> Verdict:
    """Return the conjunction: false as soon as one part is false, else true with every part's reasons."""
    if any(v.value is False for v in verdicts):
        return _decided(verdicts, False)
    return _all_agree(verdicts, True)


def any_of(*verdicts: Verdict) -> Verdict:
    """Return the disjunction: true as soon as one part is true, else false with every part's reasons."""
    if any(v.value is True for v in verdicts):
        return _decided(verdicts, True)
    return _all_agree(verdicts, False)


def negate(verdict: Verdict) -> Verdict:
    """Return the negation, with the same reasons and fields to ask (they explain both ways)."""
    return Verdict(not verdict.value, verdict.reasons, verdict.missing, verdict.sources)
