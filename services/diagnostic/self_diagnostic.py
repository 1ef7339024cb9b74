"""The reply to the person's own guess at their main challenge (pure).

The reference product had one text per (guess, computed) pair; we keep the
relation between the two, which the texts then name:

* ``same``: we agree;
* ``also-true``: their guess needs attention too, but another challenge comes first;
* ``not-a-blocker``: the data say their guess is not a blocker for them;
* ``cannot-tell-yet``: we need answers before we can say (their guess or ours);
* ``later``: their guess is not decided yet and comes after the main challenge.
"""

from __future__ import annotations

from services.diagnostic.models import ChallengeOutcome, SelfDiagnosticReply
from shared.contracts.vocabulary import MainChallenge


def self_diagnostic_reply(
    guess: MainChallenge | None, main: MainChallenge | None, outcomes: tuple[ChallengeOutcome, ...]
) -> SelfDiagnosticReply | None:
    """Return how the person's guess compares with the diagnosis, or None without a guess."""
    if guess is None:
        return None
    status = next(o.status for o in outcomes if o.challenge is guess)
    if main is None:
        relation = "cannot-tell-yet"
    elif guess is main:
        relation = "same"
    elif status == "needs-attention":
        relation = "also-true"
    elif status == "missing-data":
        relation = "later"
    else:
        relation = "not-a-blocker"
    return SelfDiagnosticReply(guess=guess, relation=relation, guess_status=status, computed=main)
